import { bankOrderKinds, type BankItem, type BankOrderKind } from '../../core/bank/bank-order.js';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { parseAmount } from '../../core/money/amount.js';
import type { BankOrderRequestWire } from '../../actors/bank/wire.js';

/** An order request as the simulator keeps it: amounts parsed. */
export interface SimRequest {
  readonly orderNo: string;
  readonly kind: BankOrderKind;
  readonly businessDate: string;
  readonly account: string | null;
  readonly amount: bigint | null;
  readonly items: readonly BankItem[];
  /** A refund's deposit (its order no). */
  readonly original?: string;
  /** A withdrawal's fee, and the account it is paid to. */
  readonly fee?: { readonly amount: bigint; readonly account: string };
}

export const batchItemsMax = 10_000;

/** Parses and checks a request body; a string is the reason it is refused (400). */
export function parseRequest(body: unknown): SimRequest | string {
  if (typeof body !== 'object' || body === null) return 'the body is a JSON object';
  const wire = body as Partial<BankOrderRequestWire>;
  if (typeof wire.orderNo !== 'string' || wire.orderNo.length === 0 || wire.orderNo.length > 120) return 'orderNo is a string of 1..120 characters';
  if (typeof wire.kind !== 'string' || !(bankOrderKinds as readonly string[]).includes(wire.kind)) return `kind is one of ${bankOrderKinds.join(', ')}`;
  if (typeof wire.businessDate !== 'string' || !isBusinessDate(wire.businessDate)) return 'businessDate is YYYY-MM-DD';
  if (typeof wire.notifyUrl !== 'string' || !/^https?:\/\//.test(wire.notifyUrl)) return 'notifyUrl is an http(s) URL';
  const kind = wire.kind as BankOrderKind;
  if (kind === 'refund') {
    if (typeof wire.account !== 'string' || wire.account.length === 0) return 'account is required';
    if (typeof wire.original !== 'string' || wire.original.length === 0 || wire.original.length > 120) return 'original (the order no of the deposit refunded) is required';
    const amount = parseAmount(wire.amount, 'CNY');
    if (!amount.ok) return `amount: ${amount.detail}`;
    return { orderNo: wire.orderNo, kind, businessDate: wire.businessDate, account: wire.account, amount: amount.minor, items: [], original: wire.original };
  }
  if (kind === 'open_account' || kind === 'deposit' || kind === 'withdrawal') {
    if (typeof wire.account !== 'string' || wire.account.length === 0) return 'account is required';
    if (kind === 'open_account') return { orderNo: wire.orderNo, kind, businessDate: wire.businessDate, account: wire.account, amount: null, items: [] };
    const amount = parseAmount(wire.amount, 'CNY');
    if (!amount.ok) return `amount: ${amount.detail}`;
    const base = { orderNo: wire.orderNo, kind, businessDate: wire.businessDate, account: wire.account, amount: amount.minor, items: [] };
    if (kind !== 'withdrawal' || wire.fee === undefined) return base;
    const fee = parseAmount(wire.fee, 'CNY');
    if (!fee.ok || typeof wire.feeAccount !== 'string' || wire.feeAccount.length === 0) return 'a withdrawal fee is {fee, feeAccount}';
    return { ...base, fee: { amount: fee.minor, account: wire.feeAccount } };
  }
  if (!Array.isArray(wire.items) || wire.items.length === 0 || wire.items.length > batchItemsMax) return `items holds 1..${batchItemsMax} transfers`;
  const items: BankItem[] = [];
  for (const item of wire.items) {
    const amount = parseAmount(item?.amount, 'CNY');
    if (typeof item?.ref !== 'string' || typeof item.from !== 'string' || typeof item.to !== 'string' || !amount.ok) return 'each item is {ref, from, to, amount}';
    if (item.from === item.to) return 'an item moves money between two different accounts';
    items.push({ ref: item.ref, from: item.from, to: item.to, amount: amount.minor });
  }
  return { orderNo: wire.orderNo, kind, businessDate: wire.businessDate, account: null, amount: null, items };
}

export function sameRequest(a: SimRequest, b: SimRequest): boolean {
  const text = (request: SimRequest) => JSON.stringify(request, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return text(a) === text(b);
}
