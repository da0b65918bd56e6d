import type { FeeRule } from '../../clearing/fee.js';
/**
 * A loan product (贷款产品): the conventions a loan's schedule is computed with. A loan names
 * its product when published; the product is fixed for that loan's life (its plan records it).
 */
export const dayCounts = ['30/360', 'ACT/365F', 'ACT/ACT'] as const;
/**
 * How days become a fraction of a year:
 * - `30/360` (bond basis, ISDA 2006 4.16(f)): every month 30 days; a day 31 counts as 30
 *   (the end day only when the start day is 30 or 31).
 * - `ACT/365F`: actual days / 365, leap years too.
 * - `ACT/ACT` (ISDA): actual days in each calendar year / that year's length (365 or 366).
 */
export type DayCount = (typeof dayCounts)[number];

export const interestPeriods = ['period', 'daily'] as const;
/**
 * `period`: a whole monthly period earns rate / 12 (n months: n × rate / 12), whatever its
 * days — the Chinese banks' 按月计息; a period that is not whole months (a term in days, the
 * rest of a period after an early repayment) is counted in days by the day count.
 * `daily`: every period is counted in days by the day count (按日计息).
 */
export type InterestPeriod = (typeof interestPeriods)[number];

export const installmentFroms = ['nominal', 'actual_days'] as const;
/**
 * Where the equal installment comes from: `nominal` the annuity at rate / 12 a month;
 * `actual_days` the annuity solved over the periods' own fractions of a year by the day
 * count (a progressive loan whose interest runs by days: each period's rate is
 * annualRate × its days / the year). Under `period` interest, or 30/360, the two agree.
 */
export type InstallmentFrom = (typeof installmentFroms)[number];

export const payoffInterests = ['to_date', 'to_period_end'] as const;
/**
 * The interest a pre-closure (paying the whole loan off before its end) pays with the
 * principal: `to_date` interest to the pre-closure date; `to_period_end` the running period's
 * whole interest. A partial early repayment always pays interest to date.
 */
export type PayoffInterest = (typeof payoffInterests)[number];

export const overpayments = ['refuse', 'return_to_wallet'] as const;
/**
 * A borrower's payment above what closes the loan that day (the pay-off quote; on or after
 * the last period's due date, that period's due; the last compensated period owed back):
 * `refuse` it (its code: early_repayment_amount_above_balance within a period,
 * repayment_amount_above_due otherwise), or take what closes the loan and `return_to_wallet`
 * the rest — a transfer back to the payer's wallet in the same repayment.
 */
export type Overpayment = (typeof overpayments)[number];

export const roundingModes = ['half_even', 'half_up', 'down'] as const;
/** How an amount is rounded to minor units (or to the installment multiple): half-even is banker's rounding. */
export type RoundingMode = (typeof roundingModes)[number];

export interface LoanProduct {
  /** The name a loan gives (`product` on POST /v1/loans): [a-z0-9_-], at most 32 characters. */
  readonly name: string;
  readonly dayCount: DayCount;
  readonly interestPeriod: InterestPeriod;
  readonly rounding: RoundingMode;
  /**
   * Minor units the equal installment (and the equal principal part) is rounded to, with
   * `rounding`: 100n rounds to whole yuan (1.00). 1n: to the cent. The last period absorbs
   * what rounding left over.
   */
  readonly installmentMultipleMinor: bigint;
  /** Penalty interest (罚息) a day on an overdue amount, a decimal string ("0.0005" = 0.05 % a day). */
  readonly penaltyDailyRate: string;
  /** Count the due day itself as a penalty day (the "days + 1" convention). */
  readonly penaltyCountsDueDay: boolean;
  /** Absent (products kept by loans published before it existed): `nominal`. */
  readonly installmentFrom?: InstallmentFrom;
  /** Absent (products kept by loans published before it existed): `to_date`. */
  readonly payoffInterest?: PayoffInterest;
  /** Absent (products kept by loans published before it existed): `refuse`. */
  readonly overpayment?: Overpayment;
  /**
   * The platform's service fee on the interest investors are repaid (平台服务费), taken at
   * each split before the interest pool (core/clearing/fee.ts). Absent: none.
   */
  readonly serviceFee?: FeeRule;
  /** The borrower's management fee (借款管理费) on the loan's amount, deducted at disbursement: paid out net, owed whole. Absent: none. */
  readonly managementFee?: FeeRule;
  /** The guarantee fee (担保费) a period, on its principal + interest, paid by the borrower with the period to the guarantee. Absent: none. */
  readonly guaranteeFee?: FeeRule;
}

/**
 * DESIGN §4's default: monthly interest = balance × annualRate / 12, rounded half-even, to
 * the cent; days (a term in days, accrual to a date) by 30/360, so that a whole month of
 * accrual equals the month's interest. Penalty 0.05 % a day from the day after the due date.
 */
export const defaultProduct: LoanProduct = {
  name: 'standard',
  dayCount: '30/360',
  interestPeriod: 'period',
  rounding: 'half_even',
  installmentMultipleMinor: 1n,
  penaltyDailyRate: '0.0005',
  penaltyCountsDueDay: false,
};

export const loanProductNamePattern = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Penalty rates are plain decimals of at most 8 places, at most 1 (100 % a day is already absurd). */
const penaltyRatePattern = /^(0(\.\d{1,8})?|1(\.0{1,8})?)$/;

/** Why `product` cannot be used, or null when it can: checked at start-up for configured products. */
export function loanProductProblemOf(product: LoanProduct): string | null {
  if (!loanProductNamePattern.test(product.name)) return `product name "${product.name}" is not [a-z0-9][a-z0-9_-]{0,31}`;
  if (!(dayCounts as readonly string[]).includes(product.dayCount)) return `${product.name}: dayCount is one of ${dayCounts.join(', ')}`;
  if (!(interestPeriods as readonly string[]).includes(product.interestPeriod)) return `${product.name}: interestPeriod is one of ${interestPeriods.join(', ')}`;
  if (!(roundingModes as readonly string[]).includes(product.rounding)) return `${product.name}: rounding is one of ${roundingModes.join(', ')}`;
  if (product.installmentMultipleMinor < 1n || product.installmentMultipleMinor > 1_000_000n) return `${product.name}: the installment multiple is 0.01 to 10,000.00`;
  if (!penaltyRatePattern.test(product.penaltyDailyRate)) return `${product.name}: penaltyDailyRate is a decimal in [0, 1] of at most 8 places, e.g. "0.0005"`;
  if (typeof product.penaltyCountsDueDay !== 'boolean') return `${product.name}: penaltyCountsDueDay is true or false`;
  if (product.payoffInterest !== undefined && !(payoffInterests as readonly string[]).includes(product.payoffInterest)) {
    return `${product.name}: payoffInterest is one of ${payoffInterests.join(', ')}`;
  }
  if (product.overpayment !== undefined && !(overpayments as readonly string[]).includes(product.overpayment)) {
    return `${product.name}: overpayment is one of ${overpayments.join(', ')}`;
  }
  if (product.installmentFrom !== undefined && !(installmentFroms as readonly string[]).includes(product.installmentFrom)) {
    return `${product.name}: installmentFrom is one of ${installmentFroms.join(', ')}`;
  }
  return null;
}
