import { assert, assertNever } from '../../rejection.js';
import { isAllReturned, outstandingOf, shardsOfRound, type RedemptionEvent, type RedemptionState } from './redemption.js';

/** The redemption after one event; a new state, the given one untouched. */
export function evolveRedemption(state: RedemptionState, event: RedemptionEvent): RedemptionState {
  switch (event.type) {
    case 'redemption_started': {
      const { redemption, shards, askedShards, loans, nextCheckAt } = event.data;
      assert(state.redemption === null, 'an investment is redeemed once');
      return { ...state, redemption, shards, askedShards, firstRoundShards: askedShards, round: 1, loans: new Map(loans.map((loanId) => [loanId, { proceeds: 0n, interestProceeds: 0n, settled: false }])), nextCheckAt };
    }
    case 'redemption_round_started':
      return { ...state, round: event.data.round, nextCheckAt: event.data.nextCheckAt, askedShards: Array.from({ length: state.shards }, (_, shard) => shard) };
    case 'capital_returned': {
      const { answer, newLoans } = event.data;
      const loans = new Map(state.loans);
      for (const loanId of newLoans) loans.set(loanId, { proceeds: 0n, interestProceeds: 0n, settled: false });
      const latest = state.reservedByShard.get(answer.shard);
      const reservedByShard = latest !== undefined && latest.round > answer.round ? state.reservedByShard : new Map(state.reservedByShard).set(answer.shard, { round: answer.round, reservedAmount: answer.reservedAmount });
      return {
        ...state,
        ...withAnswer(state, answer.round, answer.shard),
        pulledBack: state.pulledBack + answer.pulledBack,
        pulledBackToBook: answer.tellsBooking === true ? state.pulledBackToBook + answer.pulledBack : state.pulledBackToBook,
        interestPulledBack: state.interestPulledBack + answer.interestPulledBack,
        reservedByShard,
        loans,
      };
    }
    case 'pull_back_booking_confirmed':
      return { ...state, pullBacksBooked: new Map(state.pullBacksBooked).set(event.data.transferId, event.data.amount) };
    case 'pull_back_booking_refused': {
      const { transferId, code, detail } = event.data;
      return { ...state, pullBacksRefused: new Map(state.pullBacksRefused).set(transferId, { code, detail }) };
    }
    case 'interest_credit_confirmed':
      return { ...state, interestCredits: new Map(state.interestCredits).set(event.data.flowId, event.data.amount) };
    case 'transfers_reported': {
      const { loanId, proceeds, interestProceeds, settled, payouts } = event.data;
      return { ...state, loans: new Map(state.loans).set(loanId, payouts === undefined ? { proceeds, interestProceeds, settled } : { proceeds, interestProceeds, settled, payouts }) };
    }
    case 'redemption_returned':
      return { ...state, status: 'paying_interest', nextCheckAt: null };
    case 'interest_use_requested':
      return { ...state, interestAsked: event.data.amount };
    case 'interest_use_refused':
      return { ...state, interestAsked: null };
    case 'redemption_completed':
      return { ...state, status: 'completed', nextCheckAt: null, completedAt: event.data.at, interestPaid: event.data.interestPaid, interestAsked: null };
    default:
      return assertNever(event, 'redemption event');
  }
}

/** Records a shard's answer to a round; rounds every asked shard answered are forgotten, in order. */
function withAnswer(state: RedemptionState, round: number, shard: number): Pick<RedemptionState, 'answered' | 'answeredThrough'> {
  const answered = new Map(state.answered);
  answered.set(round, new Set(answered.get(round) ?? []).add(shard));
  let answeredThrough = state.answeredThrough;
  for (;;) {
    const next = answeredThrough + 1;
    const shards = answered.get(next);
    if (next > state.round || shards === undefined || !shardsOfRound(state, next).every((asked) => shards.has(asked))) break;
    answered.delete(next);
    answeredThrough = next;
  }
  return { answered, answeredThrough };
}

/** Never more back than the principal; past redeeming only once all of it is back; a completed redemption says what interest it paid. */
export function assertRedemption(state: RedemptionState): void {
  if (state.redemption === null) return;
  const outstanding = outstandingOf(state);
  assert(outstanding >= 0n, `redemption ${state.redemption.id}: ${-outstanding} more came back than the principal`);
  if (state.status !== 'redeeming') assert(isAllReturned(state), `redemption ${state.redemption.id} moves past redeeming only once everything is back`);
  assert((state.status === 'completed') === (state.interestPaid !== null), `redemption ${state.redemption.id}: completed exactly when its interest was paid out`);
}
