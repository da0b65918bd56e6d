import type { InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import type { Repayment } from '../../core/lending/repayment/repayment.js';
import type { ActorReply } from '../runtime/behavior.js';

/** A page of an investor's interest pool: the pool, and its flows after `afterSeq`. */
export interface InterestPoolPage {
  readonly investor: string;
  readonly pool: InterestPoolState;
  readonly afterSeq: number;
  readonly limit: number;
}

export interface RepaymentInput {
  readonly id: string;
  /** Decimal string; null: what is due. */
  readonly amount: string | null;
}

export interface CompensationInput {
  readonly id: string;
  readonly period: number;
}

/** A payment and the loan as it left it. */
export interface RepaymentAnswer {
  readonly repayment: Repayment;
  readonly loan: LoanState;
}

/** What the gateway may ask of repayments, compensations and interest pools. Refusals come back as `{ ok: false, code }`. */
export interface FlowsApi {
  getInterestPool(investor: string, afterSeq: number, limit: number): Promise<ActorReply<InterestPoolPage>>;
  setReinvestSwitch(investor: string, on: boolean): Promise<ActorReply<InterestPoolPage>>;
  repay(loanId: string, input: RepaymentInput): Promise<ActorReply<RepaymentAnswer>>;
  compensate(loanId: string, input: CompensationInput): Promise<ActorReply<RepaymentAnswer>>;
  getRepayment(loanId: string, id: string): Promise<ActorReply<RepaymentAnswer>>;
}
