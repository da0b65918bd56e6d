/**
 * Repayment schedule math (还款计划), pure: amounts in bigint minor units, rates as the loan's
 * canonical decimal string, arithmetic in decimal.js. See schedule.ts for the methods,
 * product.ts for the conventions a loan product fixes.
 */
export { interestAccruedOf, isOverdue, penaltyDaysOf, penaltyInterestOf } from './accrual.js';
export { yearFractionOf } from './day-count.js';
export { earlyRepaymentOf, type EarlyRepayment, type EarlyRepaymentRejectionCode, type OpenSchedule } from './early-repayment.js';
export { dayCounts, defaultProduct, interestPeriods, loanProductNamePattern, loanProductProblemOf, roundingModes, type DayCount, type InterestPeriod, type LoanProduct, type RoundingMode } from './product.js';
export { roundMinor } from './rounding.js';
export { amortize, equalInstallmentOf, scheduleOf, spanInterestOf, spansOf, type PeriodSpan, type ScheduleTerms, type SchedulePeriod } from './schedule.js';
