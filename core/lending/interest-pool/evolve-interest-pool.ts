import { assert, assertNever, violated } from '../../rejection.js';
import { reinvestHoldsOf, type InterestFlow, type InterestPoolEvent, type InterestPoolState } from './interest-pool.js';

/** The pool after one event; a new state, the given one untouched. */
export function evolveInterestPool(state: InterestPoolState, event: InterestPoolEvent): InterestPoolState {
  switch (event.type) {
    case 'interest_credited':
      return { ...withFlow(state, event.data.investor, event.data.flow), anchor: event.data.anchor };
    case 'interest_used':
      return withFlow(state, event.data.investor, event.data.flow);
    case 'interest_reinvested':
      return { ...withFlow(state, event.data.investor, event.data.flow), reinvestments: state.reinvestments + 1 };
    case 'reinvest_switched':
      return { ...state, investor: event.data.investor, reinvestOn: event.data.on };
    case 'reinvest_held':
      return { ...state, investor: event.data.investor, reinvestHolds: [...reinvestHoldsOf(state), event.data.holder] };
    case 'reinvest_released':
      return { ...state, investor: event.data.investor, reinvestHolds: reinvestHoldsOf(state).filter((holder) => holder !== event.data.holder) };
    default:
      return assertNever(event, 'interest pool event');
  }
}

function withFlow(state: InterestPoolState, investor: string, flow: InterestFlow): InterestPoolState {
  if (flow.seq !== state.flowCount + 1) violated(`interest flows of ${investor} are numbered in order`);
  if (flow.balanceAfter !== state.balance + flow.amount) violated(`flow ${flow.flowId} follows the balance`);
  if (flow.balanceAfter < 0n) violated(`the interest pool of ${investor} never goes below zero`);
  const credited = flow.amount > 0n ? state.credited + flow.amount : state.credited;
  const debited = flow.amount < 0n ? state.debited - flow.amount : state.debited;
  return {
    ...state,
    investor,
    balance: flow.balanceAfter,
    flowCount: flow.seq,
    credited,
    debited,
  };
}

/**
 * Deep check (after replay, snapshot load, in tests). Each flow was checked against the
 * balance before it as it was evolved (evolve asserts it); what the state still shows is
 * that credits less debits are the balance, never below zero, and the count is whole.
 */
export function assertInterestPool(state: InterestPoolState): void {
  assert(state.balance >= 0n, `the interest pool balance ${state.balance} is never below zero`);
  assert(state.credited - state.debited === state.balance, 'credited − debited = balance');
  assert(Number.isSafeInteger(state.flowCount) && state.flowCount >= 0, `flow count ${state.flowCount} is a count`);
}
