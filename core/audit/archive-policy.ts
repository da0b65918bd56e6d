import { addDays, addMonths, earlierOf, type BusinessDate } from '../calendar/business-date.js';

/** How long ended records stay in the hot read models by default: the last 18 months answer from there. */
export const archiveAfterMonthsDefault = 18;

/** The shortest retention that can be configured: logs are kept three years for legal reasons. */
export const retentionYearsMin = 3;

/** The first day of a date's month. */
export function monthStartOf(date: BusinessDate): BusinessDate {
  return `${date.slice(0, 8)}01`;
}

/**
 * The day before which ended records leave the hot read models: the start of the month
 * `afterMonths` before today's, and never past the last closed day's month — a day's close
 * reads its own postings from the hot rows, so only months closed to their last day go.
 * Null when no day was closed yet (nothing goes).
 */
export function archiveCutoff(today: BusinessDate, afterMonths: number, closedThrough: BusinessDate | null): BusinessDate | null {
  if (closedThrough === null) return null;
  const byAge = addMonths(monthStartOf(today), -afterMonths);
  const byClose = monthStartOf(addDays(closedThrough, 1));
  return earlierOf(byAge, byClose);
}

/**
 * The day before which archived months may be removed, under a retention of `years`
 * (null: kept for good). Whole months only: a month goes once its last day is older than
 * the retention.
 */
export function retentionCutoff(today: BusinessDate, years: number | null): BusinessDate | null {
  if (years === null) return null;
  return addMonths(monthStartOf(today), -12 * years);
}

/** Why a configured retention is refused, or null when it can be kept. */
export function retentionRefusal(years: number | null): string | null {
  if (years === null) return null;
  if (!Number.isSafeInteger(years)) return `a retention is a whole number of years (got ${years})`;
  if (years < retentionYearsMin) return `a retention shorter than ${retentionYearsMin} years cannot be configured (got ${years}): logs are kept at least ${retentionYearsMin} years`;
  return null;
}
