import type { BusinessDate } from '../../calendar/business-date.js';
import type { CapitalContent } from '../capital.js';
import type { ReinvestAnchor } from '../interest-pool/interest-pool.js';
import type { SchedulePeriod } from '../schedule/schedule.js';
import type { RepaymentSplit } from '../split/split.js';

/**
 * What a payment of a loan is:
 * - `due`: the borrower pays the current period (principal + interest, + penalty when late);
 * - `early`: the borrower pays more than is due before the due date (提前还款): interest to
 *   the date, the rest principal; the open periods are recomputed (lower installments);
 * - `compensation`: the guarantee pays an overdue period on the borrower's behalf (代偿) and
 *   acquires that debt;
 * - `debt`: the borrower repays a compensated period — to the guarantee, with its penalty.
 */
export type RepaymentKind = 'due' | 'early' | 'compensation' | 'debt';

export type Payer = 'borrower' | 'guarantee';

/** holding: the payer's money is being held · sent: the batch is at the bank · then its outcome. */
export type RepaymentStage = 'holding' | 'sent' | 'succeeded' | 'failed';

/** A debt the guarantee acquired by compensating a period: the borrower owes it back. */
export interface GuaranteeDebt {
  readonly period: number;
  readonly dueDate: BusinessDate;
  readonly principal: bigint;
  readonly interest: bigint;
  readonly compensationId: string;
}

/** A period no longer open: paid by the borrower, or compensated by the guarantee. */
export interface SettledPeriod {
  readonly number: number;
  readonly dueDate: BusinessDate;
  readonly by: Payer;
  readonly repaymentId: string;
  readonly principal: bigint;
  readonly interest: bigint;
  readonly penalty: bigint;
  readonly settledOn: BusinessDate;
}

/**
 * The loan's repayment book, fixed from its schedule on the first payment: the periods still
 * open (the first is the current one), those settled, and what the guarantee is owed.
 * Always: principalOutstanding = Σ open periods' principal = Σ live claims' outstanding.
 */
export interface RepaymentBook {
  readonly open: readonly SchedulePeriod[];
  readonly settled: readonly SettledPeriod[];
  readonly principalOutstanding: bigint;
  readonly guaranteeDebts: readonly GuaranteeDebt[];
  readonly nextNo: number;
}

/** One payment of a loan, from its request to its outcome. */
export interface Repayment {
  /** The client's id (or the compensation's). */
  readonly id: string;
  /** Its number in the loan: names its ledger transfers and its bank order. */
  readonly no: number;
  readonly kind: RepaymentKind;
  readonly payer: Payer;
  /** The account that pays: the borrower's wallet, or the guarantee. */
  readonly payerAccount: string;
  /** What the client asked for: the amount (null: what is due) — the content a retry must repeat. */
  readonly requested: bigint | null;
  /** The period it pays (the current one for an early repayment). */
  readonly period: number;
  readonly principal: bigint;
  readonly interest: bigint;
  readonly penalty: bigint;
  /** What the loan takes: principal + interest + penalty (+ the guarantee fee). */
  readonly total: bigint;
  /** The period's guarantee fee, paid with it to the guarantee (a borrower's due period under a product with one; absent: none). */
  readonly guaranteeFee?: bigint;
  /**
   * What the payer sent above what closes the loan, returned to the payer's wallet (the
   * product's `overpayment: return_to_wallet`): held with the total, moved back out of
   * sys.transit (`.x`) once the bank has taken the total; never sent to the bank. Absent in
   * payments recorded before the option: none.
   */
  readonly excess?: bigint;
  /** How it is split over the claims as the loan stood when it was decided (null for a debt: all to the guarantee). */
  readonly split: RepaymentSplit | null;
  /** For an early repayment: the open periods after it. */
  readonly reschedule: readonly SchedulePeriod[] | null;
  readonly stage: RepaymentStage;
  readonly orderNo: string;
  readonly holdTransferId: string;
  readonly requestedOn: BusinessDate;
  readonly requestedAt: number;
  readonly failure: { readonly code: string; readonly detail: string } | null;
  readonly bankTxnId: string | null;
  readonly completedAt: number | null;
}

export function repaymentOrderNoOf(loanId: string, no: number): string {
  return `rp-${loanId}-${no}`;
}

/** The payer's hold (payer → sys.transit), posted on the bank's success, voided on failure. */
export function repaymentHoldIdOf(loanId: string, no: number): string {
  return `sys.rp.${loanId}.${no}`;
}

/**
 * The split's transfers out of sys.transit: `.p` to the pool, `.i` to the interest pools, `.v`
 * to revenue, `.g` to the guarantee; `.x` the excess back to the payer's wallet.
 */
export function repaymentLegIdOf(loanId: string, no: number, leg: 'p' | 'i' | 'v' | 'g' | 'f' | 'x'): string {
  return `sys.rp.${loanId}.${no}.${leg}`;
}

/** The capital a claim's repaid principal becomes (repayment- or compensation-reinvest): one per claim and payment. */
export function reinvestCapitalIdOfClaim(claimOrderNo: string, no: number): string {
  return `${claimOrderNo}:r${no}`;
}

/** A payment's reinvest capitals as one group (one shard, one event): one per loan and payment. */
export function reinvestGroupIdOf(loanId: string, no: number): string {
  return `${loanId}:r${no}`;
}

/** The interest pool flow of a claim's interest in a payment. */
export function interestFlowIdOf(claimOrderNo: string, no: number): string {
  return `${claimOrderNo}:r${no}`;
}

/** The part of a payment returned to the payer (0 for every payment but an overpayment under return_to_wallet). */
export function excessOf(repayment: Repayment): bigint {
  return repayment.excess ?? 0n;
}

/** What the payer's hold takes: the total and any excess (returned after the bank's success). */
export function heldAmountOf(repayment: Repayment): bigint {
  return repayment.total + excessOf(repayment);
}

export function isFinalStage(stage: RepaymentStage): boolean {
  return stage === 'succeeded' || stage === 'failed';
}

/** What a claim's share of a successful payment becomes: reinvest capital in the pool, and an interest pool credit. */
export interface ReinvestedShare {
  readonly orderNo: string;
  readonly capital: { readonly content: CapitalContent; readonly shard: number } | null;
  readonly interestFlow: { readonly investor: string; readonly flowId: string; readonly amount: bigint; readonly source: ReinvestAnchor } | null;
}
