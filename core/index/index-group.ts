import type { Decider } from '../decider.js';
import { reject, type Rejection } from '../rejection.js';

/**
 * A group of an index (the loans holding one investment's claims, the depository orders of
 * one wallet), owned by one actor so that it is found by its group key on whichever node
 * serves it. Entries arrive through the outbox, at least once and in any order: an entry
 * is replaced only by one of a higher rank (a later stage of what it describes), so
 * duplicates and late arrivals change nothing.
 */
export interface IndexEntry {
  readonly value: unknown;
  readonly rank: number;
}

export interface IndexGroupState {
  readonly entries: ReadonlyMap<string, IndexEntry>;
}

export const initialIndexGroupState: IndexGroupState = { entries: new Map() };

export const indexGroupLimits = {
  /** Entries one group holds; beyond, puts of new keys are refused (index_group_full). */
  entriesMax: 100_000,
  keyLengthMax: 256,
} as const;

export type IndexGroupRejectionCode = 'index_group_full' | 'index_key_invalid';

export interface IndexPut {
  readonly key: string;
  readonly value: unknown;
  readonly rank: number;
}

export type IndexGroupCommand = { readonly type: 'put_entry'; readonly data: IndexPut };

export type IndexGroupEvent = { readonly type: 'index_entry_put'; readonly data: IndexPut };

/**
 * put_entry, in this order: 1. index_key_invalid (empty, over keyLengthMax, or a rank that is
 * not a non-negative integer); a rank not above the stored one → nothing (a duplicate or a
 * late arrival); 2. index_group_full (a new key beyond entriesMax).
 */
function decide(state: IndexGroupState, command: IndexGroupCommand): readonly IndexGroupEvent[] | Rejection<IndexGroupRejectionCode> {
  const { key, rank } = command.data;
  if (key.length === 0 || key.length > indexGroupLimits.keyLengthMax || !Number.isSafeInteger(rank) || rank < 0) {
    return reject('index_key_invalid', `index key must be 1..${indexGroupLimits.keyLengthMax} characters with a rank ≥ 0`);
  }
  const stored = state.entries.get(key);
  if (stored !== undefined && stored.rank >= rank) return [];
  if (stored === undefined && state.entries.size >= indexGroupLimits.entriesMax) return reject('index_group_full', `an index group holds at most ${indexGroupLimits.entriesMax} entries`);
  return [{ type: 'index_entry_put', data: command.data }];
}

function evolve(state: IndexGroupState, event: IndexGroupEvent): IndexGroupState {
  // A copy per put: groups are small (one investment's loans, one wallet's orders).
  const entries = new Map(state.entries);
  entries.set(event.data.key, { value: event.data.value, rank: event.data.rank });
  return { entries };
}

/** The group's entries, by key. */
export function entriesOf(state: IndexGroupState): { readonly key: string; readonly value: unknown }[] {
  return [...state.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, entry]) => ({ key, value: entry.value }));
}

export const indexGroupDecider: Decider<IndexGroupState, IndexGroupCommand, IndexGroupEvent, IndexGroupRejectionCode, { readonly entries: number }> = {
  initialState: initialIndexGroupState,
  decide,
  evolve,
  reply: (state) => ({ entries: state.entries.size }),
};
