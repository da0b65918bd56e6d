import { dayNumberOf, daysBetween, type BusinessDate } from '../../calendar/business-date.js';
import { assertNever } from '../../rejection.js';
import type { DayCount } from './product.js';
import { ScheduleDecimal } from './rounding.js';

/** The fraction of a year from `from` to `to` (0 when `to` is not later) under `dayCount`. */
export function yearFractionOf(from: BusinessDate, to: BusinessDate, dayCount: DayCount): ScheduleDecimal {
  if (to <= from) return new ScheduleDecimal(0);
  switch (dayCount) {
    case '30/360':
      return new ScheduleDecimal(days30360(from, to)).div(360);
    case 'ACT/365F':
      return new ScheduleDecimal(daysBetween(from, to)).div(365);
    case 'ACT/ACT':
      return actActIsda(from, to);
    default:
      return assertNever(dayCount, 'day count');
  }
}

/** 30/360 bond basis: D1 = 31 → 30; D2 = 31 → 30 when D1 is then 30. */
function days30360(from: BusinessDate, to: BusinessDate): number {
  const [y1, m1, d1Raw] = partsOf(from);
  const [y2, m2, d2Raw] = partsOf(to);
  const d1 = Math.min(d1Raw, 30);
  const d2 = d2Raw === 31 && d1 === 30 ? 30 : d2Raw;
  return 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1);
}

/** ACT/ACT ISDA: the days falling in each calendar year over that year's length. */
function actActIsda(from: BusinessDate, to: BusinessDate): ScheduleDecimal {
  const [firstYear] = partsOf(from);
  const [lastYear] = partsOf(to);
  let fraction = new ScheduleDecimal(0);
  for (let year = firstYear; year <= lastYear; year += 1) {
    const yearStart = dayNumberOf(`${year}-01-01`);
    const yearEnd = dayNumberOf(`${year + 1}-01-01`);
    const days = Math.min(dayNumberOf(to), yearEnd) - Math.max(dayNumberOf(from), yearStart);
    fraction = fraction.plus(new ScheduleDecimal(days).div(yearEnd - yearStart));
  }
  return fraction;
}

function partsOf(date: BusinessDate): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  return [year ?? 0, month ?? 0, day ?? 0];
}
