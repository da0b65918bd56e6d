import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { PayoffQuote } from '../../core/lending/repayment/payoff.js';
import type { CapitalReading } from '../../core/lending/capital.js';
import type { Claim } from '../../core/lending/claim.js';
import type { InvestmentState } from '../../core/lending/investment/investment.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import type { RepaymentPlan } from '../../core/lending/plan/plan.js';
import type { RedemptionState } from '../../core/lending/redemption/redemption.js';
import type { ActorReply } from '../runtime/behavior.js';

export interface InvestmentInput {
  readonly id: string;
  readonly investor: string;
  readonly amount: string;
  readonly termDays: number;
  /** The annual rate the investor expects ("0.08"), optional: kept back at redemption before reinvesting (seed 000). */
  readonly expectedRate?: string;
}

export interface LoanInput {
  readonly id: string;
  readonly borrower: string;
  readonly amount: string;
  readonly annualRate: string;
  readonly termDays: number | null;
  readonly termMonths: number | null;
  readonly method: string;
  /** The loan product's name; absent or null: the configured default. */
  readonly product?: string | null;
}

/** A saga's state as a command left it: settled (its outcome is final) or still under way when the wait ran out. */
export interface SagaAnswer<State> {
  readonly state: State;
  readonly settled: boolean;
}

export interface InvestmentDetail {
  readonly investment: InvestmentState;
  readonly capital: CapitalReading | null;
}

/** What the gateway may ask of the lending processes. Refusals come back as `{ ok: false, code }`. */
export interface LendingApi {
  placeInvestment(input: InvestmentInput): Promise<ActorReply<SagaAnswer<InvestmentState>>>;
  getInvestment(id: string): Promise<ActorReply<InvestmentDetail>>;
  getInvestmentClaims(id: string): Promise<ActorReply<readonly Claim[]>>;
  publishLoan(input: LoanInput): Promise<ActorReply<LoanState>>;
  getLoan(id: string): Promise<ActorReply<LoanState>>;
  approveLoan(id: string): Promise<ActorReply<LoanState>>;
  getPlan(loanId: string): Promise<ActorReply<RepaymentPlan>>;
  /** What closes the loan on `on` (the pre-closure quote), from the loan's own repayment book. */
  getPayoff(loanId: string, on: BusinessDate): Promise<ActorReply<PayoffQuote>>;
  /** Starts (or restates) the redemption of an investment; `id` names it (default `rdm-<investmentId>`). */
  redeemInvestment(investmentId: string, id: string | null): Promise<ActorReply<RedemptionState>>;
  getRedemption(investmentId: string): Promise<ActorReply<RedemptionState>>;
}
