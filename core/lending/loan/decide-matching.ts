import type { BusinessDate } from '../../calendar/business-date.js';
import { assert } from '../../rejection.js';
import { shardOfCapital } from '../capital.js';
import { claimOrderNoOf, type Claim } from '../claim.js';
import type { ReservationPiece } from '../pool/pool.js';
import type { LoanCommand } from './commands.js';
import type { LoanEvent } from './events.js';
import type { Loan, LoanState, MatchingConfig } from './loan.js';

type Decided = readonly LoanEvent[];

/**
 * The matching walk: for each source in priority order, every shard once, starting at the
 * loan's own shard (so concurrent loans spread over the shards). One reservation request is
 * outstanding at a time; each answer is journaled before the next request goes out, so a
 * crash repeats at most the one request, which the shard answers from its record.
 */
function stepOf(loan: Loan, step: number, matching: MatchingConfig): { shard: number; source: MatchingConfig['priority'][number] } {
  const { shards, priority } = matching;
  const source = priority[Math.floor(step / shards)];
  assert(source !== undefined, `step ${step} is within the walk`);
  return { shard: (shardOfCapital(loan.id, shards) + step) % shards, source };
}

function request(state: LoanState, loan: Loan, step: number, on: BusinessDate, matching: MatchingConfig, reservedAfter: bigint, claimsAfter: number): LoanEvent {
  const { shard, source } = stepOf(loan, step, matching);
  return {
    type: 'reservation_requested',
    data: { requestNo: state.nextRequestNo, step, shard, source, amount: loan.amount - reservedAfter, on, piecesMax: matching.claimsMax - claimsAfter },
  };
}

/** The waiting book acknowledged the loan: the first walk starts. */
export function decideRegistered(state: LoanState, { data }: Extract<LoanCommand, { type: 'book_registered' }>): Decided {
  const loan = state.loan;
  if (loan === null || state.registered) return [];
  const registered: LoanEvent = { type: 'loan_registered', data: { at: data.at } };
  if (state.status !== 'matching') return [registered];
  return [registered, request(state, loan, 0, data.on, data.matching, state.reserved, state.claims.length)];
}

/**
 * A shard's answer. Answers to any request but the outstanding one are duplicates (a
 * redelivery after a crash) and change nothing. Otherwise: new claims, then the next step —
 * funded when nothing remains, paused at the claims limit, the next (source, shard), a new
 * walk if capital came free meanwhile, or paused until the waiting book calls again.
 */
export function decideReservationResult(state: LoanState, { data }: Extract<LoanCommand, { type: 'reservation_result' }>): Decided {
  const loan = state.loan;
  if (loan === null || state.walk === null || data.requestNo !== state.walk.requestNo) return [];
  const claims = data.pieces.map((piece, i) => claimOf(loan, piece, state.claims.length + i, data.on));
  const reservedAfter = state.reserved + claims.reduce((sum, claim) => sum + claim.amount, 0n);
  const claimsAfter = state.claims.length + claims.length;
  assert(reservedAfter <= loan.amount, `loan ${loan.id}: a shard reserved more than was asked`);
  const answered: LoanEvent = { type: 'reservation_answered', data: { requestNo: data.requestNo, claims } };
  if (reservedAfter === loan.amount) return [answered, { type: 'loan_funded', data: { at: data.at, loanId: loan.id } }];
  if (claimsAfter >= data.matching.claimsMax) return [answered, { type: 'matching_paused', data: { reason: 'claims_limit', at: data.at } }];
  const nextStep = state.walk.step + 1;
  if (nextStep < data.matching.priority.length * data.matching.shards) {
    return [answered, request(state, loan, nextStep, data.on, data.matching, reservedAfter, claimsAfter)];
  }
  if (state.rescanRequested) return [answered, request(state, loan, 0, data.on, data.matching, reservedAfter, claimsAfter)];
  return [answered, { type: 'matching_paused', data: { reason: 'capital_exhausted', at: data.at } }];
}

/** Capital came free: walk again now, or once the walk under way ends. */
export function decideCapitalAvailable(state: LoanState, { data }: Extract<LoanCommand, { type: 'capital_available' }>): Decided {
  const loan = state.loan;
  if (loan === null || state.status !== 'matching' || !state.registered || state.paused === 'claims_limit') return [];
  if (state.walk !== null) return state.rescanRequested ? [] : [{ type: 'rescan_requested', data: { at: data.at } }];
  return [request(state, loan, 0, data.on, data.matching, state.reserved, state.claims.length)];
}

function claimOf(loan: Loan, piece: ReservationPiece, index: number, on: BusinessDate): Claim {
  return {
    orderNo: claimOrderNoOf(loan.id, index),
    investmentId: piece.investmentId,
    loanId: loan.id,
    capitalId: piece.capitalId,
    shard: piece.shard,
    investor: piece.investor,
    borrower: loan.borrower,
    amount: piece.amount,
    principalOutstanding: piece.amount,
    days: null,
    property: piece.property,
    source: piece.source,
    status: 'pre_processing',
    finishReason: null,
    investRepayDate: piece.investRepayDate,
    loanRepayDate: null,
    lastOrderNo: null,
    transferred: false,
    createdOn: on,
  };
}
