import type { BusinessDate } from '../../calendar/business-date.js';
import type { AccountDirectoryEntry } from '../../ledger/account.js';
import type { CapitalContent } from '../capital.js';

/** An investment as placed: fixed for good; a retry with the same id must carry the same content. */
export interface Investment {
  readonly id: string;
  readonly investor: string;
  readonly amount: bigint;
  readonly termDays: number;
  /**
   * The annual rate the investor expects (a canonical decimal string), or null/absent: its
   * expected interest (amount × rate × termDays / 365) is what a redemption keeps in the
   * interest pool before reinvesting the rest (seed 000).
   */
  readonly expectedRate?: string | null;
  readonly placedOn: BusinessDate;
  /** placedOn + termDays: when the investor is due their money back (redemption). */
  readonly maturityDate: BusinessDate;
  readonly placedAt: number;
}

/**
 * placed: the wallet debit is asked for · funded: the money is in the capital pool account ·
 * active: its capital is in a pool shard, matchable · failed: the debit was refused (recorded).
 */
export type InvestmentStatus = 'placed' | 'funded' | 'active' | 'failed';

export interface InvestmentState {
  readonly investment: Investment | null;
  readonly status: InvestmentStatus;
  readonly capitalId: string | null;
  readonly shard: number | null;
  readonly fundedAt: number | null;
  readonly activatedAt: number | null;
  readonly failure: { readonly code: string; readonly detail: string } | null;
  /** How many times its wallet debit was asked for (a refusal for want of funds may be retried); absent: 1. */
  readonly attempts?: number;
}

export const initialInvestmentState: InvestmentState = {
  investment: null,
  status: 'placed',
  capitalId: null,
  shard: null,
  fundedAt: null,
  activatedAt: null,
  failure: null,
};

/** The principal capital an investment creates: one per investment, named after it. */
export function capitalIdOf(investmentId: string): string {
  return `cap-${investmentId}`;
}

/** That capital's content: the investment's money, new, due back at its maturity. */
export function capitalContentOf(investment: Investment): CapitalContent {
  const { id, investor, amount, placedOn, maturityDate } = investment;
  return { id: capitalIdOf(id), investmentId: id, investor, principal: amount, property: 'principal', source: 'new', createdOn: placedOn, investRepayDate: maturityDate };
}

export type InvestmentCommand =
  | {
      readonly type: 'place_investment';
      readonly data: {
        readonly id: string;
        readonly investor: string;
        readonly amount: bigint;
        readonly termDays: number;
        readonly expectedRate: string | null;
        readonly at: number;
        readonly on: BusinessDate;
        /** The investor's wallet as the directory knows it, or null. */
        readonly investorAccount: AccountDirectoryEntry | null;
      };
    }
  /** `attempt`: the debit attempt answered; an answer to an earlier one (redelivered after a crash) changes nothing. Absent: the current one. */
  | { readonly type: 'funding_accepted'; readonly data: { readonly at: number; readonly shards: number; readonly attempt?: number } }
  | { readonly type: 'funding_refused'; readonly data: { readonly code: string; readonly detail: string; readonly at: number; readonly attempt?: number } }
  | { readonly type: 'capital_recorded'; readonly data: { readonly at: number } };

export type InvestmentEvent =
  /** attempt > 1: placed again after a refusal for want of funds (absent: 1). */
  | { readonly type: 'investment_placed'; readonly data: { readonly investment: Investment; readonly attempt?: number } }
  /** The money is in the pool: its capital goes to its shard (carried whole, so the outbox can deliver it). */
  | { readonly type: 'investment_funded'; readonly data: { readonly capital: CapitalContent; readonly shard: number; readonly at: number } }
  | { readonly type: 'investment_activated'; readonly data: { readonly at: number } }
  | { readonly type: 'investment_failed'; readonly data: { readonly code: string; readonly detail: string; readonly at: number } };
