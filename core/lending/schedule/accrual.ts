import { daysBetween, type BusinessDate } from '../../calendar/business-date.js';
import { yearFractionOf } from './day-count.js';
import type { LoanProduct } from './product.js';
import { ratioOfDecimal, roundRatio } from './ratio.js';
import { interestOf } from './schedule.js';

/**
 * Interest `principalOutstanding` earns from `fromDate` to `toDate` (0 when `toDate` is not
 * later), by the product's day count and rounding: for an early repayment (interest to the
 * repayment date) and end-of-day accrual. Under the default 30/360, a whole month accrues
 * exactly the month's scheduled interest.
 */
export function interestAccruedOf(principalOutstanding: bigint, annualRate: string, fromDate: BusinessDate, toDate: BusinessDate, product: LoanProduct): bigint {
  return interestOf(principalOutstanding, annualRate, yearFractionOf(fromDate, toDate, product.dayCount), product);
}

/**
 * The part of a period's scheduled `interest` earned from its start to `toDate`: pro rata to
 * the day count's fraction of the period, rounded by the product's mode, never more than the
 * interest (reached on the due date). End-of-day accrual of flat-rate loans uses it: their
 * interest is on the principal the schedule was made on, not on the balance, so a period earns
 * its own interest evenly whatever the balance.
 */
export function periodInterestEarnedOf(period: { readonly startDate: BusinessDate; readonly dueDate: BusinessDate; readonly interest: bigint }, toDate: BusinessDate, product: LoanProduct): bigint {
  if (toDate >= period.dueDate) return period.interest;
  if (toDate <= period.startDate) return 0n;
  const elapsed = yearFractionOf(period.startDate, toDate, product.dayCount);
  const whole = yearFractionOf(period.startDate, period.dueDate, product.dayCount);
  if (whole.num === 0n) return period.interest;
  const earned = roundRatio({ num: period.interest * elapsed.num * whole.den, den: elapsed.den * whole.num }, product.rounding);
  return earned < period.interest ? earned : period.interest;
}

/** Days of penalty interest on `today` for an amount due on `dueDate`: 0 until it is overdue. */
export function penaltyDaysOf(dueDate: BusinessDate, today: BusinessDate, product: LoanProduct): number {
  const late = daysBetween(dueDate, today);
  if (late <= 0) return 0;
  return product.penaltyCountsDueDay ? late + 1 : late;
}

/**
 * Penalty interest (罚息) on `overdueAmount` due on `dueDate`, as of `today`:
 * overdue × the product's daily penalty rate × penalty days, rounded by the product's mode.
 * Days: from the day after the due date to today, both counted (today − due); with
 * `penaltyCountsDueDay`, one more (the "days + 1" convention).
 */
export function penaltyInterestOf(overdueAmount: bigint, dueDate: BusinessDate, today: BusinessDate, product: LoanProduct): bigint {
  const days = penaltyDaysOf(dueDate, today, product);
  if (days === 0 || overdueAmount <= 0n) return 0n;
  const rate = ratioOfDecimal(product.penaltyDailyRate);
  return roundRatio({ num: overdueAmount * rate.num * BigInt(days), den: rate.den }, product.rounding);
}

/**
 * A period is overdue when the business date is past its due date and it is not settled
 * (paid by the borrower or compensated). The due date itself is the last day to pay.
 */
export function isOverdue(period: { readonly dueDate: BusinessDate; readonly settled: boolean }, today: BusinessDate): boolean {
  return !period.settled && today > period.dueDate;
}
