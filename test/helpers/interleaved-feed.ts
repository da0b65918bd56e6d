import type { EodEvent } from '../../core/eod/eod.js';
import type { DayCutEvent } from '../../core/eod/day-cut.js';
import { partitionOfActor } from '../../core/ledger/partition.js';
import type { JournalReader } from '../../persistence/journal.js';
import { JournalLogFeed, type FeedEntry, type LogFeed } from '../../persistence/projections/log-feed.js';
import { StoredStates } from '../../persistence/projections/projection-states.js';
import { allProjectors } from '../../persistence/projections/projectors.js';
import { ReadModel, type ReadDatabase } from '../../persistence/projections/read-model.js';
import { defaultProjectionLimits, ProjectionRunner } from '../../persistence/projections/runner.js';

/** A small seeded generator (mulberry32): the same seed, the same interleaving. */
export function seededPick(seed: number): (choices: number) => number {
  let state = seed >>> 0;
  return (choices) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (((x ^ (x >>> 14)) >>> 0) % choices) as number;
  };
}

const closedDateOf = (entry: FeedEntry) => (entry.events as EodEvent[]).find((e) => e.type === 'day_closed')?.data;

/**
 * The node's log as a cluster's stream could carry it: each partition's entries in their
 * order, the partitions interleaved as `pick` chooses, numbered anew. One constraint of a
 * real cluster is kept: a close is journaled only after its read side held every
 * partition's marker, so a `day_closed` comes after all the markers of its date.
 */
export function interleavedFeed(journal: JournalReader, partitionCount: number, pick: (choices: number) => number): LogFeed {
  const queues = new Map<number, FeedEntry[]>();
  for (const entry of new JournalLogFeed(journal).entriesAfter(0, Number.POSITIVE_INFINITY)) {
    const partition = partitionOfActor(entry.actorId, partitionCount);
    queues.set(partition, [...(queues.get(partition) ?? []), entry]);
  }
  const markers = new Map<string, number>();
  const ready = (entry: FeedEntry) => {
    const closed = closedDateOf(entry);
    return closed === undefined || markers.get(closed.report.date) === partitionCount;
  };
  const out: FeedEntry[] = [];
  for (;;) {
    const heads = [...queues.values()].filter((queue) => queue.length > 0 && ready(queue[0] as FeedEntry));
    if (heads.length === 0) break;
    const entry = (heads[pick(heads.length)] as FeedEntry[]).shift() as FeedEntry;
    if (entry.actorId.startsWith('daycut:')) for (const e of entry.events as DayCutEvent[]) markers.set(e.data.date, (markers.get(e.data.date) ?? 0) + 1);
    out.push({ ...entry, position: out.length + 1 });
  }
  const left = [...queues.values()].reduce((n, queue) => n + queue.length, 0);
  if (left > 0) throw new Error(`${left} entries could not be placed: a close without all its markers`);
  return {
    entriesAfter: (position, max) => out.slice(position, position + max),
    lastPosition: () => out.length,
  };
}

/** A read model fed by `feed` as a cluster's read side is: states kept in its database, every entry delivered twice. */
export function projectedFrom(feed: LogFeed, partitionCount: number): ReadModel {
  const twice: LogFeed = {
    entriesAfter: (position, max) => feed.entriesAfter(position, max).flatMap((entry) => [entry, entry]),
    lastPosition: () => feed.lastPosition(),
  };
  const model = new ReadModel(':memory:', allProjectors);
  const runner = new ProjectionRunner(twice, model, allProjectors, new StoredStates(model.db, 50), partitionCount, { ...defaultProjectionLimits, entriesPerTransactionMax: 7, cachedStatesMax: 50 });
  while (runner.lag() > 0) runner.catchUp(7);
  return model;
}

const rowsOf = (db: ReadDatabase, sql: string) => db.prepare(sql).all();

/**
 * What the day rule decides, without feed positions (which differ between feeds): every leg
 * and flow with its day, the cuts by partition, lending at each partition's cut, the closes
 * and their balances, the loans' periods.
 */
export function daysView(db: ReadDatabase): Record<string, unknown[]> {
  return {
    legs: rowsOf(db, 'select account, transfer_id, side, amount, currency, at, business_date, day from legs order by 1, 2, 3, 4, 5, 6, 7, 8'),
    dayCuts: rowsOf(db, 'select date, partition from day_cuts order by 1, 2'),
    lendingParts: rowsOf(db, 'select * from day_lending_parts order by date, partition'),
    closedDays: rowsOf(db, 'select * from closed_days order by date'),
    eodBalances: rowsOf(db, 'select * from eod_balances order by date, account, currency'),
    loanPeriods: rowsOf(db, 'select * from loan_periods order by loan_id, number'),
    interestFlows: rowsOf(db, 'select * from interest_flows order by investor, seq'),
    capitalFlows: rowsOf(db, 'select investor, capital_id, day, delta from capital_flows order by 1, 2, 3, 4'),
  };
}
