import type { InterestPoolPage } from '../actors/lending/flows-api.js';
import type { LoanState } from '../core/lending/loan/loan.js';
import { excessOf, repaymentLegIdOf, type Repayment } from '../core/lending/repayment/repayment.js';
import { reinvestHoldsOf, type InterestFlow } from '../core/lending/interest-pool/interest-pool.js';
import { formatAmount } from '../core/money/amount.js';

const money = (minor: bigint) => formatAmount(minor, 'CNY');

export function interestFlowView(flow: InterestFlow) {
  return {
    seq: flow.seq,
    id: flow.flowId,
    type: flow.code,
    kind: flow.kind,
    amount: money(flow.amount),
    balanceAfter: money(flow.balanceAfter),
    ref: flow.ref,
    on: flow.on,
    at: new Date(flow.at).toISOString(),
  };
}

/** The pool, and one page of its flows (`next`: the `after` of the next page, null at the end). */
export function interestPoolView(page: InterestPoolPage) {
  const { pool, afterSeq, limit } = page;
  const flows = pool.flows.slice(afterSeq, afterSeq + limit);
  const last = flows.at(-1);
  return {
    investor: page.investor,
    balance: money(pool.balance),
    reinvestOn: pool.reinvestOn,
    // Redemptions holding reinvest off while they gather the pool: it reinvests only when none does.
    reinvestHeldBy: reinvestHoldsOf(pool),
    credited: money(pool.credited),
    debited: money(pool.debited),
    flowCount: pool.flows.length,
    flows: flows.map(interestFlowView),
    next: last !== undefined && last.seq < pool.flows.length ? last.seq : null,
  };
}

/** A payment of a loan: what it pays, how it is split, where it stands. */
export function repaymentView(repayment: Repayment, loan: LoanState) {
  const split = repayment.split;
  return {
    id: repayment.id,
    loanId: loan.loan?.id ?? null,
    no: repayment.no,
    kind: repayment.kind,
    payer: repayment.payer,
    period: repayment.period,
    requested: repayment.requested === null ? null : money(repayment.requested),
    principal: money(repayment.principal),
    interest: money(repayment.interest),
    penalty: money(repayment.penalty),
    total: money(repayment.total),
    // Sent above what closes the loan (return_to_wallet): returned to the payer's wallet by `returnTransferId` once the payment succeeded.
    excess: money(excessOf(repayment)),
    returnTransferId: excessOf(repayment) > 0n && repayment.stage === 'succeeded' && loan.loan !== null ? repaymentLegIdOf(loan.loan.id, repayment.no, 'x') : null,
    status: repayment.stage,
    orderNo: repayment.orderNo,
    requestedOn: repayment.requestedOn,
    failure: repayment.failure,
    split:
      split === null
        ? null
        : {
            toPool: money(split.toPool),
            toInterestPools: money(split.toInterestPools),
            toRevenue: money(split.toRevenue),
            shares: split.shares.map((s) => ({ claim: s.orderNo, investor: s.investor, property: s.property, principal: money(s.principal), interest: money(s.interest), interestTo: s.interestTo })),
          },
    loan: repaymentBookView(loan),
  };
}

/** The loan's repayment standing: principal outstanding, the current period, what the guarantee is owed. */
export function repaymentBookView(loan: LoanState) {
  const book = loan.book;
  if (book === null) return { status: loan.status, principalOutstanding: loan.status === 'repaying' && loan.loan !== null ? money(loan.loan.amount) : null, currentPeriod: null, periodsOpen: null, guaranteeOwed: '0.00', paymentInFlight: loan.repaymentInFlight };
  const current = book.open[0];
  return {
    status: loan.status,
    principalOutstanding: money(book.principalOutstanding),
    currentPeriod: current === undefined ? null : { number: current.number, dueDate: current.dueDate, principal: money(current.principal), interest: money(current.interest), total: money(current.total) },
    periodsOpen: book.open.length,
    guaranteeOwed: money(book.guaranteeDebts.reduce((sum, d) => sum + d.principal + d.interest, 0n)),
    paymentInFlight: loan.repaymentInFlight,
  };
}
