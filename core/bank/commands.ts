import type { BusinessDate } from '../calendar/business-date.js';
import type { BankOrderPayload, BankResult } from './bank-order.js';

/** The pending-order sweep's timing: first query after `queryAfterMs`, then doubling up to `queryIntervalMaxMs`. */
export interface BankQueryTiming {
  readonly queryAfterMs: number;
  readonly queryIntervalMaxMs: number;
}

export type BankOrderCommand =
  | {
      readonly type: 'create_order';
      readonly data: { readonly orderNo: string; readonly payload: BankOrderPayload; readonly origin: string | null; readonly at: number; readonly on: BusinessDate; readonly timing: BankQueryTiming };
    }
  | { readonly type: 'hold_placed'; readonly data: { readonly at: number; readonly timing: BankQueryTiming } }
  | { readonly type: 'hold_refused'; readonly data: { readonly code: string; readonly detail: string; readonly at: number } }
  | { readonly type: 'submission_accepted'; readonly data: { readonly at: number } }
  | { readonly type: 'submission_refused'; readonly data: { readonly code: string; readonly detail: string; readonly at: number } }
  | { readonly type: 'bank_result'; readonly data: { readonly result: BankResult } }
  | { readonly type: 'query_due'; readonly data: { readonly at: number; readonly timing: BankQueryTiming } }
  /** The query found no such order at the bank: it never arrived (掉单); send it again under the same number. */
  | { readonly type: 'missing_at_bank'; readonly data: { readonly at: number } }
  | { readonly type: 'posting_refused'; readonly data: { readonly code: string; readonly detail: string; readonly at: number } };
