import type { BankItem } from '../../core/bank/bank-order.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { Currency } from '../../core/money/currency.js';
import type { BankOrderStatusAnswer } from './messages.js';

/** The bank took the request ("accepted": the result comes later), or refused it outright (a 4xx: never retried). */
export type BankSubmitAnswer = { readonly accepted: true } | { readonly accepted: false; readonly code: string; readonly detail: string };

/** Every request names its order (the bank dedupes by it), the business date it books on, and the currency of its amounts. */
export interface BankRequestHeader {
  readonly orderNo: string;
  readonly businessDate: BusinessDate;
  /** Every amount of the request is in minor units of it; an account the bank opens books it. */
  readonly currency: Currency;
}

/**
 * The bank depository (银行存管), as fundcore sees it: one adapter for every request kind.
 * Each answers "accepted" at once and delivers its result later by a signed callback
 * (POST /v1/bank/callbacks); `query` asks for an order's status (the pending-order sweep).
 * A bank that cannot be reached throws BankUnavailableError: the outbox tries again.
 */
export interface BankDepository {
  openAccount(header: BankRequestHeader, request: { readonly account: string }): Promise<BankSubmitAnswer>;
  deposit(header: BankRequestHeader, request: { readonly account: string; readonly amount: bigint }): Promise<BankSubmitAnswer>;
  /** `fee`: what the platform charges, paid at the bank from the account to `feeAccount` with the withdrawal. */
  withdraw(header: BankRequestHeader, request: { readonly account: string; readonly amount: bigint; readonly fee?: bigint; readonly feeAccount?: string }): Promise<BankSubmitAnswer>;
  /** Refund (原路退回): money back from the account to where the deposit `original` (its order no) came from. */
  refund(header: BankRequestHeader, request: { readonly account: string; readonly amount: bigint; readonly original: string }): Promise<BankSubmitAnswer>;
  /** Conversion (购汇/结汇): the bank takes `amount` (header's currency) from `account` and pays `toAmount` of `toCurrency` into `toAccount`, at `rate`. */
  convert(header: BankRequestHeader, request: { readonly account: string; readonly amount: bigint; readonly toAccount: string; readonly toAmount: bigint; readonly toCurrency: Currency; readonly rate: string }): Promise<BankSubmitAnswer>;
  /** Disbursement (放款): one item per claim, from the investor's depository account to the borrower's. */
  disburse(header: BankRequestHeader, request: { readonly items: readonly BankItem[] }): Promise<BankSubmitAnswer>;
  repay(header: BankRequestHeader, request: { readonly items: readonly BankItem[] }): Promise<BankSubmitAnswer>;
  transfer(header: BankRequestHeader, request: { readonly items: readonly BankItem[] }): Promise<BankSubmitAnswer>;
  query(orderNo: string): Promise<BankOrderStatusAnswer>;
}

export class BankUnavailableError extends Error {
  override readonly name = 'BankUnavailableError';
}

/** The bank of a node started without one: every request waits in the outbox until a bank is configured. */
export const noBankConfigured: BankDepository = {
  openAccount: unavailable,
  deposit: unavailable,
  withdraw: unavailable,
  refund: unavailable,
  convert: unavailable,
  disburse: unavailable,
  repay: unavailable,
  transfer: unavailable,
  query: unavailable,
};

function unavailable(): Promise<never> {
  return Promise.reject(new BankUnavailableError('no bank depository is configured on this node'));
}
