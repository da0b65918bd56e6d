import { prepared } from './read-model.js';
import { evolveEod, initialEodState, type EodEvent, type EodState } from '../../core/eod/eod.js';
import { closedDaysSchema } from './business-day.js';
import { dayFigures, eodSchema, writeDayBalances } from './eod-balances.js';
import { lendingDayOf } from './lending-day.js';
import type { Projector } from './projector.js';

const jsonSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** What other parts report into a close, read at its cut (so the same whenever the close completes). */
const daySectionsSchema = ['create table if not exists day_sections (date text not null, name text not null, body text not null, primary key (date, name))'];

/**
 * End of day in the read model: a begun close marks its cut (later postings dated on or
 * before it go to the next open day) and records lending as it stands at the cut (overdue
 * classes, the accrual target); a completed close writes every moved account's
 * opening, debits, credits and closing for the day.
 */
export const eodProjector: Projector = {
  actorType: 'eod',
  schema: [...closedDaysSchema, ...eodSchema, ...daySectionsSchema],
  initialState: () => initialEodState,
  evolve: (state, event) => evolveEod(state as EodState, event as EodEvent),
  project(db, entry) {
    for (const raw of entry.events) {
      const event = raw as EodEvent;
      if (event.type === 'day_close_begun') {
        prepared(db, "insert or ignore into closed_days (date, position, report) values (?, ?, '')").run(event.data.date, BigInt(entry.position));
        prepared(db, "insert or ignore into day_sections (date, name, body) values (?, 'lending', ?)").run(event.data.date, JSON.stringify(lendingDayOf(db, event.data.date), jsonSafe));
        continue;
      }
      const { report } = event.data;
      const previous = prepared(db, "select date, report from closed_days where date < ? and report <> '' order by date desc limit 1").get(report.date) as
        | { date: string; report: string }
        | undefined;
      const previousDigest = previous === undefined ? null : { date: previous.date, digest: (JSON.parse(previous.report) as { balancesDigest: string }).balancesDigest };
      writeDayBalances(db, report.date, dayFigures(db, report.date, report.from, previousDigest));
      prepared(db, 'update closed_days set report = ? where date = ?').run(JSON.stringify(report, jsonSafe), report.date);
    }
  },
};
