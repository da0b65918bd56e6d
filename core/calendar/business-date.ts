/**
 * A business date: a calendar day `YYYY-MM-DD`, no time, no zone. Every date rule (maturity,
 * repayment dates, end of day) works on these; the date itself comes in with a command from
 * the business clock, never from a clock read here. Arithmetic goes through day numbers
 * (days since 1970-01-01), computed with Date.UTC, which reads no clock.
 */
export type BusinessDate = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const msPerDay = 86_400_000;

/** Dates fundcore accepts: years 1970..9999 (so day numbers stay small, positive integers). */
export function isBusinessDate(value: unknown): value is BusinessDate {
  if (typeof value !== 'string') return false;
  const match = datePattern.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** Days since 1970-01-01 of a valid business date. */
export function dayNumberOf(date: BusinessDate): number {
  const [year, month, day] = partsOf(date);
  return Date.UTC(year, month - 1, day) / msPerDay;
}

export function dateOfDayNumber(dayNumber: number): BusinessDate {
  const date = new Date(dayNumber * msPerDay);
  return formatParts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** The UTC calendar date of an epoch-ms instant shifted by `offsetMinutes` (e.g. +480 for UTC+8). */
export function dateOfInstant(epochMs: number, offsetMinutes = 0): BusinessDate {
  return dateOfDayNumber(Math.floor((epochMs + offsetMinutes * 60_000) / msPerDay));
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/**
 * The same day `months` later; a day the target month lacks becomes its last day
 * (01-31 + 1 month = 02-28 or 02-29), as loan contracts count months.
 */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const [year, month, day] = partsOf(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  return formatParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return dayNumberOf(to) - dayNumberOf(from);
}

export function earlierOf(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a <= b ? a : b;
}

function partsOf(date: BusinessDate): [number, number, number] {
  const match = datePattern.exec(date);
  if (match === null) throw new RangeError(`not a business date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function formatParts(year: number, month: number, day: number): BusinessDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
