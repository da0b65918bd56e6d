import { assert, assertNever } from '../../rejection.js';
import { answerKeyOf, outstandingOf, type RedemptionEvent, type RedemptionState } from './redemption.js';

/** The redemption after one event; a new state, the given one untouched. */
export function evolveRedemption(state: RedemptionState, event: RedemptionEvent): RedemptionState {
  switch (event.type) {
    case 'redemption_started': {
      const { redemption, shards, loans, nextCheckAt } = event.data;
      assert(state.redemption === null, 'an investment is redeemed once');
      return { ...state, redemption, shards, round: 1, loans: new Map(loans.map((loanId) => [loanId, { proceeds: 0n, settled: false }])), nextCheckAt };
    }
    case 'redemption_round_started':
      return { ...state, round: event.data.round, nextCheckAt: event.data.nextCheckAt };
    case 'capital_returned': {
      const { answer, newLoans } = event.data;
      const loans = new Map(state.loans);
      for (const loanId of newLoans) loans.set(loanId, { proceeds: 0n, settled: false });
      return { ...state, answers: new Map(state.answers).set(answerKeyOf(answer), answer), pulledBack: state.pulledBack + answer.pulledBack, loans };
    }
    case 'transfers_reported': {
      const { loanId, proceeds, settled } = event.data;
      return { ...state, loans: new Map(state.loans).set(loanId, { proceeds, settled }) };
    }
    case 'redemption_completed':
      return { ...state, status: 'completed', nextCheckAt: null, completedAt: event.data.at };
    default:
      return assertNever(event, 'redemption event');
  }
}

/** Never more back than the principal; completed exactly when all of it is back. */
export function assertRedemption(state: RedemptionState): void {
  if (state.redemption === null) return;
  const outstanding = outstandingOf(state);
  assert(outstanding >= 0n, `redemption ${state.redemption.id}: ${-outstanding} more came back than the principal`);
  assert((state.status === 'completed') === (outstanding === 0n), `redemption ${state.redemption.id} is completed exactly when nothing is outstanding`);
}
