import fc from 'fast-check';
import t from 'tap';
import { addDays, addMonths, dateOfDayNumber, dateOfInstant, dayNumberOf, daysBetween, isBusinessDate } from '../../../core/calendar/business-date.js';

t.test('valid dates only: format, month lengths, leap years, the range', async (t) => {
  for (const good of ['1970-01-01', '2024-02-29', '2030-12-31', '9999-12-31']) t.ok(isBusinessDate(good), good);
  for (const bad of ['2023-02-29', '2030-13-01', '2030-00-10', '2030-04-31', '1969-12-31', '2030-1-01', '20300101', '', 20300101, null]) t.notOk(isBusinessDate(bad), String(bad));
});

t.test('days and months: month ends clamp, leap days count', async (t) => {
  t.equal(addDays('2030-01-31', 1), '2030-02-01');
  t.equal(addDays('2028-02-28', 1), '2028-02-29');
  t.equal(addDays('2030-01-01', 365), '2031-01-01');
  t.equal(addMonths('2030-01-31', 1), '2030-02-28');
  t.equal(addMonths('2028-01-31', 1), '2028-02-29');
  t.equal(addMonths('2030-03-31', 1), '2030-04-30');
  t.equal(addMonths('2030-11-15', 3), '2031-02-15');
  t.equal(daysBetween('2030-01-01', '2030-04-01'), 90);
  t.equal(daysBetween('2030-04-01', '2030-01-01'), -90);
  t.equal(dateOfInstant(Date.UTC(2030, 0, 1, 23, 30)), '2030-01-01');
  t.equal(dateOfInstant(Date.UTC(2030, 0, 1, 23, 30), 8 * 60), '2030-01-02', 'UTC+8 is already the next day');
});

t.test('property: day numbers round-trip, and addDays/daysBetween are inverse', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2_900_000 }), fc.integer({ min: -20_000, max: 20_000 }), (day, delta) => {
      const date = dateOfDayNumber(day);
      if (!isBusinessDate(date) || dayNumberOf(date) !== day) return false;
      if (day + delta < 0) return true;
      return daysBetween(date, addDays(date, delta)) === delta;
    }),
  );
});

t.test('property: addMonths lands in the right month, never past its end, on the same day when it exists', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 120 }), (day, months) => {
      const date = dateOfDayNumber(day);
      const later = addMonths(date, months);
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const [y2, m2, d2] = later.split('-').map(Number) as [number, number, number];
      return isBusinessDate(later) && y2 * 12 + m2 === y * 12 + m + months && (d2 === d || (d2 < d && !isBusinessDate(`${later.slice(0, 8)}${String(d2 + 1).padStart(2, '0')}`)));
    }),
  );
});
