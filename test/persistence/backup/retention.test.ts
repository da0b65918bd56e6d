import fc from 'fast-check';
import t from 'tap';
import { backupsToKeep } from '../../../persistence/backup/retention.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const now = Date.UTC(2026, 11, 5, 17, 30);

t.test('given hourly backups over 40 days, when pruned with 2 hourly days and 30 daily days, then 48-ish hourly and one per day are kept', async (t) => {
  const taken = Array.from({ length: 40 * 24 }, (_, i) => now - i * hourMs - 60_000);
  const keep = backupsToKeep(taken, now, { hourlyDays: 2, dailyDays: 30 });
  t.equal([...keep].filter((at) => now - at < 2 * dayMs).length, 48, 'the last 2 days: every hour');
  const days = new Set([...keep].filter((at) => now - at >= 2 * dayMs).map((at) => Math.floor(at / dayMs)));
  t.equal(days.size, [...keep].filter((at) => now - at >= 2 * dayMs).length, 'older: one per day');
  t.ok([...keep].every((at) => now - at < 30 * dayMs), 'nothing older than 30 days');
  t.ok(keep.has(Math.max(...taken)));
});

t.test('property: the newest is always kept; every kept backup is the last of its hour or day within its window; each such bucket keeps one', async () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 60 * dayMs }), { maxLength: 200 }), fc.nat(10), fc.nat(60), (ages, hourlyDays, dailyDays) => {
      const taken = [...new Set(ages.map((age) => now - age))];
      const keep = backupsToKeep(taken, now, { hourlyDays, dailyDays });
      if (taken.length > 0 && !keep.has(Math.max(...taken))) return false;
      const lastIn = (bucketOf: (at: number) => number, windowDays: number) => {
        const last = new Map<number, number>();
        for (const at of taken) if (now - at < windowDays * dayMs) last.set(bucketOf(at), Math.max(last.get(bucketOf(at)) ?? -Infinity, at));
        return new Set(last.values());
      };
      const hourly = lastIn((at) => Math.floor(at / hourMs), hourlyDays);
      const daily = lastIn((at) => Math.floor(at / dayMs), dailyDays);
      for (const at of keep) if (at !== Math.max(...taken) && !hourly.has(at) && !daily.has(at)) return false;
      for (const at of [...hourly, ...daily]) if (!keep.has(at)) return false;
      return [...keep].every((at) => taken.includes(at));
    }),
  );
});
