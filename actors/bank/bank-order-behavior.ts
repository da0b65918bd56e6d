import { isOut, type BankOrder, type BankOrderState } from '../../core/bank/bank-order.js';
import type { BankOrderCommand } from '../../core/bank/commands.js';
import { bankOrderDecider } from '../../core/bank/decide-bank-order.js';
import type { BankOrderEvent } from '../../core/bank/events.js';
import type { BankRejectionCode } from '../../core/bank/rejections.js';
import { assertNever, violated } from '../../core/rejection.js';
import type { LendingDeps } from '../lending/lending-deps.js';
import { queryTimingOf } from '../lending/lending-config.js';
import { depositoryIndexFeedOf } from '../index/index-feeds.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { withSettleWaits } from '../runtime/settle-waits.js';
import { bankOrderDeliveriesOf } from './bank-order-deliveries.js';
import type { BankOrderMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * One bank order = one actor (`bank:<orderNo>`): durable from the moment it is asked for,
 * sent to the bank through the outbox, completed by the first signed callback or query
 * answer, and swept while it stays out: a durable timer (wakeAt) queries the bank after
 * `bankQueryAfterMs`, then at doubling intervals — finding lost callbacks and dropped
 * orders (掉单), which are sent again under the same order number.
 */
export function bankOrderBehavior(deps: LendingDeps): ActorBehavior<BankOrderState, BankOrderEvent> {
  // POST /v1/withdrawals waits (bounded) for the wallet hold: placed or refused.
  return withSettleWaits(bankOrderActor(deps), {
    answersNow: (state) => state.order === null || state.order.status !== 'holding',
    answerQuery: { type: 'get_order' } satisfies BankOrderMessage,
    holdMs: deps.config.settleWaitMs,
  });
}

function bankOrderActor(deps: LendingDeps): ActorBehavior<BankOrderState, BankOrderEvent> {
  return deciderBehavior<BankOrderState, BankOrderMessage, BankOrderCommand, BankOrderEvent, BankRejectionCode, { readonly order: BankOrder | null; readonly duplicate: boolean }>({
    type: 'bank',
    decider: bankOrderDecider,
    isQuery: (message) => message.type === 'get_order',
    query: (state) => (state.order === null ? { ok: false, code: 'bank_order_not_found', detail: 'no such bank order' } : { ok: true, value: state.order }),
    commandOf: (message, { at }) => commandOf(message, deps, at),
    deliveriesOf: (actorId, event) => [...bankOrderDeliveriesOf(actorId, event), ...depositoryIndexFeedOf(event)],
    wakeAt: (state) => (state.order !== null && isOut(state.order.status) ? state.order.nextQueryAt : null),
    wakeMessage: (): BankOrderMessage => ({ type: 'query_due' }),
    assertInvariants(state) {
      const order = state.order;
      if (order === null) return;
      if (isOut(order.status) !== (order.nextQueryAt !== null)) violated(`bank order ${order.orderNo} is swept exactly while it is out`);
      if ((order.status === 'succeeded' || order.status === 'failed') !== (order.result !== null)) violated(`bank order ${order.orderNo} has a result exactly when completed`);
    },
  });
}

function commandOf(message: BankOrderMessage, deps: LendingDeps, at: number): BankOrderCommand {
  const timing = queryTimingOf(deps.config);
  switch (message.type) {
    case 'create_order':
      return { type: 'create_order', data: withFields(message.data, { at, on: deps.clock.today(), timing }) };
    case 'hold_placed':
      return { type: 'hold_placed', data: { at, timing } };
    case 'hold_refused':
      return { type: 'hold_refused', data: withFields(message.data, { at }) };
    case 'submission_accepted':
      return { type: 'submission_accepted', data: { at } };
    case 'submission_refused':
      return { type: 'submission_refused', data: withFields(message.data, { at }) };
    case 'bank_result':
      return { type: 'bank_result', data: { result: withFields(message.data, { receivedAt: at }) } };
    case 'query_due':
      return { type: 'query_due', data: { at, timing } };
    case 'missing_at_bank':
      return { type: 'missing_at_bank', data: { at } };
    case 'posting_refused':
      return { type: 'posting_refused', data: withFields(message.data, { at }) };
    case 'get_order':
      throw new Error('get_order is a query');
    default:
      return assertNever(message, 'bank order message');
  }
}

