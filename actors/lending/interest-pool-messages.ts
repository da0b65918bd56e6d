import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { InterestCreditKind, ReinvestAnchor } from '../../core/lending/interest-pool/interest-pool.js';

/** The interest pool actor of an investor: `ipool:<investor>`. */
export const interestPoolActorId = (investor: string) => `ipool:${investor}`;

/**
 * Messages of an investor's interest pool actor. Exported for the other lending processes:
 * the split credits repayments (11) and compensations (12); redemption switches reinvest
 * off and on, credits pull-backs (13, 14), uses the pool (22) and asks for a reinvest check
 * at its callback. Every money message names its flow: a redelivery is a duplicate.
 *
 * Ledger side: the pool money sits in one pooled ledger account, `sys.ipool` (this actor is
 * its per-investor sub-ledger). Whoever credits a pool also moves the money into
 * `sys.ipool` (the split does it for 11/12 in the same repayment); a use (22) or a
 * reinvestment (21) moves it out — the reinvestment by this actor's own outbox.
 */
export type InterestPoolMessage =
  | {
      readonly type: 'credit_interest';
      readonly data: {
        readonly investor: string;
        readonly flowId: string;
        readonly kind: InterestCreditKind;
        readonly amount: bigint;
        readonly ref: string;
        /** The investment the interest was earned by (null for pull-backs). */
        readonly source: ReinvestAnchor | null;
      };
    }
  | { readonly type: 'use_for_redemption'; readonly data: { readonly investor: string; readonly flowId: string; readonly amount: bigint; readonly ref: string } }
  | { readonly type: 'set_reinvest_switch'; readonly data: { readonly investor: string; readonly on: boolean } }
  | { readonly type: 'check_reinvest'; readonly data: { readonly investor: string; readonly expectedInterest: bigint } }
  | { readonly type: 'get_interest_pool' };

/** The reply to every command: the pool after it. */
export interface InterestPoolReply {
  readonly investor: string;
  readonly balance: bigint;
  readonly reinvestOn: boolean;
  readonly flows: number;
}

/** The ledger id of the n-th reinvestment of an investor's pool (sys.ipool → sys.pool). */
export const interestReinvestTransferId = (capitalId: string) => `sys.${capitalId}`;

export type { BusinessDate };
