import { reject } from '../../rejection.js';
import type { LoanCommand } from './commands.js';
import type { LoanDecision } from './decide-loan.js';
import type { LoanEvent } from './events.js';
import { feeOf } from '../../clearing/fee.js';
import { allocate } from '../../money/allocate.js';
import { disbursementOrderNoOf, type DisbursementItem, type Loan, type LoanState } from './loan.js';
import { maturityOf } from './term.js';

/**
 * approve_loan (满标审核), checked in this order:
 * 1. loan_not_found
 * 2. already approved → duplicate (the reply restates the approval)
 * 3. loan_not_funded (still matching: not every unit of it is reserved)
 * The value date is the approval's business date; the pool money is held for the borrower
 * and the repayment plan asked for, both by the outbox.
 */
export function decideApprove(state: LoanState, { data }: Extract<LoanCommand, { type: 'approve_loan' }>): LoanDecision {
  const loan = state.loan;
  if (loan === null) return reject('loan_not_found', 'no such loan');
  if (state.approval !== null) return [];
  if (state.status !== 'funded') return reject('loan_not_funded', `loan ${loan.id} is ${state.status}: ${state.reserved} of ${loan.amount} reserved`);
  const approval = { approvedAt: data.at, approvedOn: data.on, startDate: data.on, maturityDate: maturityOf(loan.term, data.on) };
  return [{ type: 'loan_approved', data: { approval, loan, orderNo: disbursementOrderNoOf(loan.id) } }];
}

/** The pool money is held: the disbursement batch goes to the bank, one item per claim. */
export function decideHoldPlaced(state: LoanState, { data }: Extract<LoanCommand, { type: 'disbursement_hold_placed' }>): readonly LoanEvent[] {
  const loan = state.loan;
  if (loan === null || state.disbursement?.stage !== 'holding' || state.approval === null) return [];
  return [{ type: 'disbursement_requested', data: { orderNo: state.disbursement.orderNo, items: disbursementItemsOf(state.claims, loan, data.revenueAccount), at: data.at, on: state.approval.approvedOn, borrower: loan.borrower } }];
}

/** The management fee of a loan: its product's rule on its amount (0 without one). */
export function managementFeeOf(loan: Pick<Loan, 'amount' | 'product'>): bigint {
  return loan.product.managementFee === undefined ? 0n : feeOf(loan.product.managementFee, loan.amount);
}

/**
 * One item per claim from its investor to the borrower; with a management fee, each claim's
 * part of it (pro rata to its amount, largest remainder) goes to the platform's revenue
 * account instead: the bank pays the borrower the net.
 */
function disbursementItemsOf(claims: LoanState['claims'], loan: Loan, revenueAccount: string): DisbursementItem[] {
  const fee = managementFeeOf(loan);
  const fees = fee === 0n ? claims.map(() => 0n) : allocate(fee, claims.map((claim) => claim.amount));
  return claims.flatMap((claim, i) => {
    const part = fees[i] ?? 0n;
    const toBorrower = { ref: claim.orderNo, from: claim.investor, to: loan.borrower, amount: claim.amount - part };
    return part === 0n ? [toBorrower] : [toBorrower, { ref: `${claim.orderNo}/fee`, from: claim.investor, to: revenueAccount, amount: part }];
  });
}

/** The ledger refused to hold the pool money (the borrower's wallet closed meanwhile, …): the loan fails. */
export function decideHoldRefused(state: LoanState, { data }: Extract<LoanCommand, { type: 'disbursement_hold_refused' }>): readonly LoanEvent[] {
  const loan = state.loan;
  if (loan === null || state.disbursement?.stage !== 'holding') return [];
  return [{ type: 'disbursement_failed', data: { loanId: loan.id, code: data.code, detail: data.detail, at: data.at, shards: shardsOf(state), holdPlaced: false } }];
}

/** The bank's result, once: success confirms the reservations and pays out the hold; failure releases both. */
export function decideDisbursementResult(state: LoanState, { data }: Extract<LoanCommand, { type: 'disbursement_result' }>): readonly LoanEvent[] {
  const loan = state.loan;
  const disbursement = state.disbursement;
  if (loan === null || disbursement === null || disbursement.orderNo !== data.orderNo || disbursement.stage !== 'requested') return [];
  if (data.outcome === 'succeeded') {
    const managementFee = managementFeeOf(loan);
    return [{ type: 'disbursement_succeeded', data: { loanId: loan.id, bankTxnId: data.bankTxnId, at: data.at, shards: shardsOf(state), ...(managementFee > 0n ? { borrower: loan.borrower, managementFee } : {}) } }];
  }
  const code = data.code ?? 'bank_failed';
  return [{ type: 'disbursement_failed', data: { loanId: loan.id, code, detail: data.detail ?? code, at: data.at, shards: shardsOf(state), holdPlaced: true } }];
}

export function decidePlanRecorded(state: LoanState, { data }: Extract<LoanCommand, { type: 'plan_recorded' }>): readonly LoanEvent[] {
  if (state.loan === null || state.plan !== null) return [];
  return [{ type: 'plan_attached', data }];
}

/** The shards holding this loan's reservations, each once, in order. */
function shardsOf(state: LoanState): number[] {
  return [...new Set(state.claims.map((claim) => claim.shard))].sort((a, b) => a - b);
}
