import { dayNumberOf, daysBetween, type BusinessDate } from '../../calendar/business-date.js';
import { assertNever } from '../../rejection.js';
import type { DayCount } from './product.js';
import type { Ratio } from './ratio.js';

/** The fraction of a year from `from` to `to` (0 when `to` is not later) under `dayCount`, exact. */
export function yearFractionOf(from: BusinessDate, to: BusinessDate, dayCount: DayCount): Ratio {
  if (to <= from) return { num: 0n, den: 1n };
  switch (dayCount) {
    case '30/360':
      return { num: BigInt(days30360(from, to)), den: 360n };
    case 'ACT/365F':
      return { num: BigInt(daysBetween(from, to)), den: 365n };
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

/**
 * ACT/ACT ISDA: the days falling in each calendar year over that year's length, summed over
 * the common denominator 365 × 366.
 */
function actActIsda(from: BusinessDate, to: BusinessDate): Ratio {
  const [firstYear] = partsOf(from);
  const [lastYear] = partsOf(to);
  const den = 365n * 366n;
  let num = 0n;
  for (let year = firstYear; year <= lastYear; year += 1) {
    const yearStart = dayNumberOf(`${year}-01-01`);
    const yearEnd = dayNumberOf(`${year + 1}-01-01`);
    const days = Math.min(dayNumberOf(to), yearEnd) - Math.max(dayNumberOf(from), yearStart);
    num += BigInt(days) * (den / BigInt(yearEnd - yearStart));
  }
  return { num, den };
}

function partsOf(date: BusinessDate): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  return [year ?? 0, month ?? 0, day ?? 0];
}
