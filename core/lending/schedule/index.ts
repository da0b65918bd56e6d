/**
 * Repayment schedule math (还款计划), pure: amounts in bigint minor units, rates as the loan's
 * canonical decimal string, every amount one exact ratio of integers rounded once (ratio.ts).
 * See schedule.ts for the methods, product.ts for the conventions a loan product fixes.
 */
export { interestAccruedOf, isOverdue, penaltyDaysOf, penaltyInterestOf, periodInterestEarnedOf } from './accrual.js';
export { yearFractionOf } from './day-count.js';
export { earlyRepaymentOf, type EarlyRepayment, type EarlyRepaymentRejectionCode, type OpenSchedule } from './early-repayment.js';
export { dayCounts, defaultProduct, installmentFroms, interestPeriods, loanProductNamePattern, loanProductProblemOf, roundingModes, type DayCount, type InstallmentFrom, type InterestPeriod, type LoanProduct, type RoundingMode } from './product.js';
export { ratioOfDecimal, roundRatio, type Ratio } from './ratio.js';
export { amortize, equalInstallmentOf, interestOf, scheduleOf, spanInterestOf, spansOf, type PeriodSpan, type ScheduleTerms, type SchedulePeriod } from './schedule.js';
