import type { BusinessDate } from '../../calendar/business-date.js';
import type { Capital, CapitalContent, CapitalProperty, CapitalSource } from '../capital.js';

/** One shard of the capital pool: the single authority over its capitals' reservations. */
export interface PoolShardState {
  readonly shard: number;
  readonly capitals: ReadonlyMap<string, Capital>;
  /** Open reservations: loan id → capital id → amount reserved for that loan. */
  readonly reservations: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
  readonly arrivals: number;
}

export function initialPoolShardState(shard: number): PoolShardState {
  return { shard, capitals: new Map(), reservations: new Map(), arrivals: 0 };
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
  | { readonly type: 'add_capital'; readonly data: { readonly capital: CapitalContent; readonly shard: number } }
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
  | { readonly type: 'release_reservations'; readonly data: { readonly loanId: string; readonly outcome: ReservationOutcome | null } };

export type PoolEvent =
  | { readonly type: 'capital_added'; readonly data: { readonly capital: Capital } }
  /** A reservation request answered (possibly with nothing): recorded so a redelivery gets the same answer. */
  | { readonly type: 'reservation_answered'; readonly data: { readonly loanId: string; readonly requestNo: number; readonly pieces: readonly ReservationPiece[] } }
  /** The bank paid the loan out: its reservations here become matched. */
  | { readonly type: 'reservations_confirmed'; readonly data: { readonly loanId: string; readonly pieces: readonly HeldPiece[] } }
  /** The loan failed: its reservations here are freed. */
  | { readonly type: 'reservations_released'; readonly data: { readonly loanId: string; readonly pieces: readonly HeldPiece[] } };
