import { feeOf } from '../core/clearing/fee.js';
import type { InterestPoolPage } from '../actors/lending/flows-api.js';
import type { LoanState } from '../core/lending/loan/loan.js';
import { excessOf, repaymentLegIdOf, type Repayment } from '../core/lending/repayment/repayment.js';
import { reinvestHoldsOf } from '../core/lending/interest-pool/interest-pool.js';
import { formatAmount } from '../core/money/amount.js';

const money = (minor: bigint) => formatAmount(minor, 'CNY');

/** A flow as the read model keeps it (interest_flows). */
export function interestFlowView(row: Record<string, unknown>) {
  return {
    seq: Number(row.seq),
    id: row.flow_id as string,
    type: Number(row.code),
    kind: row.kind as string,
    amount: money(row.amount as bigint),
    balanceAfter: money(row.balance_after as bigint),
    ref: row.ref as string,
    on: row.on_date as string,
    at: new Date(Number(row.at)).toISOString(),
  };
}

/**
 * The pool as its actor answered, and one page of its flows as the read model holds them
 * (`next`: the `after` of the next page, null once the page reached the pool's last flow).
 */
export function interestPoolView(page: InterestPoolPage, flowRows: readonly Record<string, unknown>[]) {
  const { pool, afterSeq } = page;
  const flows = flowRows.map(interestFlowView);
  const lastShown = flows.at(-1)?.seq ?? afterSeq;
  return {
    investor: page.investor,
    balance: money(pool.balance),
    reinvestOn: pool.reinvestOn,
    // Redemptions holding reinvest off while they gather the pool: it reinvests only when none does.
    reinvestHeldBy: reinvestHoldsOf(pool),
    credited: money(pool.credited),
    debited: money(pool.debited),
    flowCount: pool.flowCount,
    flows,
    next: page.limit > 0 && lastShown < pool.flowCount ? lastShown : null,
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
    guaranteeFee: money(repayment.guaranteeFee ?? 0n),
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
    currentPeriod:
      current === undefined
        ? null
        : {
            number: current.number,
            dueDate: current.dueDate,
            principal: money(current.principal),
            interest: money(current.interest),
            total: money(current.total),
            // Paid with the period by the borrower (the product's guarantee fee), above its total.
            guaranteeFee: money(loan.loan?.product.guaranteeFee === undefined ? 0n : feeOf(loan.loan.product.guaranteeFee, current.principal + current.interest)),
          },
    periodsOpen: book.open.length,
    guaranteeOwed: money(book.guaranteeDebts.reduce((sum, d) => sum + d.principal + d.interest, 0n)),
    paymentInFlight: loan.repaymentInFlight,
  };
}
