import { addDays, dateOfInstant } from '../../core/calendar/business-date.js';
import { prepared, type ReadDatabase } from './read-model.js';

/**
 * The business day a posting belongs to: the date it was made on (stamped on its log entry),
 * unless that day was already closed when it was made — then the next open day. So a closed
 * day never changes, and a rebuild from the journal assigns every posting the same day.
 */
export function postingDay(db: ReadDatabase, position: number, businessDate: string | null, atMs: number): string {
  const row = prepared(db, 'select max(date) as date from closed_days where position < ?').get(BigInt(position)) as { date: string | null };
  const made = businessDate ?? dateOfInstant(atMs);
  const lastClosed = row.date;
  return lastClosed === null || made > lastClosed ? made : addDays(lastClosed, 1);
}

export const closedDaysSchema = [
  'create table if not exists closed_days (date text primary key, position integer not null, report text not null)',
];
