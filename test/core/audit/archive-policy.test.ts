import fc from 'fast-check';
import t from 'tap';
import { archiveCutoff, retentionCutoff, retentionRefusal } from '../../../core/audit/archive-policy.js';
import { addDays } from '../../../core/calendar/business-date.js';
import { archivingOf } from '../../../gateway/config.js';

t.test('the archive cutoff: whole months, 18 back from today, never past the last closed month', async (t) => {
  // Given today 2026-12-05 and the days closed through yesterday, then 18 months back from December: 2025-06-01
  t.equal(archiveCutoff('2026-12-05', 18, '2026-12-04'), '2025-06-01');
  // Given the last close long ago (2025-03-10), then only months closed to their last day go: before 2025-03
  t.equal(archiveCutoff('2026-12-05', 18, '2025-03-10'), '2025-03-01');
  // Given a close on a month's last day, then that month may go
  t.equal(archiveCutoff('2026-12-05', 18, '2025-03-31'), '2025-04-01');
  // Given no close yet, then nothing goes
  t.equal(archiveCutoff('2026-12-05', 18, null), null);
});

t.test('property: every day before the cutoff is in a month at least the configured months back, and closed', async () => {
  const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 120 }), fc.option(fc.integer({ min: 0, max: 4_000 }), { nil: null }), (today, months, closedBack) => {
      const closed = closedBack === null ? null : addDays(today, -closedBack);
      const cutoff = archiveCutoff(today, months, closed);
      if (cutoff === null) return closed === null;
      const lastArchived = addDays(cutoff, -1);
      const monthsBack = (Number(today.slice(0, 4)) - Number(lastArchived.slice(0, 4))) * 12 + Number(today.slice(5, 7)) - Number(lastArchived.slice(5, 7));
      return cutoff.endsWith('-01') && monthsBack > months && lastArchived <= (closed as string);
    }),
  );
});

t.test('retention: kept for good unless configured; three years at least', async (t) => {
  t.equal(retentionCutoff('2029-12-05', null), null);
  t.equal(retentionCutoff('2029-12-05', 3), '2026-12-01');
  t.equal(retentionRefusal(null), null);
  t.equal(retentionRefusal(7), null);
  t.match(retentionRefusal(2), /shorter than 3 years cannot be configured/);
  t.match(retentionRefusal(3.5), /whole number/);
  // The configuration refuses to start with a shorter one
  t.throws(() => archivingOf({ RETENTION_YEARS: '2' }), /RETENTION_YEARS: a retention shorter than 3 years/);
  t.throws(() => archivingOf({ RETENTION_YEARS: 'ever' }), /RETENTION_YEARS: a retention is a whole number/);
  t.throws(() => archivingOf({ ARCHIVE_AFTER_MONTHS: '0' }), /ARCHIVE_AFTER_MONTHS must be an integer in 1\.\./);
  t.same(archivingOf({}), { afterMonths: 18, everyMinutes: 60, retentionYears: null });
  t.same(archivingOf({ ARCHIVE_AFTER_MONTHS: '24', ARCHIVE_EVERY_MINUTES: '0', RETENTION_YEARS: '5' }), { afterMonths: 24, everyMinutes: 0, retentionYears: 5 });
});
