import type { BusinessDate } from '../../calendar/business-date.js';
import type { Capital, CapitalContent, CapitalProperty, CapitalSource } from '../capital.js';
import { matchQueuesOf, type MatchQueues } from './match-queue.js';

/**
 * One shard of the capital pool: the single authority over its capitals' reservations.
 *
 * Its collections grow with the platform (every repaid claim brings a capital), so its
 * `evolve` updates them **in place**: an event costs O(1) in the shard's size, where a copy
 * per event cost O(capitals). The discipline that makes this safe is the runtime's: the
 * state belongs to its actor alone; a batch's events are applied to it before its append is
 * durable, and a failed append (or a bug) discards the state and recovers it from the journal;
 * queries are answered only once a batch is durable; replies are read right after their own
 * events and hold no live collection; a snapshot is encoded when its append is issued.
 * Anyone else replaying a shard (a test, an audit) evolves a state of their own.
 */
export interface PoolShardState {
  readonly shard: number;
  /**
   * The live capitals: a capital leaves once fully matched (nothing of it can be reserved or
   * pulled back any more; at 100,000 loans these were half of the node's heap). It stays in
   * the journal, in the read models and in the `reservations` index (`capitalShardKey`, which
   * tells a redelivered add of it from a new capital).
   */
  readonly capitals: Map<string, Capital>;
  /** Open reservations: loan id → capital id → amount reserved for that loan. */
  readonly reservations: Map<string, Map<string, bigint>>;
  /** Capital ids by investment: a pull-back reads its investment's capitals, not the shard. */
  readonly byInvestment: Map<string, string[]>;
  /** Per source, the capitals in matching order (core/lending/pool/match-queue.ts). */
  readonly matchQueues: MatchQueues;
  arrivals: number;
  /** Pull-backs decided here: numbers the pool's payments to redeeming investors. */
  pullBacks: number;
}

export function initialPoolShardState(shard: number): PoolShardState {
  return { shard, capitals: new Map(), reservations: new Map(), byInvestment: new Map(), matchQueues: new Map(), arrivals: 0, pullBacks: 0 };
}

/** What a loan learns of a capital it reserved: enough to write the claim. */
export interface ReservationPiece {
  readonly capitalId: string;
  readonly investmentId: string;
  readonly investor: string;
  readonly shard: number;
  readonly amount: bigint;
  readonly property: CapitalProperty;
  readonly source: CapitalSource;
  readonly investRepayDate: BusinessDate;
}

export interface HeldPiece {
  readonly capitalId: string;
  readonly amount: bigint;
}

/** How a loan's reservations in a shard ended (kept in the `reservations` index). */
export type ReservationOutcome = 'confirmed' | 'released';

export type PoolCommand =
  | {
      readonly type: 'add_capital';
      readonly data: {
        readonly capital: CapitalContent;
        readonly shard: number;
        /** Whether this capital was added to this shard before (its index entry names the shard): one no longer live is then a redelivery. */
        readonly addedBefore?: boolean;
      };
    }
  /**
   * A group of capitals that arrive together (a payment's reinvest capitals), added as one:
   * one event, one record of the group, whatever its size. The group's id is unique and names
   * its shard; every capital's id is unique too.
   */
  | {
      readonly type: 'add_capitals';
      readonly data: {
        readonly group: string;
        readonly capitals: readonly CapitalContent[];
        readonly shard: number;
        /** Whether this group was added here before (its index entry names the shard): a redelivery. */
        readonly addedBefore?: boolean;
      };
    }
  | {
      readonly type: 'reserve';
      readonly data: {
        readonly loanId: string;
        /** Unique per loan: a redelivered request is answered from its record, never reserved again. */
        readonly requestNo: number;
        readonly source: CapitalSource;
        readonly amount: bigint;
        /** The business date: capital whose investment matures on or before it is not matched. */
        readonly on: BusinessDate;
        readonly piecesMax: number;
        /** The answer recorded for this request, if it was decided before. */
        readonly recorded: readonly ReservationPiece[] | null;
      };
    }
  | { readonly type: 'confirm_reservations'; readonly data: { readonly loanId: string; readonly outcome: ReservationOutcome | null } }
  | { readonly type: 'release_reservations'; readonly data: { readonly loanId: string; readonly outcome: ReservationOutcome | null } }
  /** A claim transfer's switch: these amounts of its reservations become matched, the rest is freed. */
  | { readonly type: 'settle_transfer'; readonly data: { readonly key: string; readonly confirmed: readonly HeldPiece[]; readonly outcome: ReservationOutcome | null } }
  /** A redemption takes back what its investment's principal capital here holds unmatched. */
  | {
      readonly type: 'pull_back_investment';
      readonly data: {
        readonly investmentId: string;
        readonly investor: string;
        readonly redemptionId: string;
        readonly round: number;
        /** The answer recorded for this (redemption, round) here, if decided before. */
        readonly recorded: PullBackAnswer | null;
      };
    };

/** A shard's reply to `reserve`. */
export interface ReservationReply {
  readonly requestNo: number;
  readonly pieces: readonly ReservationPiece[];
}

/** A shard's answer to a pull-back: what it paid back, and which loans still hold reservations on the capital. */
export interface PullBackAnswer {
  readonly shard: number;
  readonly round: number;
  /** Principal capital given back (to the wallet). */
  readonly pulledBack: bigint;
  /** Interest capital given back (to the investor's interest pool, flow 13). */
  readonly interestPulledBack: bigint;
  readonly reservedAmount: bigint;
  readonly reservedLoans: readonly string[];
  /**
   * The shard tells the redemption once the ledger has booked the transfer of `pulledBack`
   * (debited sys.pool, which may first wait for the pool's money; the wallet's credit follows
   * from sys.pool's outbox, as every transfer's does): the redemption counts it back only
   * then (pull_back_booked), as it counts a claim transfer's payout. Absent in answers given
   * before shards told it: those count as booked when answered.
   */
  readonly tellsBooking?: boolean;
}

export type PoolEvent =
  | { readonly type: 'capital_added'; readonly data: { readonly capital: Capital } }
  /** A group's capitals, in arrival order: the same as one `capital_added` per capital. */
  | { readonly type: 'capitals_added'; readonly data: { readonly group: string; readonly capitals: readonly Capital[] } }
  /** A reservation request answered (possibly with nothing): recorded so a redelivery gets the same answer. */
  | { readonly type: 'reservation_answered'; readonly data: { readonly loanId: string; readonly requestNo: number; readonly pieces: readonly ReservationPiece[] } }
  /** The bank paid the loan out: its reservations here become matched. */
  | { readonly type: 'reservations_confirmed'; readonly data: { readonly loanId: string; readonly pieces: readonly HeldPiece[] } }
  /** The loan failed: its reservations here are freed. */
  | { readonly type: 'reservations_released'; readonly data: { readonly loanId: string; readonly pieces: readonly HeldPiece[] } }
  /** A claim transfer's reservations settled: part matched, the rest freed. */
  | { readonly type: 'reservations_split'; readonly data: { readonly loanId: string; readonly confirmed: readonly HeldPiece[]; readonly released: readonly HeldPiece[] } }
  /** Unmatched principal capital of a redeeming investment goes back to its investor (the payment is `pullBackNo`'s). */
  | {
      readonly type: 'capital_pulled_back';
      readonly data: {
        readonly investmentId: string;
        readonly investor: string;
        readonly redemptionId: string;
        readonly pullBackNo: number;
        readonly pieces: readonly HeldPiece[];
        readonly answer: PullBackAnswer;
      };
    };

/**
 * The shard with its indexes (by investment, match queues) derived from its capitals: what a
 * shard woken from a snapshot uses, whatever the snapshot held of them (one written before
 * the indexes existed held none).
 */
export function withPoolIndexes(state: PoolShardState): PoolShardState {
  const byInvestment = new Map<string, string[]>();
  // A snapshot written before fully matched capitals left the live state still holds them.
  for (const capital of state.capitals.values()) if (capital.status === 'fully_matched') state.capitals.delete(capital.id);
  const ordered = [...state.capitals.values()].sort((a, b) => a.arrival - b.arrival);
  for (const capital of ordered) {
    const ids = byInvestment.get(capital.investmentId);
    if (ids === undefined) byInvestment.set(capital.investmentId, [capital.id]);
    else ids.push(capital.id);
  }
  return { ...state, byInvestment, matchQueues: matchQueuesOf(ordered) };
}
