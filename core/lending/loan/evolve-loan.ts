import { daysBetween, earlierOf } from '../../calendar/business-date.js';
import { assert, assertNever } from '../../rejection.js';
import type { Claim, ClaimStatus } from '../claim.js';
import { evolveClaimTransfer } from './evolve-claim-transfer.js';
import { defaultProduct } from '../schedule/product.js';
import type { LoanEvent } from './events.js';
import type { LoanState } from './loan.js';
import { evolveRepayment } from '../repayment/evolve-repayment.js';

/** The loan after one event; a new state, the given one untouched. */
export function evolveLoan(state: LoanState, event: LoanEvent): LoanState {
  switch (event.type) {
    case 'loan_published':
      assert(state.loan === null, 'a loan is published once');
      // Loans journaled before products existed were computed by the default product's rules.
      return { ...state, loan: { ...event.data.loan, product: event.data.loan.product ?? defaultProduct }, status: 'matching' };
    case 'loan_registered':
      return { ...state, registered: true };
    case 'reservation_requested': {
      const { requestNo, step } = event.data;
      assert(requestNo === state.nextRequestNo, 'reservation requests are numbered in order');
      // A walk starting over consumes a pending rescan: it will see the capital that came free.
      return { ...state, walk: { requestNo, step }, nextRequestNo: requestNo + 1, rescanRequested: step === 0 ? false : state.rescanRequested, paused: null };
    }
    case 'reservation_answered': {
      const added = event.data.claims.reduce((sum, claim) => sum + claim.amount, 0n);
      return { ...state, claims: [...state.claims, ...event.data.claims], reserved: state.reserved + added };
    }
    case 'rescan_requested':
      return { ...state, rescanRequested: true };
    case 'matching_paused':
      return { ...state, walk: null, paused: event.data.reason };
    case 'loan_funded':
      return { ...state, status: 'funded', walk: null, paused: null, rescanRequested: false, fundedAt: event.data.at };
    case 'loan_approved': {
      const { approval, orderNo } = event.data;
      // The claims' dates follow from the value date: the loan's maturity, and the days each claim runs.
      const claims = state.claims.map((claim) => ({
        ...claim,
        loanRepayDate: approval.maturityDate,
        days: Math.max(0, daysBetween(approval.startDate, earlierOf(claim.investRepayDate, approval.maturityDate))),
      }));
      const disbursement = { orderNo, stage: 'holding' as const, code: null, detail: null, bankTxnId: null, completedAt: null };
      return { ...state, status: 'approved', approval, claims, disbursement };
    }
    case 'disbursement_requested':
      return { ...state, status: 'disbursing', claims: withStatus(state.claims, 'matching'), disbursement: { ...mustDisburse(state), stage: 'requested' } };
    case 'disbursement_succeeded':
      return {
        ...state,
        status: 'repaying',
        claims: withStatus(state.claims, 'matched'),
        disbursement: { ...mustDisburse(state), stage: 'succeeded', bankTxnId: event.data.bankTxnId, completedAt: event.data.at },
      };
    case 'disbursement_failed':
      return {
        ...state,
        status: 'failed',
        claims: withStatus(state.claims, 'failed'),
        reserved: 0n,
        disbursement: { ...mustDisburse(state), stage: 'failed', code: event.data.code, detail: event.data.detail, completedAt: event.data.at },
      };
    case 'plan_attached': {
      const { planId, periods, maturityDate, at } = event.data;
      return { ...state, plan: { planId, periods, maturityDate, recordedAt: at } };
    }
    case 'claim_transfer_started':
    case 'transfer_reservation_requested':
    case 'transfer_reservation_answered':
    case 'transfer_rescan_requested':
    case 'transfer_waiting':
    case 'transfer_switch_deferred':
    case 'claim_transfer_sent':
    case 'claim_transfer_failed':
    case 'claim_transferred':
    case 'claim_transfer_dropped':
      return evolveClaimTransfer(state, event);
    case 'repayment_book_opened':
    case 'repayment_requested':
    case 'repayment_sent':
    case 'repayment_failed':
    case 'repayment_succeeded':
      return evolveRepayment(state, event);
    default:
      return assertNever(event, 'loan event');
  }
}

function withStatus(claims: readonly Claim[], status: ClaimStatus): Claim[] {
  return claims.map((claim) => ({ ...claim, status }));
}

function mustDisburse(state: LoanState): NonNullable<LoanState['disbursement']> {
  assert(state.disbursement !== null, 'the loan was approved before its disbursement moves');
  return state.disbursement;
}
