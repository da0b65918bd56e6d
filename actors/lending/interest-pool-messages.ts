import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { InterestPoolCommand } from '../../core/lending/interest-pool/interest-pool.js';

/**
 * The address of an investor's interest pool: `ipool:<investor>`. It is served by the
 * shard of the partition the address hashes to, `ipool:@<p>` (the actor system maps one to
 * the other, interest-pool-behavior.ts); every message names its investor.
 */
export const interestPoolActorId = (investor: string) => `ipool:${investor}`;

/**
 * Messages of an investor's interest pool actor. Exported for the other lending processes:
 * the split credits repayments (11) and compensations (12); redemption holds reinvest
 * off and releases it, credits pull-backs (13, 14), uses the pool (22) and asks for a reinvest check
 * at its callback. Every money message names its flow: a redelivery is a duplicate.
 *
 * Ledger side: the pool money sits in one pooled ledger account, `sys.ipool` (this actor is
 * its per-investor sub-ledger). Whoever credits a pool also moves the money into
 * `sys.ipool` (the split does it for 11/12 in the same repayment); a use (22) or a
 * reinvestment (21) moves it out — the reinvestment by this actor's own outbox.
 */
export type InterestPoolMessage =
  | Sent<'credit_interest', 'on' | 'at' | 'rule' | 'knownFlowSeq'>
  | Sent<'use_for_redemption', 'on' | 'at' | 'knownFlowSeq'>
  | Sent<'set_reinvest_switch', 'at'>
  | Sent<'hold_reinvest', 'at'>
  | Sent<'release_reinvest', 'at'>
  | Sent<'check_reinvest', 'on' | 'at' | 'rule'>
  | { readonly type: 'get_interest_pool'; readonly data: { readonly investor: string } };

/** A command as other actors send it: the pool's actor adds what it knows itself (the business date, the time, the reinvest rule, whether the flow is known). */
type Sent<T extends InterestPoolCommand['type'], Added extends string> = {
  readonly type: T;
  readonly data: Omit<Extract<InterestPoolCommand, { readonly type: T }>['data'], Added>;
};

/** The reply to every command: the pool after it. */
export type { InterestPoolReply } from '../../core/lending/interest-pool/decide-interest-pool.js';

/** The ledger id of the n-th reinvestment of an investor's pool (sys.ipool → sys.pool). */
export const interestReinvestTransferId = (capitalId: string) => `sys.${capitalId}`;

export type { BusinessDate };
