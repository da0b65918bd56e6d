import type { BankOrderKind } from '../../core/bank/bank-order.js';

/**
 * The bank's HTTP contract (the simulator in bench/bank-sim serves it; a real bank would be
 * fronted by an adapter speaking it). Amounts are decimal strings. Every request and every
 * callback is signed: `X-Bank-Timestamp` (epoch ms) and `X-Bank-Signature` (hex
 * HMAC-SHA256 of `<timestamp>.<payload>`; the payload of a callback is its raw body, of a
 * request `<METHOD> <path>\n<body>`).
 *
 *   POST /orders            BankOrderRequestWire → 202 { orderNo, status: "accepted" } · 4xx { code, detail }
 *   GET  /orders/:orderNo   → 200 BankOrderStatusWire · 404 { status: "not_found" }
 *   → POST <notifyUrl>      BankCallbackWire, retried until a 2xx
 */
export interface BankItemWire {
  readonly ref: string;
  readonly from: string;
  readonly to: string;
  readonly amount: string;
}

export interface BankOrderRequestWire {
  readonly orderNo: string;
  readonly kind: BankOrderKind;
  readonly businessDate: string;
  readonly notifyUrl: string;
  /**
   * ISO 4217: the currency of every amount of the order, written in its minor unit (JPY "1200",
   * KWD "3.125"); an account opened books it. Absent: CNY (a client before currencies).
   */
  readonly currency?: string;
  readonly account?: string;
  readonly amount?: string;
  /** A refund's: the order no of the deposit it pays back. */
  readonly original?: string;
  /** A withdrawal's fee, paid from the account to `feeAccount` with it. */
  readonly fee?: string;
  readonly feeAccount?: string;
  readonly items?: readonly BankItemWire[];
  /** A conversion's: the account paid, what it is paid (in `toCurrency`'s minor unit), and the rate asked. */
  readonly toAccount?: string;
  readonly toAmount?: string;
  readonly toCurrency?: string;
  readonly rate?: string;
}

export interface BankOrderStatusWire {
  readonly orderNo: string;
  readonly status: 'processing' | 'succeeded' | 'failed' | 'not_found';
  /** The order's currency, once the bank knows the order. */
  readonly currency?: string;
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
  readonly completedAt: string | null;
}

export interface BankCallbackWire {
  readonly orderNo: string;
  readonly kind: BankOrderKind;
  readonly status: 'succeeded' | 'failed';
  /** The currency the bank booked the order in; fundcore refuses one that is not the order's (bank_currency_mismatch). */
  readonly currency?: string;
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
  readonly completedAt: string;
}

export const timestampHeader = 'x-bank-timestamp';
export const signatureHeader = 'x-bank-signature';
