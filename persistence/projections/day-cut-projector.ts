import { evolveDayCut, initialDayCutState, type DayCutEvent, type DayCutState } from '../../core/eod/day-cut.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import { dayCutsSchema } from './business-day.js';
import { packExact, unpackExact } from './exact-blob.js';
import { lendingDayOf, sumOfLendingDays, type LendingDay } from './lending-day.js';
import type { Projector } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** Lending as each partition stood at its marker (its own loans: overdue classes, the accrual target). */
const dayLendingPartsSchema = ['create table if not exists day_lending_parts (date text not null, partition integer not null, body blob not null, primary key (date, partition))'];

/**
 * A day's cut, partition by partition: the marker's position (the cut rule of postingDay) and
 * the partition's lending read right then. When a partition's marker is applied, exactly the
 * entries of that partition before it have been applied to its loans' rows, however the feed
 * interleaves partitions: so each part, and their sum, is the same in every rebuild and on
 * every read side.
 */
export const dayCutProjector: Projector = {
  actorType: 'daycut',
  schema: [...dayCutsSchema, ...dayLendingPartsSchema],
  initialState: () => initialDayCutState,
  evolve: (state, event) => evolveDayCut(state as DayCutState, event as DayCutEvent),
  project(db, entry) {
    for (const raw of entry.events) {
      const { date, chainHead } = (raw as DayCutEvent).data;
      prepared(db, 'insert or ignore into day_cuts (date, partition, position, chain_position, chain_hash) values (?, ?, ?, ?, ?)').run(
        date,
        BigInt(entry.partition),
        BigInt(entry.position),
        chainHead === undefined || chainHead === null ? null : BigInt(chainHead.position),
        chainHead?.hash ?? null,
      );
      prepared(db, 'insert or ignore into day_lending_parts (date, partition, body) values (?, ?, ?)').run(date, BigInt(entry.partition), packExact(lendingDayOf(db, date, entry.partition)));
    }
  },
};

/** Lending at a day's cut over every partition whose marker is in (null when none is). */
export function lendingAtCutOf(db: ReadDatabase, date: BusinessDate): LendingDay | null {
  const rows = prepared(db, 'select body from day_lending_parts where date = ? order by partition').all(date) as { body: Buffer }[];
  if (rows.length === 0) return null;
  return sumOfLendingDays(date, rows.map((row) => unpackExact<LendingDay>(row.body)));
}
