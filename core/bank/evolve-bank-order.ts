import { assert, assertNever } from '../rejection.js';
import type { BankOrder, BankOrderState } from './bank-order.js';
import type { BankOrderEvent } from './events.js';

export function evolveBankOrder(state: BankOrderState, event: BankOrderEvent): BankOrderState {
  if (event.type === 'order_created') {
    assert(state.order === null, 'a bank order is created once');
    return { order: event.data.order };
  }
  const order = state.order;
  assert(order !== null, `${event.type} follows order_created`);
  return { order: evolveOrder(order, event) };
}

function evolveOrder(order: BankOrder, event: Exclude<BankOrderEvent, { type: 'order_created' }>): BankOrder {
  switch (event.type) {
    case 'withdrawal_hold_placed':
      return { ...order, status: 'sending', submissions: order.submissions + 1, nextQueryAt: event.data.nextQueryAt };
    case 'order_refused':
      return { ...order, status: 'refused', refusal: { code: event.data.code, detail: event.data.detail }, nextQueryAt: null };
    case 'order_accepted':
      return { ...order, status: 'accepted' };
    case 'order_resubmitted':
      return { ...order, submissions: order.submissions + 1 };
    case 'order_query_sent':
      return { ...order, queries: order.queries + 1, nextQueryAt: event.data.nextQueryAt };
    case 'order_completed':
      return { ...order, status: event.data.result.outcome, result: event.data.result, nextQueryAt: null };
    case 'order_result_conflict':
      return { ...order, conflict: event.data.result };
    case 'order_posting_refused':
      return { ...order, postingRefusal: { code: event.data.code, detail: event.data.detail } };
    default:
      return assertNever(event, 'bank order event');
  }
}
