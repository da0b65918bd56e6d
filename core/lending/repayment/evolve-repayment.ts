import { assert, violated } from '../../rejection.js';
import type { Claim } from '../claim.js';
import type { LoanEvent } from '../loan/events.js';
import type { LoanState } from '../loan/loan.js';
import type { Repayment, RepaymentBook, SettledPeriod } from './repayment.js';

type RepaymentEvent = Extract<LoanEvent, { type: 'repayment_book_opened' | 'repayment_requested' | 'repayment_sent' | 'repayment_failed' | 'repayment_succeeded' }>;

/** The loan after one repayment event. */
export function evolveRepayment(state: LoanState, event: RepaymentEvent): LoanState {
  switch (event.type) {
    case 'repayment_book_opened': {
      const principal = event.data.periods.reduce((sum, p) => sum + p.principal, 0n);
      return { ...state, book: { open: event.data.periods, settled: [], principalOutstanding: principal, guaranteeDebts: [], nextNo: 1 } };
    }
    case 'repayment_requested': {
      const { repayment } = event.data;
      const book = mustBook(state);
      assert(repayment.no === book.nextNo && state.repaymentInFlight === null, 'payments of a loan are numbered in order, one at a time');
      return { ...state, book: { ...book, nextNo: book.nextNo + 1 }, repayments: withRepayment(state, repayment), repaymentInFlight: repayment.id };
    }
    case 'repayment_sent':
      return { ...state, repayments: withRepayment(state, { ...mustRepayment(state, event.data.id), stage: 'sent' }) };
    case 'repayment_failed': {
      const { repayment, code, detail, at } = event.data;
      const failed: Repayment = { ...mustRepayment(state, repayment.id), stage: 'failed', failure: { code, detail }, completedAt: at };
      return { ...state, repayments: withRepayment(state, failed), repaymentInFlight: null };
    }
    case 'repayment_succeeded': {
      const { repayment, bankTxnId, at, on, settlesLoan } = event.data;
      const succeeded: Repayment = { ...mustRepayment(state, repayment.id), stage: 'succeeded', bankTxnId, completedAt: at };
      return {
        ...state,
        status: settlesLoan ? 'settled' : state.status,
        claims: claimsAfter(state.claims, repayment),
        book: bookAfter(mustBook(state), repayment, on),
        repayments: withRepayment(state, succeeded),
        repaymentInFlight: null,
      };
    }
  }
}

/** Each claim's outstanding principal goes down by its share; a claim with nothing left finishes (repaid, or compensated). */
function claimsAfter(claims: readonly Claim[], repayment: Repayment): Claim[] {
  const shares = new Map((repayment.split?.shares ?? []).map((share) => [share.orderNo, share]));
  return claims.map((claim) => {
    const share = shares.get(claim.orderNo);
    if (share === undefined || share.principal === 0n) return claim;
    const principalOutstanding = claim.principalOutstanding - share.principal;
    if (principalOutstanding < 0n || claim.status !== 'matched') violated(`claim ${claim.orderNo} is live and repaid at most what it has out`);
    if (principalOutstanding > 0n) return { ...claim, principalOutstanding };
    return { ...claim, principalOutstanding, status: 'finished', finishReason: repayment.payer === 'guarantee' ? 'compensated' : 'repaid' };
  });
}

function bookAfter(book: RepaymentBook, repayment: Repayment, on: string): RepaymentBook {
  const settledOf = (number: number, dueDate: string): SettledPeriod => ({
    number,
    dueDate,
    by: repayment.payer,
    repaymentId: repayment.id,
    principal: repayment.principal,
    interest: repayment.interest,
    penalty: repayment.penalty,
    settledOn: on,
  });
  const current = book.open[0];
  switch (repayment.kind) {
    case 'due':
      assert(current?.number === repayment.period, 'a due payment settles the current period');
      return { ...book, open: book.open.slice(1), settled: [...book.settled, settledOf(current.number, current.dueDate)], principalOutstanding: book.principalOutstanding - repayment.principal };
    case 'early': {
      assert(current !== undefined && repayment.reschedule !== null, 'an early payment recomputes the open periods');
      const paidOff = repayment.reschedule.length === 0;
      return {
        ...book,
        open: repayment.reschedule,
        settled: paidOff ? [...book.settled, settledOf(current.number, current.dueDate)] : book.settled,
        principalOutstanding: book.principalOutstanding - repayment.principal,
      };
    }
    case 'compensation': {
      assert(current?.number === repayment.period, 'a compensation settles the current period');
      const debt = { period: current.number, dueDate: current.dueDate, principal: repayment.principal, interest: repayment.interest, compensationId: repayment.id };
      return {
        ...book,
        open: book.open.slice(1),
        settled: [...book.settled, settledOf(current.number, current.dueDate)],
        principalOutstanding: book.principalOutstanding - repayment.principal,
        guaranteeDebts: [...book.guaranteeDebts, debt],
      };
    }
    case 'debt':
      assert(book.guaranteeDebts[0]?.period === repayment.period, 'a debt payment repays the oldest compensated period');
      return { ...book, guaranteeDebts: book.guaranteeDebts.slice(1) };
  }
}

function withRepayment(state: LoanState, repayment: Repayment): ReadonlyMap<string, Repayment> {
  return new Map(state.repayments).set(repayment.id, repayment);
}

function mustRepayment(state: LoanState, id: string): Repayment {
  const repayment = state.repayments.get(id);
  assert(repayment !== undefined, `payment ${id} was requested`);
  return repayment;
}

function mustBook(state: LoanState): RepaymentBook {
  assert(state.book !== null, 'the repayment book is open before a payment');
  return state.book;
}
