import { assert, assertNever } from '../../rejection.js';
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
  assert(flow.seq === state.flows.length + 1, `interest flows of ${investor} are numbered in order`);
  assert(flow.balanceAfter === state.balance + flow.amount, `flow ${flow.flowId} follows the balance`);
  assert(flow.balanceAfter >= 0n, `the interest pool of ${investor} never goes below zero`);
  const credited = flow.amount > 0n ? state.credited + flow.amount : state.credited;
  const debited = flow.amount < 0n ? state.debited - flow.amount : state.debited;
  return {
    ...state,
    investor,
    balance: flow.balanceAfter,
    flows: [...state.flows, flow],
    flowSeqById: new Map(state.flowSeqById).set(flow.flowId, flow.seq),
    credited,
    debited,
  };
}

/** Deep check (after replay, snapshot load, in tests): the flows sum to the balance, each line follows the one before. */
export function assertInterestPool(state: InterestPoolState): void {
  let balance = 0n;
  for (const [i, flow] of state.flows.entries()) {
    assert(flow.seq === i + 1, 'interest flows are numbered from 1');
    balance += flow.amount;
    assert(flow.balanceAfter === balance && balance >= 0n, `flow ${flow.flowId}: balance after ${flow.balanceAfter} is the running sum ${balance}`);
    assert(state.flowSeqById.get(flow.flowId) === flow.seq, `flow ${flow.flowId} is indexed`);
  }
  assert(state.balance === balance, `the interest pool balance ${state.balance} is the sum of its flows ${balance}`);
  assert(state.credited - state.debited === balance, 'credited − debited = balance');
}
