import type { BankOrder, BankResult } from './bank-order.js';

export type BankOrderEvent =
  | { readonly type: 'order_created'; readonly data: { readonly order: BankOrder } }
  | { readonly type: 'withdrawal_hold_placed'; readonly data: { readonly order: BankOrder; readonly at: number; readonly nextQueryAt: number } }
  | { readonly type: 'order_refused'; readonly data: { readonly order: BankOrder; readonly code: string; readonly detail: string; readonly at: number } }
  | { readonly type: 'order_accepted'; readonly data: { readonly at: number } }
  | { readonly type: 'order_resubmitted'; readonly data: { readonly order: BankOrder; readonly at: number } }
  | { readonly type: 'order_query_sent'; readonly data: { readonly orderNo: string; readonly at: number; readonly nextQueryAt: number } }
  /** The result, once: carries the order so the outbox can derive the postings and the notification. */
  | { readonly type: 'order_completed'; readonly data: { readonly order: BankOrder; readonly result: BankResult } }
  | { readonly type: 'order_result_conflict'; readonly data: { readonly result: BankResult } }
  | { readonly type: 'order_posting_refused'; readonly data: { readonly code: string; readonly detail: string; readonly at: number } };
