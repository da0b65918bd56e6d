import { assertNever, reject, type Rejection } from '../../rejection.js';
import type { LendingRejectionCode } from '../rejections.js';
import { expectedInterestOf } from '../investment/decide-investment.js';
import { evolveRedemption } from './evolve-redemption.js';
import type { Decider } from '../../decider.js';
import { initialRedemptionState, isAllReturned, isAnswerTaken, principalPayoutsOf, type RedemptionCommand, type RedemptionEvent, type RedemptionState } from './redemption.js';

export type RedemptionDecision = readonly RedemptionEvent[] | Rejection<LendingRejectionCode>;

/** The redemption decider: one small function per command. */
export function decideRedemption(state: RedemptionState, command: RedemptionCommand): RedemptionDecision {
  switch (command.type) {
    case 'redeem':
      return decideRedeem(state, command);
    case 'pull_back_answered':
      return completing(state, decideAnswer(state, command), command.data.at);
    case 'transfers_progress':
      return completing(state, decideProgress(state, command), command.data.at);
    case 'recheck':
      return decideRecheck(state, command);
    case 'pull_back_booked':
      return completing(state, decideBooked(state, command), command.data.at);
    case 'pull_back_refused':
      return decideBookingRefused(state, command);
    case 'interest_pull_back_credited': {
      const { flowId, amount } = command.data;
      if (state.redemption === null || state.interestCredits.has(flowId)) return [];
      return completing(state, [{ type: 'interest_credit_confirmed', data: { flowId, amount } }], command.data.at);
    }
    case 'interest_balance':
      return decideInterestBalance(state, command);
    case 'interest_use_answered':
      return decideInterestUse(state, command);
    default:
      return assertNever(command, 'redemption command');
  }
}

/**
 * redeem, checked in this order:
 * 1. investment_not_found
 * 2. a redemption of the investment exists → duplicate (the reply names it, whatever id was sent)
 * 3. investment_not_active (placed, funding or failed: nothing to redeem)
 * 4. redemption_before_maturity (the business date is before the investment's maturity)
 */
function decideRedeem(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'redeem' }>): RedemptionDecision {
  const investment = data.investment?.investment ?? null;
  if (data.investment === null || investment === null) return reject('investment_not_found', 'no such investment');
  if (state.redemption !== null) return [];
  if (data.investment.status !== 'active') return reject('investment_not_active', `investment ${investment.id} is ${data.investment.status}`);
  if (data.on < investment.maturityDate) return reject('redemption_before_maturity', `investment ${investment.id} matures on ${investment.maturityDate}; the business date is ${data.on}`);
  const redemption = {
    id: data.id,
    investmentId: investment.id,
    investor: investment.investor,
    principal: investment.amount,
    maturityDate: investment.maturityDate,
    requestedOn: data.on,
    requestedAt: data.at,
    expectedInterest: expectedInterestOf(investment),
  };
  // Asking only the shards that hold its capitals keeps a wave of redemptions from asking every shard for each.
  const askedShards = [...new Set(data.capitalShards)].filter((shard) => shard >= 0 && shard < data.shards).sort((a, b) => a - b);
  return [{ type: 'redemption_started', data: { redemption, shards: data.shards, askedShards, loans: [...new Set(data.loans)].sort(), nextCheckAt: data.at + data.recheckMs } }];
}

/** A shard's answer counts once (by round and shard); loans it names that are not known yet are asked to transfer. */
function decideAnswer(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'pull_back_answered' }>): RedemptionEvent[] {
  if (state.redemption === null || isAnswerTaken(state, data.answer)) return [];
  const newLoans = data.answer.reservedLoans.filter((loanId) => !state.loans.has(loanId));
  return [{ type: 'capital_returned', data: { redemption: state.redemption, answer: data.answer, newLoans } }];
}

/** A pull-back's transfer booked: counted once (by transfer id), in whatever order it comes with its shard's answer. */
function decideBooked(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'pull_back_booked' }>): RedemptionEvent[] {
  if (state.redemption === null || state.pullBacksBooked.has(data.transferId)) return [];
  return [{ type: 'pull_back_booking_confirmed', data: { transferId: data.transferId, amount: data.amount } }];
}

/** Refused for good: recorded once, and the redemption cannot complete (that money is not back). */
function decideBookingRefused(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'pull_back_refused' }>): RedemptionEvent[] {
  const { transferId, code, detail } = data;
  if (state.redemption === null || state.pullBacksBooked.has(transferId) || state.pullBacksRefused.has(transferId)) return [];
  return [{ type: 'pull_back_booking_refused', data: { transferId, code, detail } }];
}

/** Progress only grows: a report behind the one recorded (redelivered, overtaken) changes nothing. */
function decideProgress(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'transfers_progress' }>): RedemptionEvent[] {
  const { progress } = data;
  if (state.redemption === null || progress.investmentId !== state.redemption.investmentId) return [];
  const known = state.loans.get(progress.loanId);
  // A report naming payouts is news to a loan recorded before payouts were named, at the same proceeds.
  const payoutsKnown = known?.payouts !== undefined || progress.payouts === undefined;
  const same = known !== undefined && progress.proceeds === known.proceeds && progress.interestProceeds === known.interestProceeds && known.settled === progress.settled && payoutsKnown;
  if (known !== undefined && (progress.proceeds < known.proceeds || progress.interestProceeds < known.interestProceeds || same)) return [];
  const settled = progress.settled && (known === undefined || progress.proceeds >= known.proceeds);
  const interestProceeds = known === undefined || progress.interestProceeds > known.interestProceeds ? progress.interestProceeds : known.interestProceeds;
  // Payouts only grow with the proceeds: the report's list is the loan's whole list (a union keeps an overtaken one's too).
  const payouts = [...new Set([...(known?.payouts ?? []), ...(progress.payouts ?? [])])];
  return [{ type: 'transfers_reported', data: { loanId: progress.loanId, proceeds: progress.proceeds, interestProceeds, settled, payouts } }];
}

/** Due and not done: another round over every shard and the loans not settled. */
function decideRecheck(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'recheck' }>): RedemptionDecision {
  const redemption = state.redemption;
  if (redemption === null || state.status !== 'redeeming' || state.nextCheckAt === null || data.at < state.nextCheckAt) return [];
  const loans = [...state.loans].filter(([, loan]) => !loan.settled).map(([loanId]) => loanId);
  const round = state.round + 1;
  const waitMs = Math.min(data.recheckMs * 2 ** Math.min(round - 1, 30), data.recheckMaxMs);
  return [{ type: 'redemption_round_started', data: { redemption, round, shards: state.shards, loans, nextCheckAt: data.at + waitMs } }];
}

/** The interest pool read at the end: nothing there → done; else its balance is asked of it. */
function decideInterestBalance(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'interest_balance' }>): RedemptionEvent[] {
  const redemption = state.redemption;
  if (redemption === null || state.status !== 'paying_interest' || state.interestAsked !== null) return [];
  if (data.balance <= 0n) return [{ type: 'redemption_completed', data: { redemption, interestPaid: 0n, at: data.at, paidBy: principalPayoutsOf(state) } }];
  return [{ type: 'interest_use_requested', data: { redemption, amount: data.balance } }];
}

/** The pool's answer to the use: taken → done, paying it out; refused → read the pool again. */
function decideInterestUse(state: RedemptionState, { data }: Extract<RedemptionCommand, { type: 'interest_use_answered' }>): RedemptionEvent[] {
  const redemption = state.redemption;
  if (redemption === null || state.status !== 'paying_interest' || state.interestAsked === null) return [];
  if (!data.accepted) return [{ type: 'interest_use_refused', data: { redemption } }];
  return [{ type: 'redemption_completed', data: { redemption, interestPaid: state.interestAsked, at: data.at, paidBy: principalPayoutsOf(state) } }];
}

/** Everything is back (isAllReturned) with the event that brought the last of it: the interest pool is read next. */
function completing(state: RedemptionState, events: RedemptionEvent[], at: number): RedemptionEvent[] {
  if (events.length === 0 || state.redemption === null || state.status !== 'redeeming') return events;
  const after = events.reduce(evolveRedemption, state);
  if (!isAllReturned(after)) return events;
  return [...events, { type: 'redemption_returned', data: { redemption: state.redemption, at } }];
}

/** A redemption (the saga of one investment's way out) as one decider: it answers its state after each step. */
export const redemptionDecider: Decider<RedemptionState, RedemptionCommand, RedemptionEvent, LendingRejectionCode, RedemptionState> = {
  initialState: initialRedemptionState,
  decide: decideRedemption,
  evolve: evolveRedemption,
  reply: (state) => state,
};
