import { bankOrderKinds, type BankItem, type BankOrderKind } from '../../core/bank/bank-order.js';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { parseAmount } from '../../core/money/amount.js';
import { parseRate } from '../../core/fx/fx-rate.js';
import { currencies, defaultCurrency, isCurrency, type Currency } from '../../core/money/currency.js';
import type { BankOrderRequestWire } from '../../actors/bank/wire.js';

/** An order request as the simulator keeps it: amounts parsed in its currency's minor units. */
export interface SimRequest {
  readonly orderNo: string;
  readonly kind: BankOrderKind;
  readonly businessDate: string;
  /** Of every amount; the currency an opened account books. */
  readonly currency: Currency;
  readonly account: string | null;
  readonly amount: bigint | null;
  readonly items: readonly BankItem[];
  /** A refund's deposit (its order no). */
  readonly original?: string;
  /** A withdrawal's fee, and the account it is paid to. */
  readonly fee?: { readonly amount: bigint; readonly account: string };
  /** A conversion's other side: the account paid, in its currency's minor units, at the rate asked. */
  readonly conversion?: { readonly toAccount: string; readonly toAmount: bigint; readonly toCurrency: Currency; readonly rate: string };
}

export const batchItemsMax = 10_000;

type Head = Pick<SimRequest, 'orderNo' | 'kind' | 'businessDate' | 'currency'>;

/** Parses and checks a request body; a string is the reason it is refused (400). */
export function parseRequest(body: unknown): SimRequest | string {
  if (typeof body !== 'object' || body === null) return 'the body is a JSON object';
  const wire = body as Partial<BankOrderRequestWire>;
  if (typeof wire.orderNo !== 'string' || wire.orderNo.length === 0 || wire.orderNo.length > 120) return 'orderNo is a string of 1..120 characters';
  if (typeof wire.kind !== 'string' || !(bankOrderKinds as readonly string[]).includes(wire.kind)) return `kind is one of ${bankOrderKinds.join(', ')}`;
  if (typeof wire.businessDate !== 'string' || !isBusinessDate(wire.businessDate)) return 'businessDate is YYYY-MM-DD';
  if (typeof wire.notifyUrl !== 'string' || !/^https?:\/\//.test(wire.notifyUrl)) return 'notifyUrl is an http(s) URL';
  // A client from before currencies sends none: its amounts are CNY.
  const currency = wire.currency ?? defaultCurrency;
  if (!isCurrency(currency)) return `currency is an ISO 4217 code the bank books (${currencies.join(', ')})`;
  const head: Head = { orderNo: wire.orderNo, kind: wire.kind as BankOrderKind, businessDate: wire.businessDate, currency };
  if (head.kind === 'open_account' || head.kind === 'deposit' || head.kind === 'withdrawal' || head.kind === 'refund') return accountRequest(head, wire);
  if (head.kind === 'conversion') return conversionRequest(head, wire);
  return batchRequest(head, wire);
}

/** An order on one account: its opening, a deposit, a withdrawal (with its fee), a refund (naming its deposit). */
function accountRequest(head: Head, wire: Partial<BankOrderRequestWire>): SimRequest | string {
  if (typeof wire.account !== 'string' || wire.account.length === 0) return 'account is required';
  if (head.kind === 'open_account') return { ...head, account: wire.account, amount: null, items: [] };
  if (head.kind === 'refund' && (typeof wire.original !== 'string' || wire.original.length === 0 || wire.original.length > 120)) return 'original (the order no of the deposit refunded) is required';
  const amount = parseAmount(wire.amount, head.currency);
  if (!amount.ok) return `amount: ${amount.detail}`;
  const base = { ...head, account: wire.account, amount: amount.minor, items: [] };
  if (head.kind === 'refund') return { ...base, original: wire.original as string };
  if (head.kind !== 'withdrawal' || wire.fee === undefined) return base;
  const fee = parseAmount(wire.fee, head.currency);
  if (!fee.ok || typeof wire.feeAccount !== 'string' || wire.feeAccount.length === 0) return 'a withdrawal fee is {fee, feeAccount}';
  return { ...base, fee: { amount: fee.minor, account: wire.feeAccount } };
}

/** A conversion: `amount` of the order's currency from `account`, `toAmount` of `toCurrency` to `toAccount`. */
function conversionRequest(head: Head, wire: Partial<BankOrderRequestWire>): SimRequest | string {
  const { account, toAccount, toCurrency, rate } = wire;
  if (typeof account !== 'string' || account.length === 0 || typeof toAccount !== 'string' || toAccount.length === 0) return 'a conversion names account and toAccount';
  if (typeof toCurrency !== 'string' || !isCurrency(toCurrency) || toCurrency === head.currency) return 'toCurrency is an ISO 4217 code the bank books, other than currency';
  if (typeof rate !== 'string' || parseRate(rate) === null) return 'rate is a positive decimal (at most 9 integer and 10 decimal digits)';
  const amount = parseAmount(wire.amount, head.currency);
  if (!amount.ok) return `amount: ${amount.detail}`;
  const toAmount = parseAmount(wire.toAmount, toCurrency);
  if (!toAmount.ok) return `toAmount: ${toAmount.detail}`;
  return { ...head, account, amount: amount.minor, items: [], conversion: { toAccount, toAmount: toAmount.minor, toCurrency, rate } };
}

function batchRequest(head: Head, wire: Partial<BankOrderRequestWire>): SimRequest | string {
  if (!Array.isArray(wire.items) || wire.items.length === 0 || wire.items.length > batchItemsMax) return `items holds 1..${batchItemsMax} transfers`;
  const items: BankItem[] = [];
  for (const item of wire.items) {
    const amount = parseAmount(item?.amount, head.currency);
    if (typeof item?.ref !== 'string' || typeof item.from !== 'string' || typeof item.to !== 'string' || !amount.ok) return 'each item is {ref, from, to, amount}';
    if (item.from === item.to) return 'an item moves money between two different accounts';
    items.push({ ref: item.ref, from: item.from, to: item.to, amount: amount.minor });
  }
  return { ...head, account: null, amount: null, items };
}

/** Field by field, whatever the order of the fields (a request restored from the store may list them otherwise). */
export function sameRequest(a: SimRequest, b: SimRequest): boolean {
  const canonical = (_key: string, value: unknown): unknown => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)));
  };
  return JSON.stringify(a, canonical) === JSON.stringify(b, canonical);
}
