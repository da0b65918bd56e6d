import type { ChainHead } from '../audit/chain-head.js';
import type { Decider } from '../decider.js';
import { isBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import { reject, type Rejection } from '../rejection.js';
import { pinnedActorIds } from '../ledger/pinned-actor.js';

/**
 * A day's cut on one partition. A cluster has no total order of its log, only an order per
 * partition, so the end of a business day is a marker journaled on every partition: on each,
 * the entries before its marker belong to the day (or earlier), those after it to later days.
 * One actor per partition keeps its markers (`daycut:<p>`, pinned to partition p).
 */
export interface DayCutState {
  /** The last business date cut on this partition (null: none yet). */
  readonly cutThrough: BusinessDate | null;
}

export const initialDayCutState: DayCutState = { cutThrough: null };

/** `chainHead`: where the partition's hash chain ends as the cut is decided (null: no chain, or nothing sealed yet). */
export type DayCutCommand = { readonly type: 'cut_day'; readonly data: { readonly date: BusinessDate; readonly at: number; readonly chainHead: ChainHead | null } };

/** A marker from before the chain has no `chainHead`. */
export type DayCutEvent = { readonly type: 'day_cut'; readonly data: { readonly date: BusinessDate; readonly at: number; readonly chainHead?: ChainHead | null } };

export const dayCutRejectionCodes = ['eod_cut_date_invalid'] as const;
export type DayCutRejectionCode = (typeof dayCutRejectionCodes)[number];

export type DayCutDecision = readonly DayCutEvent[] | Rejection<DayCutRejectionCode>;

/** What a cut answers: the last date this partition is cut through, after the command. */
export interface DayCutReply {
  readonly cutThrough: BusinessDate | null;
}

/**
 * cut_day, checked in this order:
 * 1. eod_cut_date_invalid (the date is no business date)
 * 2. the date is on or before the last cut → nothing (a retried close cuts nothing twice,
 *    and a cut never moves back)
 * 3. otherwise the marker, with the partition's chain head as the command brings it
 */
export function decideDayCut(state: DayCutState, command: DayCutCommand): DayCutDecision {
  const { date, at, chainHead } = command.data;
  if (!isBusinessDate(date)) return reject('eod_cut_date_invalid', `${JSON.stringify(date)} is not a business date (YYYY-MM-DD)`);
  if (state.cutThrough !== null && date <= state.cutThrough) return [];
  return [{ type: 'day_cut', data: { date, at, chainHead } }];
}

export function evolveDayCut(_state: DayCutState, event: DayCutEvent): DayCutState {
  return { cutThrough: event.data.date };
}

export const dayCutDecider: Decider<DayCutState, DayCutCommand, DayCutEvent, DayCutRejectionCode, DayCutReply> = {
  initialState: initialDayCutState,
  decide: decideDayCut,
  evolve: evolveDayCut,
  reply: (state) => ({ cutThrough: state.cutThrough }),
};

const dayCutActors = pinnedActorIds('daycut:');

/** The cut actor of partition p. */
export const dayCutActorIdOf = dayCutActors.idOf;

/** The partition a cut actor's id names (null for any other actor id, or a malformed one). */
export const partitionNamedByDayCut = dayCutActors.partitionNamedBy;
