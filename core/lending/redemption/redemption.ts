import type { BusinessDate } from '../../calendar/business-date.js';
import type { InvestmentState } from '../investment/investment.js';
import type { TransferProgress } from '../loan/events.js';
import type { PullBackAnswer } from '../pool/pool.js';

/** A redemption (赎回) as requested: fixed for good. One per investment. */
export interface Redemption {
  readonly id: string;
  readonly investmentId: string;
  readonly investor: string;
  /** The investment's principal: what the redemption gives back in all. */
  readonly principal: bigint;
  readonly maturityDate: BusinessDate;
  readonly requestedOn: BusinessDate;
  readonly requestedAt: number;
  /** The investment's expected interest (its expected rate over its term): kept in the pool by the reinvest check at the end. Absent: 0. */
  readonly expectedInterest?: bigint;
}

/** What one loan has told of the transfers of the investment's claims in it. */
export interface LoanTransfers {
  /** Principal of principal claims the switches paid the wallet so far (it only grows: the largest report wins). */
  readonly proceeds: bigint;
  /** Principal of interest claims the switches paid the interest pool (flow 14). */
  readonly interestProceeds: bigint;
  /** No transfer under way and no live claim of the investment left there. */
  readonly settled: boolean;
  /** The transfers that paid those proceeds to the wallet, by id (absent: reported before they were). */
  readonly payouts?: readonly string[];
}

/**
 * The redemption saga (`rdm:<investmentId>`). It works in rounds: each round asks every pool
 * shard to pull back the investment's unmatched principal capital (paid to the wallet by the
 * shard) and every loan holding its claims to transfer them (paid to the wallet by the loan's
 * switch). It is done when what came back — pulled back plus transferred — is the whole
 * principal. Until then it starts another round every `recheckMs`: capital still reserved
 * for a loan being disbursed ends matched (a claim to transfer) or released (capital to pull
 * back); loans without capital to take the claims are woken by the waiting book meanwhile.
 *
 * Interest (seed 000): the investor's reinvest switch is off while it runs; interest capital
 * anchored to the investment is pulled back into the interest pool (flow 13) and interest
 * claims transferred into it (flow 14). Once the principal is back, every loan settled and no
 * shard holds a reservation on the investment's capital, the interest pool's balance is read
 * and paid to the wallet (flow 22, `redemption_use`), and the switch goes back on.
 */
export interface RedemptionState {
  readonly redemption: Redemption | null;
  /** redeeming: rounds under way · paying_interest: all is back, the interest pool is being read · completed. */
  readonly status: 'redeeming' | 'paying_interest' | 'completed';
  readonly round: number;
  readonly shards: number;
  /** Shards asked so far (the first round: those holding the investment's capitals; later rounds: all). */
  readonly askedShards: readonly number[];
  /** The first round's shards (every later round asks all). */
  readonly firstRoundShards: readonly number[];
  /**
   * Shards that answered, per round not yet fully answered (a redelivered answer counts once).
   * Rounds up to `answeredThrough` were answered by every shard asked and are forgotten:
   * any later answer of theirs is a redelivery. So the state stays small however long a
   * redemption waits.
   */
  readonly answered: ReadonlyMap<number, ReadonlySet<number>>;
  readonly answeredThrough: number;
  readonly pulledBack: bigint;
  /** Of pulledBack, what shards will tell booked (answers given before shards told it count as booked at once). */
  readonly pulledBackToBook: bigint;
  /** Pull-back transfers the ledger booked, by transfer id (debited sys.pool; the credit to the wallet follows): done only once they cover pulledBackToBook. */
  readonly pullBacksBooked: ReadonlyMap<string, bigint>;
  /** Pull-back transfers the ledger refused for good (by transfer id): their money stays in sys.pool, the redemption stays redeeming. */
  readonly pullBacksRefused: ReadonlyMap<string, { readonly code: string; readonly detail: string }>;
  readonly interestPulledBack: bigint;
  /** Flow-13 credits the interest pool confirmed (by flow id): the pool is read only once they cover interestPulledBack. */
  readonly interestCredits: ReadonlyMap<string, bigint>;
  /** Per shard, its latest answer's round and what it still had reserved then. */
  readonly reservedByShard: ReadonlyMap<number, { readonly round: number; readonly reservedAmount: bigint }>;
  readonly loans: ReadonlyMap<string, LoanTransfers>;
  /** The interest pool's balance paid out at the end (flow 22). */
  readonly interestPaid: bigint | null;
  /** The use asked of the interest pool and not answered yet. */
  readonly interestAsked: bigint | null;
  readonly nextCheckAt: number | null;
  readonly completedAt: number | null;
}

export const initialRedemptionState: RedemptionState = {
  redemption: null,
  status: 'redeeming',
  round: 0,
  shards: 0,
  askedShards: [],
  firstRoundShards: [],
  answered: new Map(),
  answeredThrough: 0,
  pulledBack: 0n,
  pulledBackToBook: 0n,
  pullBacksBooked: new Map(),
  pullBacksRefused: new Map(),
  interestPulledBack: 0n,
  interestCredits: new Map(),
  reservedByShard: new Map(),
  loans: new Map(),
  interestPaid: null,
  interestAsked: null,
  nextCheckAt: null,
  completedAt: null,
};

export function transferredOf(state: RedemptionState): bigint {
  let sum = 0n;
  for (const loan of state.loans.values()) sum += loan.proceeds;
  return sum;
}

/** Principal not yet given back. */
export function outstandingOf(state: RedemptionState): bigint {
  return state.redemption === null ? 0n : state.redemption.principal - state.pulledBack - transferredOf(state);
}

/** The pull-back transfers booked so far (see pullBacksBooked). */
export function pullBacksBookedOf(state: RedemptionState): bigint {
  let sum = 0n;
  for (const amount of state.pullBacksBooked.values()) sum += amount;
  return sum;
}

/**
 * Pulled back and booked: what shards told booked, and what was answered before shards told
 * bookings. At most pulledBack (a booking may be told before its shard's answer arrives).
 */
export function pulledBackBookedOf(state: RedemptionState): bigint {
  const booked = state.pulledBack - state.pulledBackToBook + pullBacksBookedOf(state);
  return booked < state.pulledBack ? booked : state.pulledBack;
}

export function interestTransferredOf(state: RedemptionState): bigint {
  let sum = 0n;
  for (const loan of state.loans.values()) sum += loan.interestProceeds;
  return sum;
}

/**
 * Everything is back: the whole principal (what was pulled back booked by the ledger, not
 * only answered by its shard), every loan settled (no live claim of the investment, no
 * transfer under way), the interest capital pulled back credited to the interest pool, and
 * every shard asked answered with no reservation left on its capital.
 */
export function isAllReturned(state: RedemptionState): boolean {
  if (state.redemption === null || outstandingOf(state) !== 0n) return false;
  if ([...state.loans.values()].some((loan) => !loan.settled)) return false;
  if (pullBacksBookedOf(state) !== state.pulledBackToBook) return false;
  let credited = 0n;
  for (const amount of state.interestCredits.values()) credited += amount;
  if (credited !== state.interestPulledBack) return false;
  return state.askedShards.every((shard) => state.reservedByShard.get(shard)?.reservedAmount === 0n);
}

/** Whether this answer was taken already (its round fully answered, or this shard's answer in it). */
export function isAnswerTaken(state: RedemptionState, answer: Pick<PullBackAnswer, 'round' | 'shard'>): boolean {
  return answer.round <= state.answeredThrough || (state.answered.get(answer.round)?.has(answer.shard) ?? false);
}

/** The shards a round asks. */
export function shardsOfRound(state: RedemptionState, round: number): readonly number[] {
  return round === 1 ? state.firstRoundShards : Array.from({ length: state.shards }, (_, shard) => shard);
}

export type RedemptionCommand =
  | {
      readonly type: 'redeem';
      readonly data: {
        readonly id: string;
        /** The investment as its actor holds it (null: none). */
        readonly investment: InvestmentState | null;
        /** Loans holding live claims of the investment, as the claims index knows them. */
        readonly loans: readonly string[];
        /** Shards holding the investment's capitals when it is asked: the first round asks only them. */
        readonly capitalShards: readonly number[];
        readonly at: number;
        readonly on: BusinessDate;
        readonly shards: number;
        readonly recheckMs: number;
      };
    }
  | { readonly type: 'pull_back_answered'; readonly data: { readonly answer: PullBackAnswer; readonly at: number } }
  | { readonly type: 'transfers_progress'; readonly data: { readonly progress: TransferProgress; readonly at: number } }
  /** Rounds back off: the n-th waits recheckMs × 2^(n−1), at most recheckMaxMs. */
  | { readonly type: 'recheck'; readonly data: { readonly at: number; readonly recheckMs: number; readonly recheckMaxMs: number } }
  /** The ledger booked a pull-back's transfer (debited sys.pool) — or refused it for good. */
  | { readonly type: 'pull_back_booked'; readonly data: { readonly transferId: string; readonly amount: bigint; readonly at: number } }
  | { readonly type: 'pull_back_refused'; readonly data: { readonly transferId: string; readonly code: string; readonly detail: string; readonly at: number } }
  /** The interest pool took a pull-back's interest capital (flow 13). */
  | { readonly type: 'interest_pull_back_credited'; readonly data: { readonly flowId: string; readonly amount: bigint; readonly at: number } }
  /** The investor's interest pool as read at the end. */
  | { readonly type: 'interest_balance'; readonly data: { readonly balance: bigint; readonly at: number } }
  /** The pool took the use (flow 22) — or refused it (another redemption of the investor used it meanwhile). */
  | { readonly type: 'interest_use_answered'; readonly data: { readonly accepted: boolean; readonly at: number } };

export type RedemptionEvent =
  | {
      readonly type: 'redemption_started';
      readonly data: {
        readonly redemption: Redemption;
        readonly shards: number;
        /** The shards the first round asks; every later round asks them all. */
        readonly askedShards: readonly number[];
        readonly loans: readonly string[];
        readonly nextCheckAt: number;
      };
    }
  /** A new round: every shard again, and the loans not yet settled. */
  | {
      readonly type: 'redemption_round_started';
      readonly data: { readonly redemption: Redemption; readonly round: number; readonly shards: number; readonly loans: readonly string[]; readonly nextCheckAt: number };
    }
  /** A shard gave back capital (possibly nothing) and named loans still holding reservations; new ones are asked to transfer. */
  | { readonly type: 'capital_returned'; readonly data: { readonly redemption: Redemption; readonly answer: PullBackAnswer; readonly newLoans: readonly string[] } }
  | { readonly type: 'interest_credit_confirmed'; readonly data: { readonly flowId: string; readonly amount: bigint } }
  /** The ledger booked a pull-back's transfer (debited sys.pool; its credit to the wallet follows). */
  | { readonly type: 'pull_back_booking_confirmed'; readonly data: { readonly transferId: string; readonly amount: bigint } }
  /** A pull-back's transfer was refused for good (say, the wallet was closed): recorded, the redemption does not complete. */
  | { readonly type: 'pull_back_booking_refused'; readonly data: { readonly transferId: string; readonly code: string; readonly detail: string } }
  | {
      readonly type: 'transfers_reported';
      readonly data: { readonly loanId: string; readonly proceeds: bigint; readonly interestProceeds: bigint; readonly settled: boolean; readonly payouts?: readonly string[] };
    }
  /** Everything is back: the interest pool is read next. */
  | { readonly type: 'redemption_returned'; readonly data: { readonly redemption: Redemption; readonly at: number } }
  /** The balance read is asked of the pool (flow 22, deduped by the redemption's flow id). */
  | { readonly type: 'interest_use_requested'; readonly data: { readonly redemption: Redemption; readonly amount: bigint } }
  /** Refused: the pool is read again. */
  | { readonly type: 'interest_use_refused'; readonly data: { readonly redemption: Redemption } }
  /**
   * Done: what the pool gave goes to the wallet, then reinvest is switched back on; beside it,
   * the wallet's lien on the investment goes once the credits of every transfer that paid it
   * back are in (`paidBy`: their ids; absent in a redemption completed before liens).
   */
  | { readonly type: 'redemption_completed'; readonly data: { readonly redemption: Redemption; readonly interestPaid: bigint; readonly at: number; readonly paidBy?: readonly string[] } };

/** The transfers that paid the investment's principal back to the wallet: the pull-backs booked and the claim transfers' payouts. */
export function principalPayoutsOf(state: RedemptionState): string[] {
  const ids = [...state.pullBacksBooked.keys()];
  for (const loan of state.loans.values()) ids.push(...(loan.payouts ?? []));
  return ids;
}
