import type { Nature } from '../ledger/nature.js';
import type { BusinessDate } from '../calendar/business-date.js';
import { defaultCurrency, type Currency } from '../money/currency.js';

/** What fundcore asks of the bank depository (银行存管). */
export const bankOrderKinds = ['open_account', 'deposit', 'withdrawal', 'refund', 'conversion', 'disbursement', 'repayment', 'transfer'] as const;
export type BankOrderKind = (typeof bankOrderKinds)[number];

/** One line of a batch: money from one depository account to another. */
export interface BankItem {
  readonly ref: string;
  readonly from: string;
  readonly to: string;
  readonly amount: bigint;
}

/**
 * `currency` of an order that moves one wallet's money (and of its depository account's
 * opening): the wallet's. Absent: the home currency — as on every order made before the
 * depository booked several currencies, so their payloads (and a retry's comparison with
 * them) stay what they were. Batches (disbursement, repayment, transfer) are lending's,
 * which books the home currency only.
 */
export type BankOrderPayload =
  | { readonly kind: 'open_account'; readonly account: string; readonly currency?: Currency }
  /** Recharge: the bank takes money in for `account`; on success the ledger credits the wallet (`transferId`). */
  /** `nature`: what the money is in the wallet (a credit-card recharge: refund_only); absent: withdrawable. */
  | { readonly kind: 'deposit'; readonly account: string; readonly amount: bigint; readonly transferId: string; readonly currency?: Currency; readonly nature?: Nature }
  /** The wallet's amount is held (`transferId`, pending) before the bank is asked; posted on success, voided on failure. */
  /** `fee`: the platform's withdrawal fee, held with the amount and paid at the bank to `feeAccount` (absent: none). */
  /** `draw`: the natures the hold may draw, in order, fixed with the order (absent: withdrawable alone). */
  | { readonly kind: 'withdrawal'; readonly account: string; readonly amount: bigint; readonly transferId: string; readonly fee?: bigint; readonly feeAccount?: string; readonly currency?: Currency; readonly draw?: readonly Nature[] }
  /** Refund along the original path (原路退回): as a withdrawal, but the bank pays it back to the card or channel the deposit `original` (its order no) came from. */
  /** `draw`: the refunded deposit's nature alone (absent: withdrawable). */
  | { readonly kind: 'refund'; readonly account: string; readonly amount: bigint; readonly transferId: string; readonly original: string; readonly currency?: Currency; readonly draw?: readonly Nature[] }
  /**
   * A currency conversion at the bank (购汇/结汇): the bank, the dealer, takes `amount` of
   * `currency` from `account` and pays `toAmount` of `toCurrency` into `toAccount` at the
   * conversion's `rate`. The source amount is held (`transferId`, pending) first, as a
   * withdrawal's is; on success the hold is posted and `toTransferId` credits the target.
   */
  | {
      readonly kind: 'conversion';
      readonly account: string;
      readonly amount: bigint;
      readonly transferId: string;
      readonly currency?: Currency;
      readonly toAccount: string;
      readonly toAmount: bigint;
      readonly toCurrency: Currency;
      readonly toTransferId: string;
      readonly rate: string;
      readonly draw?: readonly Nature[];
    }
  | { readonly kind: 'disbursement' | 'repayment' | 'transfer'; readonly items: readonly BankItem[] };

/** Orders that take money out of a wallet hold it there before the bank is asked. */
export function holdsFirst(payload: BankOrderPayload): payload is Extract<BankOrderPayload, { kind: 'withdrawal' | 'refund' | 'conversion' }> {
  return payload.kind === 'withdrawal' || payload.kind === 'refund' || payload.kind === 'conversion';
}

/** The currency an order's amounts are in (minor units of it). */
export function orderCurrency(payload: BankOrderPayload): Currency {
  return ('currency' in payload ? payload.currency : undefined) ?? defaultCurrency;
}

/** The payload field naming a currency: none for the home currency (see BankOrderPayload). */
export function currencyField(currency: Currency): { readonly currency?: Currency } {
  return currency === defaultCurrency ? {} : { currency };
}

/**
 * holding: a withdrawal's hold is being placed (nothing sent yet) · refused: the hold was
 * refused, nothing was sent, for good · sending: handed to the outbox for the bank ·
 * accepted: the bank said "accepted" · succeeded / failed: the bank's result.
 */
export type BankOrderStatus = 'holding' | 'refused' | 'sending' | 'accepted' | 'succeeded' | 'failed';

export interface BankResult {
  readonly outcome: 'succeeded' | 'failed';
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
  /** When the bank says it completed (its clock). */
  readonly completedAt: string | null;
  /** How fundcore learned it: the signed callback, the pending-order query, or a refusal of the request itself. */
  readonly via: 'callback' | 'query' | 'submission';
  /** The currency the bank says it booked the order in (a callback carries it); absent: not stated. */
  readonly currency?: string;
  readonly receivedAt: number;
}

export interface BankOrder {
  readonly orderNo: string;
  readonly payload: BankOrderPayload;
  /** The actor told of the result (a loan for its disbursement), or null. */
  readonly origin: string | null;
  readonly businessDate: BusinessDate;
  readonly createdAt: number;
  readonly status: BankOrderStatus;
  readonly result: BankResult | null;
  /** Why the withdrawal hold was refused (status refused). */
  readonly refusal: { readonly code: string; readonly detail: string } | null;
  /** A later result that contradicts the first (the first stands; flagged for ops). */
  readonly conflict: BankResult | null;
  /** The ledger refused the posting that followed the result (e.g. the wallet closed): for reconciliation. */
  readonly postingRefusal: { readonly code: string; readonly detail: string } | null;
  readonly submissions: number;
  readonly queries: number;
  /** When the pending-order sweep asks the bank next (epoch ms), while the order is out. */
  readonly nextQueryAt: number | null;
}

export interface BankOrderState {
  readonly order: BankOrder | null;
}

export const initialBankOrderState: BankOrderState = { order: null };

export function isFinal(status: BankOrderStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'refused';
}

export function isOut(status: BankOrderStatus): boolean {
  return status === 'sending' || status === 'accepted';
}

export function samePayload(a: BankOrderPayload, b: BankOrderPayload): boolean {
  return JSON.stringify(a, bigintText) === JSON.stringify(b, bigintText);
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

/** When the sweep should ask again after `queries` queries: doubling from the first wait, capped. */
export function nextQueryDelayMs(queries: number, queryAfterMs: number, queryIntervalMaxMs: number): number {
  return Math.min(queryAfterMs * 2 ** Math.min(queries, 30), queryIntervalMaxMs);
}
