import type { BankOrder, BankOrderPayload } from '../../core/bank/bank-order.js';

/** Messages of a bank order actor (`bank:<orderNo>`). */
export type BankOrderMessage =
  | { readonly type: 'create_order'; readonly data: { readonly orderNo: string; readonly payload: BankOrderPayload; readonly origin: string | null } }
  | { readonly type: 'hold_placed' }
  | { readonly type: 'hold_refused'; readonly data: { readonly code: string; readonly detail: string } }
  | { readonly type: 'submission_accepted' }
  | { readonly type: 'submission_refused'; readonly data: { readonly code: string; readonly detail: string } }
  | { readonly type: 'bank_result'; readonly data: BankResultData }
  | { readonly type: 'query_due' }
  | { readonly type: 'missing_at_bank' }
  | { readonly type: 'posting_refused'; readonly data: { readonly code: string; readonly detail: string } }
  | { readonly type: 'get_order' };

export interface BankResultData {
  readonly outcome: 'succeeded' | 'failed';
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
  readonly completedAt: string | null;
  readonly via: 'callback' | 'query';
  /** The currency the bank says it booked (absent: not stated). */
  readonly currency?: string;
}

/** Messages to the bank endpoint (the adapter behind the bus, not an actor). */
export type BankEndpointMessage = { readonly type: 'submit'; readonly data: { readonly order: BankOrder } } | { readonly type: 'query'; readonly data: { readonly orderNo: string } };

/** What the bank says of an order when asked. */
export interface BankOrderStatusAnswer {
  readonly status: 'processing' | 'succeeded' | 'failed' | 'not_found';
  /** The order's currency as the bank has it (absent: not stated). */
  readonly currency?: string;
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
  readonly completedAt: string | null;
}
