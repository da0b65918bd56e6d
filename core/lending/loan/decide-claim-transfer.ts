import type { BusinessDate } from '../../calendar/business-date.js';
import { assert, reject } from '../../rejection.js';
import { shardOfCapital } from '../capital.js';
import { isTransferOpen, principalOutstandingOf, reservedOfTransfer, transferKeyOf, type ClaimTransfer } from './claim-transfer.js';
import { noOtherWaits, progressAfter, shardsOfTransfer, transferOutstandingOf } from './claim-transfer-progress.js';
import { switchOrSend } from './decide-claim-transfer-settlement.js';
import type { LoanCommand } from './commands.js';
import type { LoanDecision } from './decide-loan.js';
import type { LoanEvent } from './events.js';
import type { LoanState, MatchingConfig } from './loan.js';

type Decided = readonly LoanEvent[];

const beforeDisbursement: readonly LoanState['status'][] = ['matching', 'funded', 'approved', 'disbursing'];

/**
 * transfer_claims: every live claim of an investment is to move to other capital (redemption).
 * Checked in this order:
 * 1. loan_not_found
 * 2. loan_not_repaying: the loan is not disbursed yet (its claims are not live; a settled or
 *    failed loan has none live either, and answers with nothing to do)
 * 3. otherwise a transfer starts for each live claim of the investment that has none under way;
 *    none to start → nothing (a repeated request changes nothing; the reply tells the progress)
 */
export function decideTransferClaims(state: LoanState, { data }: Extract<LoanCommand, { type: 'transfer_claims' }>): LoanDecision {
  const loan = state.loan;
  if (loan === null) return reject('loan_not_found', 'no such loan');
  if (beforeDisbursement.includes(state.status)) return reject('loan_not_repaying', `loan ${loan.id} is ${state.status}: its claims move only once it is disbursed`);
  const underWay = new Set(state.transfers.filter(isTransferOpen).map((transfer) => transfer.claimOrderNo));
  const events: LoanEvent[] = [];
  let transferNo = state.transfers.length;
  for (const claim of state.claims) {
    if (claim.investmentId !== data.investmentId || principalOutstandingOf(claim) === 0n || underWay.has(claim.orderNo)) continue;
    transferNo += 1;
    const transfer: ClaimTransfer = {
      transferNo,
      key: transferKeyOf(loan.id, transferNo),
      claimOrderNo: claim.orderNo,
      investmentId: claim.investmentId,
      redemptionId: data.redemptionId,
      origin: data.origin,
      payee: claim.investor,
      amount: principalOutstandingOf(claim),
      pieces: [],
      walk: null,
      nextRequestNo: 1,
      rescanRequested: false,
      stage: 'reserving',
      paid: 0n,
      property: claim.property,
      deferredOn: null,
      sentOn: null,
    };
    events.push({ type: 'claim_transfer_started', data: { transfer } });
    events.push(requestOrWait(state, transfer, 0, data.on, data.matching, 0n));
  }
  return events;
}

/**
 * A shard's answer to a transfer's reservation request. Answers to any request but the
 * outstanding one are redeliveries and change nothing. Otherwise, in this order: the claim
 * ended meanwhile (repaid, …) → the transfer is dropped and its reservations released; the
 * reservations cover the claim's outstanding principal → the switch; the next step of the
 * walk; a new walk if capital came free meanwhile; or wait for the waiting book.
 */
export function decideTransferReservationResult(state: LoanState, { data }: Extract<LoanCommand, { type: 'transfer_reservation_result' }>): Decided {
  const transfer = state.transfers[data.transferNo - 1];
  if (state.loan === null || transfer === undefined || transfer.walk === null || transfer.walk.requestNo !== data.requestNo) return [];
  const answered: LoanEvent = { type: 'transfer_reservation_answered', data: { transferNo: transfer.transferNo, requestNo: data.requestNo, pieces: data.pieces } };
  const after: ClaimTransfer = { ...transfer, pieces: [...transfer.pieces, ...data.pieces] };
  const outstanding = transferOutstandingOf(state, transfer);
  if (outstanding === 0n) return [answered, dropped(state, after, data.on)];
  const reserved = reservedOfTransfer(after);
  if (reserved >= outstanding && state.repaymentInFlight !== null) return [answered, { type: 'transfer_switch_deferred', data: { transferNo: transfer.transferNo, on: data.on } }];
  if (reserved >= outstanding) return [answered, switchOrSend(state, after, outstanding, data.on)];
  const nextStep = transfer.walk.step + 1;
  if (nextStep < data.matching.priority.length * data.matching.shards) return [answered, requestOrWait(state, after, nextStep, data.on, data.matching, reserved)];
  if (transfer.rescanRequested) return [answered, requestOrWait(state, after, 0, data.on, data.matching, reserved)];
  return [answered, { type: 'transfer_waiting', data: { transferNo: transfer.transferNo, loanId: state.loan.id } }];
}

/** Capital came free: every waiting transfer walks again (now, or once its walk ends). */
export function decideTransfersOnCapital(state: LoanState, on: BusinessDate, matching: MatchingConfig): Decided {
  const events: LoanEvent[] = [];
  for (const transfer of state.transfers) {
    if (transfer.stage === 'waiting') {
      const outstanding = transferOutstandingOf(state, transfer);
      if (outstanding === 0n) events.push(dropped(state, transfer, on));
      else events.push(requestOrWait(state, transfer, 0, on, matching, reservedOfTransfer(transfer)));
    } else if (transfer.stage === 'reserving' && !transfer.rescanRequested) {
      events.push({ type: 'transfer_rescan_requested', data: { transferNo: transfer.transferNo } });
    }
  }
  return events;
}

/**
 * After a command of the loan's repayments: once no repayment is under way, every deferred
 * switch goes to the bank (or is dropped, if the repayment finished the claim). Each decided against
 * the state the previous one left, so new claims are numbered in order.
 */
export function switchesAfterRepayment(state: LoanState, decided: readonly LoanEvent[], evolve: (state: LoanState, event: LoanEvent) => LoanState): LoanEvent[] {
  let after = decided.reduce(evolve, state);
  if (after.repaymentInFlight !== null) return [];
  const events: LoanEvent[] = [];
  for (const transfer of after.transfers) {
    if (transfer.stage !== 'deferred') continue;
    const on = transfer.deferredOn ?? '';
    const outstanding = transferOutstandingOf(after, transfer);
    const event = outstanding === 0n ? dropped(after, transfer, on) : switchOrSend(after, transfer, outstanding, on);
    events.push(event);
    after = evolve(after, event);
  }
  return events;
}

function requestOrWait(state: LoanState, transfer: ClaimTransfer, step: number, on: BusinessDate, matching: MatchingConfig, reserved: bigint): LoanEvent {
  const loanId = state.loan?.id ?? '';
  // New claims must fit the loan's claims limit: a transfer without room waits (reported by its stage).
  const piecesMax = matching.claimsMax - state.claims.length;
  if (piecesMax <= 0) return { type: 'transfer_waiting', data: { transferNo: transfer.transferNo, loanId } };
  const source = matching.priority[Math.floor(step / matching.shards)];
  assert(source !== undefined, `step ${step} is within the walk`);
  const shard = (shardOfCapital(transfer.key, matching.shards) + step) % matching.shards;
  return {
    type: 'transfer_reservation_requested',
    data: { transferNo: transfer.transferNo, key: transfer.key, requestNo: transfer.nextRequestNo, step, shard, source, amount: transfer.amount - reserved, on, piecesMax },
  };
}

function dropped(state: LoanState, transfer: ClaimTransfer, on: BusinessDate): LoanEvent {
  const shards = shardsOfTransfer(transfer);
  return {
    type: 'claim_transfer_dropped',
    data: { transferNo: transfer.transferNo, key: transfer.key, shards, on, deregister: noOtherWaits(state, transfer), origin: transfer.origin, progress: progressAfter(state, transfer, 0n) },
  };
}
