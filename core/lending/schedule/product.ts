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
