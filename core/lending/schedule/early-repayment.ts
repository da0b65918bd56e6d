import type { BusinessDate } from '../../calendar/business-date.js';
import { isRejection, reject, type Rejection } from '../../rejection.js';
import type { RepaymentMethod } from '../loan/loan.js';
import { interestAccruedOf } from './accrual.js';
import type { LoanProduct } from './product.js';
import { amortize, type PeriodSpan, type SchedulePeriod } from './schedule.js';

export type EarlyRepaymentRejectionCode =
  | 'early_repayment_nothing_open'
  | 'early_repayment_date_outside_period'
  | 'early_repayment_amount_below_interest'
  | 'early_repayment_amount_above_balance';

/** What is still to pay: the unsettled periods in order (the first is the current one). */
export interface OpenSchedule {
  readonly periods: readonly SchedulePeriod[];
  readonly annualRate: string;
  readonly method: RepaymentMethod;
}

export interface EarlyRepayment {
  /** Interest from the current period's start to the repayment date. */
  readonly interest: bigint;
  /** The rest of the amount: principal repaid now. */
  readonly principal: bigint;
  /** Principal outstanding after the repayment. */
  readonly remaining: bigint;
  /**
   * The open periods recomputed on the remaining principal: the same numbers and due dates
   * (a LOWER INSTALLMENT, not a shorter term); the first runs from the repayment date to its
   * due date. Empty when the loan is paid off.
   */
  readonly schedule: readonly SchedulePeriod[];
}

/** What closes the loan on `date`: the principal outstanding and the interest the product's pre-closure rule asks with it. */
export interface Payoff {
  readonly principal: bigint;
  readonly interest: bigint;
  /** Interest accrued to `date` (what a partial early repayment pays first), whatever the rule. */
  readonly interestToDate: bigint;
}

/**
 * The pay-off (pre-closure) on `date`: principal outstanding + interest to `date`
 * (`payoffInterest: to_date`, the default) or the running period's whole interest
 * (`to_period_end`). Within the current period only, as an early repayment: checked in the
 * order early_repayment_nothing_open, early_repayment_date_outside_period (on or after its due
 * date the due period is paid first).
 */
export function payoffOf(open: OpenSchedule, date: BusinessDate, product: LoanProduct): Payoff | Rejection<EarlyRepaymentRejectionCode> {
  const current = open.periods[0];
  if (current === undefined) return reject('early_repayment_nothing_open', 'every period is settled');
  if (date < current.startDate || date >= current.dueDate) {
    return reject('early_repayment_date_outside_period', `${date} is not within the current period ${current.startDate}..${current.dueDate} (exclusive)`);
  }
  const principal = current.principal + current.remaining;
  const interestToDate = interestAccruedOf(principal, open.annualRate, current.startDate, date, product);
  return { principal, interest: product.payoffInterest === 'to_period_end' ? current.interest : interestToDate, interestToDate };
}

/**
 * An early repayment of `amount` on `date` (提前还款): exactly the pay-off amount (payoffOf)
 * closes the loan; otherwise the interest accrued on the outstanding principal since the
 * current period started is paid first, the rest repays principal, and the open periods are
 * recomputed by the loan's method with the same due dates (lower installments, the term
 * unchanged).
 *
 * Checked in this order:
 * 1. early_repayment_nothing_open: no period is open
 * 2. early_repayment_date_outside_period: `date` is before the current period's start or on
 *    or after its due date (a due period is paid as such first)
 * 3. early_repayment_amount_below_interest: `amount` does not exceed the accrued interest
 * 4. early_repayment_amount_above_balance: `amount` exceeds the pay-off amount, or (under
 *    to_period_end) repays all the principal with less interest than the pay-off asks
 */
export function earlyRepaymentOf(open: OpenSchedule, date: BusinessDate, amount: bigint, product: LoanProduct): EarlyRepayment | Rejection<EarlyRepaymentRejectionCode> {
  const payoff = payoffOf(open, date, product);
  if (isRejection(payoff)) return payoff;
  const { principal: outstanding, interestToDate: interest } = payoff;
  const closing = payoff.principal + payoff.interest;
  if (amount === closing) return { interest: payoff.interest, principal: outstanding, remaining: 0n, schedule: [] };
  if (amount <= interest) return reject('early_repayment_amount_below_interest', `${amount} does not exceed the ${interest} of interest accrued`);
  if (amount > closing || amount - interest >= outstanding) {
    return reject('early_repayment_amount_above_balance', `${amount} is not the ${closing} that pays the loan off, and more than a part of it`);
  }
  const principal = amount - interest;
  const remaining = outstanding - principal;
  const spans: PeriodSpan[] = open.periods.map((period, index) => ({
    number: period.number,
    startDate: index === 0 ? date : period.startDate,
    dueDate: period.dueDate,
    // The cut first period counts its days; whole periods keep their months (null for a term in days).
    months: index === 0 && date !== period.startDate ? null : period.months,
  }));
  return { interest, principal, remaining, schedule: amortize(remaining, open.annualRate, open.method, spans, product) };
}

