import { addDays, dateOfInstant } from '../../core/calendar/business-date.js';
import { prepared, type ReadDatabase } from './read-model.js';

/**
 * The cut markers of every closed day, one per partition, at their position in the feed. A
 * partition's markers come in its own order, each for a later date than the one before.
 */
export const dayCutsSchema = [
  `create table if not exists day_cuts (date text not null, partition integer not null, position integer not null,
    chain_position integer, chain_hash text, primary key (date, partition))`,
  'create index if not exists day_cuts_by_partition on day_cuts(partition, position)',
];

/**
 * The business day a posting belongs to: the date it was made on (stamped on its log entry),
 * unless its own partition was already cut for that day when it was made — then the next
 * open day. Only the partition's own markers count: a cluster's feed orders each partition
 * but interleaves them arbitrarily, and within a partition a marker and the entries after it
 * always arrive in the order they were journaled. So a closed day never changes, and a
 * rebuild from any feed of the same partitions assigns every posting the same day.
 */
export function postingDay(db: ReadDatabase, partition: number, position: number, businessDate: string | null, atMs: number): string {
  // The partition's markers have increasing dates along their positions: the last one before the entry is the latest day cut.
  const row = prepared(db, 'select date from day_cuts where partition = ? and position < ? order by position desc limit 1').get(BigInt(partition), BigInt(position)) as
    | { date: string }
    | undefined;
  const made = businessDate ?? dateOfInstant(atMs);
  const lastCut = row?.date ?? null;
  return lastCut === null || made > lastCut ? made : addDays(lastCut, 1);
}

/** The chain heads the day's markers recorded, by partition (partitions whose journal had no chain, or nothing sealed, are left out). */
export function chainHeadsAtCut(db: ReadDatabase, date: string, partitionCount: number): { readonly partition: number; readonly position: number; readonly hash: string }[] {
  const rows = prepared(db, 'select partition, chain_position, chain_hash from day_cuts where date = ? and partition < ? and chain_hash is not null order by partition').all(date, BigInt(partitionCount)) as {
    partition: bigint;
    chain_position: bigint;
    chain_hash: string;
  }[];
  return rows.map((row) => ({ partition: Number(row.partition), position: Number(row.chain_position), hash: row.chain_hash }));
}

/** How many of the partitions 0..partitionCount-1 the read model holds the day's marker of, and the highest marker position. */
export function cutMarkersOf(db: ReadDatabase, date: string, partitionCount: number): { readonly partitions: number; readonly highestPosition: number | null } {
  const row = prepared(db, 'select count(*) as n, max(position) as highest from day_cuts where date = ? and partition < ?').get(date, BigInt(partitionCount)) as {
    n: bigint;
    highest: bigint | null;
  };
  return { partitions: Number(row.n), highestPosition: row.highest === null ? null : Number(row.highest) };
}
