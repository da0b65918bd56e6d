import { feeOf } from '../../clearing/fee.js';
import { isRejection, reject, type Rejection } from '../../rejection.js';
import type { LoanCommand } from '../loan/commands.js';
import type { LoanEvent } from '../loan/events.js';
import type { Loan, LoanState } from '../loan/loan.js';
import type { LendingRejectionCode } from '../rejections.js';
import { earlyRepaymentOf, payoffOf } from '../schedule/early-repayment.js';
import type { BusinessDate } from '../../calendar/business-date.js';
import { penaltyInterestOf } from '../schedule/accrual.js';
import { scheduleOf, type SchedulePeriod } from '../schedule/schedule.js';
import { splitRepayment, type RepaymentSplit } from '../split/split.js';
import type { RepaymentRejectionCode } from './rejections.js';
import { repaymentHoldIdOf, repaymentOrderNoOf, type Repayment, type RepaymentBook, type RepaymentKind } from './repayment.js';

type Decision = readonly LoanEvent[] | Rejection<LendingRejectionCode | RepaymentRejectionCode>;
type RequestRepayment = Extract<LoanCommand, { type: 'request_repayment' }>['data'];

/** Who pays what, before it becomes a Repayment. */
interface Payment {
  readonly kind: RepaymentKind;
  readonly period: number;
  readonly principal: bigint;
  readonly interest: bigint;
  readonly penalty: bigint;
  readonly reschedule: readonly SchedulePeriod[] | null;
  /** Sent above what closes the loan, returned to the payer (return_to_wallet). */
  readonly excess: bigint;
  /** The period's guarantee fee (a borrower's due period; absent: none). */
  readonly guaranteeFee?: bigint;
}

/** The repayment book as it stands, or as the schedule opens it on the first payment. */
export function bookOf(state: LoanState): RepaymentBook {
  if (state.book !== null) return state.book;
  const loan = state.loan;
  const approval = state.approval;
  if (loan === null || approval === null) return { open: [], settled: [], principalOutstanding: 0n, guaranteeDebts: [], nextNo: 1 };
  const open = scheduleOf({ amount: loan.amount, annualRate: loan.annualRate, term: loan.term, method: loan.method }, approval.startDate, loan.product);
  return { open, settled: [], principalOutstanding: loan.amount, guaranteeDebts: [], nextNo: 1 };
}

/**
 * request_repayment — a borrower's payment or the guarantee's compensation — checked in this
 * order (a refusal records nothing):
 * 1. loan_not_found
 * 2. a payment with this id: same payer, amount and period → duplicate (the reply restates
 *    it), else id_reused_with_different_content
 * 3. loan_not_repaying: the loan is not paying back (not disbursed yet, failed, or settled)
 * 4. repayment_in_progress: another payment of this loan is under way (one at a time: the
 *    split is decided against the claims' holders now, and they must not change meanwhile)
 * 5. claim_transfer_in_progress: a claim's transfer batch is out at the bank (it moved the
 *    claim's principal as it stands; a payment would change it under the bank's feet —
 *    repayment and redemption of one claim are mutually exclusive)
 * The borrower, then: while the guarantee is owed a compensated period, pays that debt (+ its
 * penalty) first — exactly it (6. repayment_amount_below_due, 7. repayment_amount_above_due);
 * else the current period:
 * 6. repayment_amount_below_due: less than principal + interest + penalty due (unless it is
 *    exactly the pay-off amount of the day, core/lending/repayment/payoff.ts)
 * 7. more than due on or after the due date of the last period: repayment_amount_above_due
 * 8. more than due → an early repayment: early_repayment_date_outside_period (on or after
 *    the due date: pay what is due first), early_repayment_amount_above_balance (above the
 *    pay-off)
 * A payment above what closes the loan — the pay-off of the day, the last period's due on or
 * after its due date, the last compensated period owed back with no period open — is refused
 * at 7 or 8 (above_due, above_balance), unless the loan's product says `overpayment:
 * return_to_wallet`: then what closes the loan is taken and the rest (`excess`) is held with
 * it and returned to the payer's wallet once the bank has moved the rest.
 * The guarantee compensates `period`:
 * 6. period_not_found, 7. period_already_settled, 8. earlier_period_open (in order),
 * 9. period_not_overdue (only past its due date)
 */
export function decideRequestRepayment(state: LoanState, { data }: { data: RequestRepayment }): Decision {
  const loan = state.loan;
  if (loan === null) return reject('loan_not_found', 'no such loan');
  const existing = state.repayments.get(data.id);
  if (existing !== undefined) {
    const same = existing.payer === data.payer && existing.requested === data.requested && (data.payer === 'borrower' || existing.period === data.period);
    return same ? [] : reject('id_reused_with_different_content', `payment ${data.id} of loan ${loan.id} exists with other content`);
  }
  if (state.status !== 'repaying') return reject('loan_not_repaying', `loan ${loan.id} is ${state.status}`);
  if (state.repaymentInFlight !== null) return reject('repayment_in_progress', `payment ${state.repaymentInFlight} of loan ${loan.id} is under way; retry once it completes`);
  const settling = state.transfers.find((transfer) => transfer.stage === 'settling');
  if (settling !== undefined) return reject('claim_transfer_in_progress', `claim ${settling.claimOrderNo} of loan ${loan.id} is changing holders at the bank; retry once it completes`);
  const book = bookOf(state);
  const payment = data.payer === 'borrower' ? borrowerPayment(book, data, loan) : compensationOf(book, data);
  if (isRejection(payment)) return payment;
  const total = totalOf(payment);
  const split = payment.kind === 'debt' ? null : splitOf(state, payment);
  const repayment: Repayment = {
    id: data.id,
    no: book.nextNo,
    kind: payment.kind,
    payer: data.payer,
    payerAccount: data.payer === 'borrower' ? loan.borrower : data.guaranteeAccount,
    requested: data.requested,
    period: payment.period,
    principal: payment.principal,
    interest: payment.interest,
    penalty: payment.penalty,
    total,
    ...(payment.guaranteeFee !== undefined && payment.guaranteeFee > 0n ? { guaranteeFee: payment.guaranteeFee } : {}),
    excess: payment.excess,
    split,
    reschedule: payment.reschedule,
    stage: 'holding',
    orderNo: repaymentOrderNoOf(loan.id, book.nextNo),
    holdTransferId: repaymentHoldIdOf(loan.id, book.nextNo),
    requestedOn: data.on,
    requestedAt: data.at,
    failure: null,
    bankTxnId: null,
    completedAt: null,
  };
  const opened: LoanEvent[] = state.book === null ? [{ type: 'repayment_book_opened', data: { periods: book.open } }] : [];
  return [...opened, { type: 'repayment_requested', data: { repayment, loanId: loan.id } }];
}

function borrowerPayment(book: RepaymentBook, data: RequestRepayment, loan: Loan): Payment | Rejection<RepaymentRejectionCode> {
  const debt = book.guaranteeDebts[0];
  if (debt !== undefined) {
    const penalty = penaltyInterestOf(debt.principal + debt.interest, debt.dueDate, data.on, loan.product);
    const payment: Payment = { kind: 'debt', period: debt.period, principal: debt.principal, interest: debt.interest, penalty, reschedule: null, excess: 0n };
    const due = totalOf(payment);
    if (data.requested !== null && data.requested < due) return reject('repayment_amount_below_due', `the compensated period ${debt.period} is owed back: ${due}`);
    if (data.requested !== null && data.requested > due) {
      // The last debt with no period open closes the loan: the rest is the payer's again (return_to_wallet).
      const closes = book.open.length === 0 && book.guaranteeDebts.length === 1;
      if (closes && returnsExcess(loan)) return { ...payment, excess: data.requested - due };
      // Only the debt is taken now: more would be kept silently (the hold and the bank move the debt's total).
      return reject('repayment_amount_above_due', `the compensated period ${debt.period} is owed back first: exactly ${due}; ${closes ? 'that closes the loan' : 'pay the rest after'}`);
    }
    return payment;
  }
  const current = book.open[0];
  if (current === undefined) return reject('period_not_found', 'no period is open');
  const penalty = penaltyInterestOf(current.principal + current.interest, current.dueDate, data.on, loan.product);
  // The product's guarantee fee on the period (担保费), paid with it by the borrower.
  const guaranteeFee = loan.product.guaranteeFee === undefined ? 0n : feeOf(loan.product.guaranteeFee, current.principal + current.interest);
  const duePayment: Payment = { kind: 'due', period: current.number, principal: current.principal, interest: current.interest, penalty, reschedule: null, excess: 0n, ...(guaranteeFee > 0n ? { guaranteeFee } : {}) };
  const due = totalOf(duePayment);
  if (data.requested === null || data.requested === due) return duePayment;
  if (data.requested > due && data.on >= current.dueDate && book.open.length === 1) {
    // Nothing is paid early on or after a due date: the last period's due is what closes the loan.
    if (returnsExcess(loan)) return { ...duePayment, excess: data.requested - due };
    return reject('repayment_amount_above_due', `period ${current.number}, the last, is due: exactly ${due} closes the loan`);
  }
  return earlyPayment(book, data.on, data.requested, loan, due);
}

/** More than is due before the due date (or exactly the pay-off, even below it): an early repayment, a pay-off, or a pay-off and its excess. */
function earlyPayment(book: RepaymentBook, on: BusinessDate, requested: bigint, loan: Loan, due: bigint): Payment | Rejection<RepaymentRejectionCode> {
  const current = book.open[0] as SchedulePeriod;
  const open = { periods: book.open, annualRate: loan.annualRate, method: loan.method };
  const payoff = payoffOf(open, on, loan.product);
  const closing = isRejection(payoff) ? null : payoff.principal + payoff.interest;
  const excess = closing !== null && requested > closing && returnsExcess(loan) ? requested - closing : 0n;
  // The pay-off quote closes the loan even when it is below the period's due (the last period paid off early).
  if (requested < due && requested !== closing && excess === 0n) return reject('repayment_amount_below_due', `period ${current.number} is due: ${due}`);
  const early = earlyRepaymentOf(open, on, requested - excess, loan.product);
  if (isRejection(early)) {
    // Below the interest cannot happen here (the amount exceeds what is due); the rest are the client's to fix.
    const code = early.code === 'early_repayment_amount_above_balance' ? early.code : 'early_repayment_date_outside_period';
    return reject(code, early.detail);
  }
  return { kind: 'early', period: current.number, principal: early.principal, interest: early.interest, penalty: 0n, reschedule: early.schedule, excess };
}

/** The product's rule for a payment above what closes the loan (loans published before it: refuse). */
function returnsExcess(loan: Loan): boolean {
  return loan.product.overpayment === 'return_to_wallet';
}

function totalOf(payment: Payment): bigint {
  return payment.principal + payment.interest + payment.penalty + (payment.guaranteeFee ?? 0n);
}

function compensationOf(book: RepaymentBook, data: RequestRepayment): Payment | Rejection<RepaymentRejectionCode> {
  const number = data.period ?? book.open[0]?.number ?? 0;
  const period = book.open.find((p) => p.number === number);
  if (period === undefined) {
    return book.settled.some((p) => p.number === number) ? reject('period_already_settled', `period ${number} is settled`) : reject('period_not_found', `no period ${number}`);
  }
  if (book.open[0] !== period) return reject('earlier_period_open', `compensate the periods in order: ${book.open[0]?.number} first`);
  if (data.on <= period.dueDate) return reject('period_not_overdue', `period ${number} is due on ${period.dueDate}; it is overdue only after`);
  return { kind: 'compensation', period: number, principal: period.principal, interest: period.interest, penalty: 0n, reschedule: null, excess: 0n };
}

/** The split over the live claims as they stand now: their holders are the ones paid. The borrower's penalty follows the interest. */
function splitOf(state: LoanState, payment: Payment): RepaymentSplit {
  const claims = state.claims
    .filter((claim) => claim.status === 'matched')
    .map((claim) => ({ orderNo: claim.orderNo, investor: claim.investor, investmentId: claim.investmentId, investRepayDate: claim.investRepayDate, property: claim.property, principalOutstanding: claim.principalOutstanding }));
  // The loan's product as it was when the loan was published: its service fee, if any.
  return splitRepayment(claims, payment.principal, payment.interest + payment.penalty, state.loan?.product.serviceFee);
}

