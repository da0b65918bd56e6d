import type { Decider } from '../decider.js';
import { assertNever, reject, type Rejection } from '../rejection.js';

/**
 * What one deposit has been refunded (退款, 原路退回): the single writer that keeps the
 * refunds of a deposit within what it brought in. A refund is reserved before its bank
 * order is created and released if that order fails (the wallet's hold refused, the bank's
 * refusal); so refunds racing each other never pass the bound.
 */
export interface RefundBookState {
  readonly deposit: { readonly orderNo: string; readonly amount: bigint } | null;
  /** By refund id: its bank order, amount and where it stands. */
  readonly refunds: ReadonlyMap<string, { readonly orderNo: string; readonly amount: bigint; readonly status: 'out' | 'refunded' | 'failed' }>;
}

export const initialRefundBookState: RefundBookState = { deposit: null, refunds: new Map() };

/**
 * A deposit is refunded in at most this many refunds (failed ones count): the book's events
 * copy its refunds and its decisions walk them, so their cost has a bound, as an account's
 * holds have one.
 */
export const refundsPerDepositMax = 100;

export type RefundBookCommand =
  | { readonly type: 'reserve_refund'; readonly data: { readonly refundId: string; readonly orderNo: string; readonly amount: bigint; readonly deposit: { readonly orderNo: string; readonly amount: bigint } } }
  | { readonly type: 'refund_settled'; readonly data: { readonly orderNo: string; readonly outcome: 'succeeded' | 'failed' } };

export type RefundBookEvent =
  | { readonly type: 'refund_reserved'; readonly data: { readonly refundId: string; readonly orderNo: string; readonly amount: bigint; readonly deposit: { readonly orderNo: string; readonly amount: bigint } } }
  | { readonly type: 'refund_completed'; readonly data: { readonly refundId: string; readonly outcome: 'succeeded' | 'failed' } };

export const refundBookRejectionCodes = ['refund_exceeds_order', 'id_reused_with_different_content', 'refunds_limit_reached'] as const;
export type RefundBookRejectionCode = (typeof refundBookRejectionCodes)[number];

/** What the deposit still can give back: its amount less every refund out or done. */
export function refundableOf(state: RefundBookState, depositAmount: bigint): bigint {
  let taken = 0n;
  for (const refund of state.refunds.values()) if (refund.status !== 'failed') taken += refund.amount;
  return depositAmount - taken;
}

/**
 * reserve_refund, checked in this order:
 * 1. the same refund again → duplicate (answered with the book)
 * 2. id_reused_with_different_content — the refund id with another amount
 * 3. refund_exceeds_order — more than the deposit brought in less the refunds out or done
 * 4. refunds_limit_reached — the deposit has had refundsPerDepositMax refunds already
 */
export function decideRefundBook(state: RefundBookState, command: RefundBookCommand): readonly RefundBookEvent[] | Rejection<RefundBookRejectionCode> {
  switch (command.type) {
    case 'reserve_refund': {
      const { refundId, amount, deposit } = command.data;
      const known = state.refunds.get(refundId);
      if (known !== undefined) return known.amount === amount ? [] : reject('id_reused_with_different_content', `refund ${refundId} was asked for ${known.amount} minor units`);
      const left = refundableOf(state, deposit.amount);
      if (amount > left) return reject('refund_exceeds_order', `deposit ${deposit.orderNo} can give back ${left} minor units more; ${amount} asked`);
      if (state.refunds.size >= refundsPerDepositMax) return reject('refunds_limit_reached', `deposit ${deposit.orderNo} has had ${refundsPerDepositMax} refunds; no more`);
      return [{ type: 'refund_reserved', data: command.data }];
    }
    case 'refund_settled': {
      const entry = [...state.refunds].find(([, refund]) => refund.orderNo === command.data.orderNo);
      if (entry === undefined || entry[1].status !== 'out') return [];
      return [{ type: 'refund_completed', data: { refundId: entry[0], outcome: command.data.outcome } }];
    }
    default:
      return assertNever(command, 'refund book command');
  }
}

export function evolveRefundBook(state: RefundBookState, event: RefundBookEvent): RefundBookState {
  const refunds = new Map(state.refunds);
  switch (event.type) {
    case 'refund_reserved':
      refunds.set(event.data.refundId, { orderNo: event.data.orderNo, amount: event.data.amount, status: 'out' });
      return { deposit: event.data.deposit, refunds };
    case 'refund_completed': {
      const refund = refunds.get(event.data.refundId);
      if (refund !== undefined) refunds.set(event.data.refundId, { ...refund, status: event.data.outcome === 'succeeded' ? 'refunded' : 'failed' });
      return { ...state, refunds };
    }
    default:
      return assertNever(event, 'refund book event');
  }
}

export const refundBookDecider: Decider<RefundBookState, RefundBookCommand, RefundBookEvent, RefundBookRejectionCode, RefundBookState> = {
  initialState: initialRefundBookState,
  decide: decideRefundBook,
  evolve: evolveRefundBook,
  reply: (after) => after,
};
