import { defaultCurrency } from '../../core/money/currency.js';
import type { InternalOrder } from '../../core/reconciliation/match.js';

/** A bank order as the read model keeps it, with its batch items. */
export interface OrderRow {
  readonly order_no: string;
  readonly kind: string;
  readonly account: string | null;
  readonly amount: bigint;
  readonly status: string;
  readonly business_date: string;
  /** Set when the bank completed the order and fundcore's ledger refused to post it (a closed wallet, …). */
  readonly posting_refusal: string | null;
  /** ISO 4217: every amount of the order is in it (the column's default, as an order's payload: CNY). */
  readonly currency?: string | null;
  /** A conversion's other side: the account the bank pays, in minor units of `to_currency`. */
  readonly to_account?: string | null;
  readonly to_amount?: bigint | null;
  readonly to_currency?: string | null;
}

export interface ItemRow {
  readonly order_no: string;
  readonly ref: string;
  readonly from_account: string;
  readonly to_account: string;
  readonly amount: bigint;
}

/** An order whose posting the ledger refused moved no money in fundcore: not succeeded, whatever the bank said. */
const statusOf = (order: OrderRow): InternalOrder['status'] =>
  order.posting_refusal !== null ? 'failed' : order.status === 'succeeded' ? 'succeeded' : order.status === 'failed' || order.status === 'refused' ? 'failed' : 'pending';

/**
 * The statement entries fundcore expects from its bank orders: a deposit is a credit on its
 * depository account, a withdrawal or a refund a debit; each item of a batch (disbursement, repayment,
 * transfer) and a withdrawal's fee a debit on the account it leaves and a credit on the one it reaches;
 * a conversion a debit on its source account in the order's currency and a credit on its target in the other.
 */
export function expectedEntries(orders: readonly OrderRow[], items: readonly ItemRow[]): InternalOrder[] {
  const expected: InternalOrder[] = [];
  const itemsOf = new Map<string, ItemRow[]>();
  for (const item of items) itemsOf.set(item.order_no, [...(itemsOf.get(item.order_no) ?? []), item]);
  for (const order of orders) {
    // An order's entries are in its currency: matched only against entries in it, never netted with another's.
    const base = { orderNo: order.order_no, date: order.business_date, status: statusOf(order), currency: order.currency ?? defaultCurrency };
    if (order.kind === 'deposit' || order.kind === 'withdrawal' || order.kind === 'refund') {
      expected.push({ ...base, key: order.order_no, instruction: null, account: order.account, amountMinor: order.amount, direction: order.kind === 'deposit' ? 'credit' : 'debit', batchId: null });
    }
    if (order.kind === 'conversion' && order.to_account != null && order.to_amount != null && order.to_currency != null) {
      expected.push({ ...base, key: `${order.order_no}/from`, instruction: null, account: order.account, amountMinor: order.amount, direction: 'debit', batchId: null });
      expected.push({ ...base, key: `${order.order_no}/to`, instruction: null, account: order.to_account, amountMinor: order.to_amount, direction: 'credit', batchId: null, currency: order.to_currency });
    }
    // A batch's items; a withdrawal's fee (an instruction of its own).
    for (const item of itemsOf.get(order.order_no) ?? []) {
      expected.push({ ...base, key: `${order.order_no}/${item.ref}/from`, instruction: item.ref, account: item.from_account, amountMinor: item.amount, direction: 'debit', batchId: `${order.order_no}/from/${item.from_account}` });
      expected.push({ ...base, key: `${order.order_no}/${item.ref}/to`, instruction: item.ref, account: item.to_account, amountMinor: item.amount, direction: 'credit', batchId: `${order.order_no}/to/${item.to_account}` });
    }
  }
  return expected;
}
