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
}

/** What one loan has told of the transfers of the investment's claims in it. */
export interface LoanTransfers {
  /** Principal the switches paid so far (it only grows: the largest report wins). */
  readonly proceeds: bigint;
  /** No transfer under way and no live claim of the investment left there. */
  readonly settled: boolean;
}

/**
 * The redemption saga (`rdm:<investmentId>`). It works in rounds: each round asks every pool
 * shard to pull back the investment's unmatched principal capital (paid to the wallet by the
 * shard) and every loan holding its claims to transfer them (paid to the wallet by the loan's
 * switch). It is done when what came back — pulled back plus transferred — is the whole
 * principal. Until then it starts another round every `recheckMs`: capital still reserved
 * for a loan being disbursed ends matched (a claim to transfer) or released (capital to pull
 * back); loans without capital to take the claims are woken by the waiting book meanwhile.
 */
export interface RedemptionState {
  readonly redemption: Redemption | null;
  readonly status: 'redeeming' | 'completed';
  readonly round: number;
  readonly shards: number;
  /** Answers taken, by `round/shard` (a redelivered answer counts once). */
  readonly answers: ReadonlyMap<string, PullBackAnswer>;
  readonly pulledBack: bigint;
  readonly loans: ReadonlyMap<string, LoanTransfers>;
  readonly nextCheckAt: number | null;
  readonly completedAt: number | null;
}

export const initialRedemptionState: RedemptionState = {
  redemption: null,
  status: 'redeeming',
  round: 0,
  shards: 0,
  answers: new Map(),
  pulledBack: 0n,
  loans: new Map(),
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

export const answerKeyOf = (answer: Pick<PullBackAnswer, 'round' | 'shard'>) => `${answer.round}/${answer.shard}`;

export type RedemptionCommand =
  | {
      readonly type: 'redeem';
      readonly data: {
        readonly id: string;
        /** The investment as its actor holds it (null: none). */
        readonly investment: InvestmentState | null;
        /** Loans holding live claims of the investment, as the claims index knows them. */
        readonly loans: readonly string[];
        readonly at: number;
        readonly on: BusinessDate;
        readonly shards: number;
        readonly recheckMs: number;
      };
    }
  | { readonly type: 'pull_back_answered'; readonly data: { readonly answer: PullBackAnswer; readonly at: number } }
  | { readonly type: 'transfers_progress'; readonly data: { readonly progress: TransferProgress; readonly at: number } }
  | { readonly type: 'recheck'; readonly data: { readonly at: number; readonly recheckMs: number } };

export type RedemptionEvent =
  | {
      readonly type: 'redemption_started';
      readonly data: { readonly redemption: Redemption; readonly shards: number; readonly loans: readonly string[]; readonly nextCheckAt: number };
    }
  /** A new round: every shard again, and the loans not yet settled. */
  | {
      readonly type: 'redemption_round_started';
      readonly data: { readonly redemption: Redemption; readonly round: number; readonly shards: number; readonly loans: readonly string[]; readonly nextCheckAt: number };
    }
  /** A shard gave back capital (possibly nothing) and named loans still holding reservations; new ones are asked to transfer. */
  | { readonly type: 'capital_returned'; readonly data: { readonly redemption: Redemption; readonly answer: PullBackAnswer; readonly newLoans: readonly string[] } }
  | { readonly type: 'transfers_reported'; readonly data: { readonly loanId: string; readonly proceeds: bigint; readonly settled: boolean } }
  | { readonly type: 'redemption_completed'; readonly data: { readonly at: number; readonly investor: string } };
