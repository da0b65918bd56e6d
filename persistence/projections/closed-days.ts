import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { EodReport } from '../../core/eod/eod.js';
import { packExact, unpackExact } from './exact-blob.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** Every completed close: its report whole (bigints kept) and its balances digest, which the next close chains to. */
export const closedDaysSchema = [
  'create table if not exists closed_days (date text primary key, from_date text not null, digest text not null, report blob not null)',
];

/** Written once, when the close's `day_closed` is applied; a report never changes. */
export function storeClosedDay(db: ReadDatabase, report: EodReport): void {
  prepared(db, 'insert or ignore into closed_days (date, from_date, digest, report) values (?, ?, ?, ?)').run(report.date, report.from, report.balancesDigest, packExact(report));
}

/**
 * The report of the close covering a date: its own, or the first later one (days never
 * closed are folded into the next close). Null while no close covers it.
 */
export function reportCovering(db: ReadDatabase, date: BusinessDate): EodReport | null {
  const row = prepared(db, 'select report from closed_days where date >= ? order by date limit 1').get(date) as { report: Buffer } | undefined;
  return row === undefined ? null : unpackExact<EodReport>(row.report);
}

/** The report of the last closed day, or null before the first close. */
export function latestReport(db: ReadDatabase): EodReport | null {
  const row = prepared(db, 'select report from closed_days order by date desc limit 1').get() as { report: Buffer } | undefined;
  return row === undefined ? null : unpackExact<EodReport>(row.report);
}

/** The close before a date: the day and the digest a new close chains its own to. */
export function closedBefore(db: ReadDatabase, date: BusinessDate): { date: string; digest: string } | null {
  const row = prepared(db, 'select date, digest from closed_days where date < ? order by date desc limit 1').get(date) as { date: string; digest: string } | undefined;
  return row ?? null;
}

/** The last closed day, or null before the first close. */
export function lastClosedDay(db: ReadDatabase): BusinessDate | null {
  const row = prepared(db, 'select max(date) as date from closed_days').get() as { date: string | null };
  return row.date;
}
