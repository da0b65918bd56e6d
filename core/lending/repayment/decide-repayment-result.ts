import { netInterestOf } from '../split/split.js';
import type { BankItem } from '../../bank/bank-order.js';
import { assert } from '../../rejection.js';
import { shardOfCapital, type CapitalSource } from '../capital.js';
import type { LoanCommand } from '../loan/commands.js';
import type { LoanEvent } from '../loan/events.js';
import type { LoanState } from '../loan/loan.js';
import { interestFlowIdOf, reinvestCapitalIdOfClaim, reinvestGroupIdOf, type ReinvestedShare, type Repayment } from './repayment.js';

/** The payer's money is held: the batch goes to the bank, one item per destination per claim. */
export function decideRepaymentHoldPlaced(state: LoanState, { data }: Extract<LoanCommand, { type: 'repayment_hold_placed' }>): readonly LoanEvent[] {
  const repayment = state.repayments.get(data.id);
  if (state.loan === null || repayment === undefined || repayment.stage !== 'holding') return [];
  return [{ type: 'repayment_sent', data: { id: repayment.id, orderNo: repayment.orderNo, items: bankItemsOf(repayment, data.revenueAccount, data.guaranteeAccount), at: data.at, on: data.on } }];
}

export function decideRepaymentHoldRefused(state: LoanState, { data }: Extract<LoanCommand, { type: 'repayment_hold_refused' }>): readonly LoanEvent[] {
  const repayment = state.repayments.get(data.id);
  if (state.loan === null || repayment === undefined || repayment.stage !== 'holding') return [];
  return [{ type: 'repayment_failed', data: { loanId: state.loan.id, repayment, code: data.code, detail: data.detail, at: data.at, holdPlaced: false } }];
}

/**
 * The bank's result, once: success applies the split decided at the request (claims,
 * book, reinvest capital, interest pools); failure voids the hold and leaves the period
 * unpaid. A result for another order, or a second one, changes nothing.
 */
export function decideRepaymentResult(state: LoanState, { data }: Extract<LoanCommand, { type: 'repayment_result' }>): readonly LoanEvent[] {
  const loan = state.loan;
  const id = state.repaymentInFlight;
  const repayment = id === null ? undefined : state.repayments.get(id);
  if (loan === null || repayment === undefined || repayment.orderNo !== data.orderNo || repayment.stage !== 'sent') return [];
  if (data.outcome === 'failed') {
    const code = data.code ?? 'bank_failed';
    return [{ type: 'repayment_failed', data: { loanId: loan.id, repayment, code, detail: data.detail ?? code, at: data.at, holdPlaced: true } }];
  }
  const settlesLoan = settlesLoanOf(state, repayment);
  return [{ type: 'repayment_succeeded', data: { loanId: loan.id, repayment, poolShards: data.poolShards, capitalsGrouped: true, bankTxnId: data.bankTxnId, at: data.at, on: data.on, settlesLoan } }];
}

/** Does this payment leave nothing open and nothing owed? */
function settlesLoanOf(state: LoanState, repayment: Repayment): boolean {
  const book = state.book;
  if (book === null) return false;
  switch (repayment.kind) {
    case 'due':
      return book.open.length === 1 && book.guaranteeDebts.length === 0;
    case 'early':
      return repayment.reschedule?.length === 0 && book.guaranteeDebts.length === 0;
    case 'compensation':
      return false;
    case 'debt':
      return book.open.length === 0 && book.guaranteeDebts.length === 1;
  }
}

function bankItemsOf(repayment: Repayment, revenueAccount: string, guaranteeAccount: string): BankItem[] {
  const from = repayment.payerAccount;
  if (repayment.split === null) return [{ ref: repayment.orderNo, from, to: guaranteeAccount, amount: repayment.total }];
  const items: BankItem[] = [];
  for (const share of repayment.split.shares) {
    // The bank moves the net: the investor's interest less the service fee, the fee to revenue.
    const toInvestor = share.principal + (share.interestTo === 'interest_pool' ? netInterestOf(share) : 0n);
    if (toInvestor > 0n) items.push({ ref: share.orderNo, from, to: share.investor, amount: toInvestor });
    if (share.interestTo === 'revenue' && share.interest > 0n) items.push({ ref: `${share.orderNo}/rev`, from, to: revenueAccount, amount: share.interest });
    if ((share.fee ?? 0n) > 0n) items.push({ ref: `${share.orderNo}/fee`, from, to: revenueAccount, amount: share.fee as bigint });
  }
  // The period's guarantee fee goes to the guarantee with the payment.
  if ((repayment.guaranteeFee ?? 0n) > 0n) items.push({ ref: `${repayment.orderNo}/gfee`, from, to: guaranteeAccount, amount: repayment.guaranteeFee as bigint });
  return items;
}

/**
 * What each claim's share of a successful payment becomes: reinvest capital in the pool
 * (source repayment_reinvest, or compensation_reinvest when the guarantee paid) and an
 * interest pool credit. Derived from the payment's split, its date and the pool's shard count
 * — the same on every reading — so the success event need not carry it (it was a quarter of a
 * payment's journaled bytes). Events written before carry theirs (`reinvested`), used as is.
 * A grouped payment's capitals all live in its group's shard (`capitalsGrouped`).
 */
export function reinvestedSharesOf(event: Extract<LoanEvent, { type: 'repayment_succeeded' }>): readonly ReinvestedShare[] {
  const { loanId, repayment, on, poolShards, reinvested, capitalsGrouped } = event.data;
  if (reinvested !== undefined) return reinvested;
  assert(poolShards !== undefined, `repayment ${repayment.id} succeeded naming neither its reinvested shares nor the shard count`);
  const source: CapitalSource = repayment.payer === 'guarantee' ? 'compensation_reinvest' : 'repayment_reinvest';
  const groupShard = capitalsGrouped === true ? shardOfCapital(reinvestGroupIdOf(loanId, repayment.no), poolShards) : null;
  return (repayment.split?.shares ?? []).map((share) => {
    const capitalId = reinvestCapitalIdOfClaim(share.orderNo, repayment.no);
    return {
      orderNo: share.orderNo,
      capital:
        share.principal === 0n
          ? null
          : {
              content: { id: capitalId, investmentId: share.investmentId, investor: share.investor, principal: share.principal, property: share.property, source, createdOn: on, investRepayDate: share.investRepayDate },
              shard: groupShard ?? shardOfCapital(capitalId, poolShards),
            },
      interestFlow:
        share.interestTo === 'interest_pool' && netInterestOf(share) > 0n
          ? { investor: share.investor, flowId: interestFlowIdOf(share.orderNo, repayment.no), amount: netInterestOf(share), source: { investmentId: share.investmentId, investRepayDate: share.investRepayDate } }
          : null,
    };
  });
}
