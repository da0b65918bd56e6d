import { assert, assertNever, reject, type Rejection } from '../rejection.js';
import type { Decider } from '../decider.js';
import { holdsFirst, initialBankOrderState, isFinal, isOut, nextQueryDelayMs, orderCurrency, samePayload, type BankOrder, type BankOrderState } from './bank-order.js';
import { evolveBankOrder } from './evolve-bank-order.js';
import type { BankOrderCommand } from './commands.js';
import type { BankOrderEvent } from './events.js';
import type { BankRejectionCode } from './rejections.js';

export type BankOrderDecision = readonly BankOrderEvent[] | Rejection<BankRejectionCode>;

const nothing: readonly BankOrderEvent[] = Object.freeze([]);

/**
 * The bank order decider: the order's life between fundcore and the bank, where every
 * message may come twice, late, or never (then the sweep asks the bank).
 */
export function decideBankOrder(state: BankOrderState, command: BankOrderCommand): BankOrderDecision {
  if (command.type === 'create_order') return decideCreate(state, command);
  const order = state.order;
  switch (command.type) {
    case 'hold_placed':
      if (order === null || order.status !== 'holding') return nothing;
      return [{ type: 'withdrawal_hold_placed', data: { order, at: command.data.at, nextQueryAt: command.data.at + command.data.timing.queryAfterMs } }];
    case 'hold_refused':
      if (order === null || order.status !== 'holding') return nothing;
      return [{ type: 'order_refused', data: { order, ...command.data } }];
    case 'submission_accepted':
      return order !== null && order.status === 'sending' ? [{ type: 'order_accepted', data: command.data }] : nothing;
    case 'submission_refused':
      if (order === null || !isOut(order.status)) return nothing;
      return [{ type: 'order_completed', data: { order, result: { outcome: 'failed', code: command.data.code, detail: command.data.detail, bankTxnId: null, completedAt: null, via: 'submission', receivedAt: command.data.at } } }];
    case 'bank_result':
      return decideResult(order, command);
    case 'query_due': {
      const { at, timing } = command.data;
      if (order === null || !isOut(order.status) || order.nextQueryAt === null || order.nextQueryAt > at) return nothing;
      const nextQueryAt = at + nextQueryDelayMs(order.queries + 1, timing.queryAfterMs, timing.queryIntervalMaxMs);
      return [{ type: 'order_query_sent', data: { orderNo: order.orderNo, at, nextQueryAt } }];
    }
    case 'missing_at_bank':
      return order !== null && isOut(order.status) ? [{ type: 'order_resubmitted', data: { order, at: command.data.at } }] : nothing;
    case 'posting_refused':
      return order !== null && order.postingRefusal === null ? [{ type: 'order_posting_refused', data: command.data }] : nothing;
    default:
      return assertNever(command, 'bank order command');
  }
}

/**
 * create_order, checked in this order:
 * 1. an order with this number: same payload and origin → duplicate, else id_reused_with_different_content
 * 2. otherwise created: a withdrawal, a refund and a conversion first hold their amount; every other kind goes out at once
 */
function decideCreate(state: BankOrderState, { data }: Extract<BankOrderCommand, { type: 'create_order' }>): BankOrderDecision {
  const existing = state.order;
  if (existing !== null) {
    return samePayload(existing.payload, data.payload) && existing.origin === data.origin ? nothing : reject('id_reused_with_different_content', `bank order ${data.orderNo} exists with other content`);
  }
  const { payload } = data;
  if (payload.kind === 'deposit' || holdsFirst(payload)) assert(payload.amount > 0n, 'a bank order moves a positive amount');
  if (payload.kind === 'conversion') assert(payload.toAmount > 0n && payload.toCurrency !== orderCurrency(payload), 'a conversion pays a positive amount of another currency');
  if (payload.kind === 'disbursement' || payload.kind === 'repayment' || payload.kind === 'transfer') {
    assert(payload.items.length > 0 && payload.items.every((item) => item.amount > 0n), 'a batch holds items of positive amounts');
  }
  const holding = holdsFirst(payload);
  const order: BankOrder = {
    orderNo: data.orderNo,
    payload,
    origin: data.origin,
    businessDate: data.on,
    createdAt: data.at,
    status: holding ? 'holding' : 'sending',
    result: null,
    refusal: null,
    conflict: null,
    postingRefusal: null,
    submissions: holding ? 0 : 1,
    queries: 0,
    nextQueryAt: holding ? null : data.at + data.timing.queryAfterMs,
  };
  return [{ type: 'order_created', data: { order } }];
}

/**
 * bank_result (a callback or a query's answer), checked in this order:
 * 1. bank_order_not_found (no such order here)
 * 2. bank_currency_mismatch (the bank says it booked another currency than the order's:
 *    not a result of this order's money, whatever the order's state; one stating none is
 *    taken as the order's)
 * 3. bank_order_not_sent (a withdrawal still holding, or refused before it was sent)
 * 4. a result is already known: the same outcome → duplicate; another → recorded once as a
 *    conflict for ops (the first result stands; nothing moves)
 * 5. otherwise the order completes — also from `sending`: a callback may overtake the
 *    bank's "accepted"
 */
function decideResult(order: BankOrder | null, { data }: Extract<BankOrderCommand, { type: 'bank_result' }>): BankOrderDecision {
  if (order === null) return reject('bank_order_not_found', 'no such bank order');
  const stated = data.result.currency;
  if (stated !== undefined && stated !== orderCurrency(order.payload)) return reject('bank_currency_mismatch', `bank order ${order.orderNo} is in ${orderCurrency(order.payload)}; the bank's result says ${stated}`);
  if (order.status === 'holding' || order.status === 'refused') return reject('bank_order_not_sent', `bank order ${order.orderNo} was never sent to the bank`);
  if (isFinal(order.status)) {
    if (order.result?.outcome === data.result.outcome || order.conflict !== null) return nothing;
    return [{ type: 'order_result_conflict', data: { result: data.result } }];
  }
  return [{ type: 'order_completed', data: { order, result: data.result } }];
}

/** A bank order as one decider: an accepted command answers the order, and whether it changed nothing (a duplicate). */
export const bankOrderDecider: Decider<BankOrderState, BankOrderCommand, BankOrderEvent, BankRejectionCode, { readonly order: BankOrder | null; readonly duplicate: boolean }> = {
  initialState: initialBankOrderState,
  decide: decideBankOrder,
  evolve: evolveBankOrder,
  reply: (state, _command, events) => ({ order: state.order, duplicate: events.length === 0 }),
};
