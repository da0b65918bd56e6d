import { assert } from '../rejection.js';
import type { CurrencyCode, Direction, StatementEntry } from './statement.js';

/** An order as fundcore knows it: what it asked the bank to do, and what it believes happened. */
export interface InternalOrder {
  /** Unique among the orders reconciled: the order no, plus item and side for a batch's entries. */
  readonly key: string;
  readonly orderNo: string;
  /** Which item of a batch (the bank's instruction id); null for a single order. */
  readonly instruction: string | null;
  /** The account the bank books it on; null when not known. */
  readonly account: string | null;
  /** ISO 4217; amounts compare only within one currency, in its minor units. */
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
  /** From the bank account's side: a deposit is a credit, a withdrawal or disbursement a debit. */
  readonly direction: Direction;
  /** YYYY-MM-DD: the business date the order was sent (or completed). */
  readonly date: string;
  readonly status: 'succeeded' | 'failed' | 'pending';
  /** Orders sent to the bank together (one batch) share it; a batched entry books them as one. */
  readonly batchId: string | null;
}

export interface MatchOptions {
  /** How far (in days) a booking date may be from the order's date for a match by amount and date. */
  readonly dateWindowDays: number;
  /** Most orders one batched entry may be matched with by sums (subset search is bounded). */
  readonly oneToManyMax: number;
}

export const defaultMatchOptions: MatchOptions = { dateWindowDays: 2, oneToManyMax: 64 };

export type MatchRule = 'reference' | 'amount_and_date' | 'one_to_many';

export type Finding =
  | { readonly kind: 'matched'; readonly rule: MatchRule; readonly entry: StatementEntry; readonly orders: readonly InternalOrder[] }
  /** The bank booked it, fundcore has no such order: a dropped order (掉单). */
  | { readonly kind: 'missing_internally'; readonly entry: StatementEntry }
  /** fundcore believes it succeeded, the bank has no entry for it. */
  | { readonly kind: 'missing_at_bank'; readonly order: InternalOrder }
  /** Same reference(s), another amount or direction: every order the entry names, so the difference is against their sum. */
  | { readonly kind: 'amount_mismatch'; readonly entry: StatementEntry; readonly orders: readonly InternalOrder[] }
  /** Same reference(s), but the bank booked what fundcore has as failed or still pending (the first such order first). */
  | { readonly kind: 'status_mismatch'; readonly entry: StatementEntry; readonly orders: readonly InternalOrder[] }
  /** An entry in another currency than its statement: not in the foot, not matched; a person looks at it. */
  | { readonly kind: 'foreign_currency'; readonly entry: StatementEntry }
  /** An entry the bank lists as pending or for information only (camt PDNG / INFO): not money yet, listed so it is seen. */
  | { readonly kind: 'not_booked'; readonly entry: StatementEntry }
  /** The statement's closing balance of a depository account is not what the ledger says the bank should hold at that cut. */
  | { readonly kind: 'balance_drift'; readonly drift: BalanceDrift };

export interface BalanceDrift {
  readonly account: string;
  /** The cut: the closing balance's date. */
  readonly date: string;
  /** ISO 4217, the statement's; absent in a report made before drifts had one (CNY). */
  readonly currency?: string;
  readonly statementMinor: bigint;
  readonly expectedMinor: bigint;
  /** statement − expected: positive when the bank holds more than the ledger says it should. */
  readonly differenceMinor: bigint;
}

export const findingKinds = ['matched', 'missing_internally', 'missing_at_bank', 'amount_mismatch', 'status_mismatch', 'foreign_currency', 'not_booked', 'balance_drift'] as const satisfies readonly Finding['kind'][];

/**
 * Reconciles statement entries with internal orders, in three passes:
 * 1. exact on reference (the entry's end-to-end id, or the references of a batched entry's
 *    transactions), checking amount and status;
 * 2. by amount, direction and booking date within the window (closest date, then order no);
 * 3. one-to-many: a remaining entry against a set of remaining orders of the same direction
 *    whose amounts sum to it — a whole bank batch first, then a bounded subset search.
 * Every booked entry and every succeeded order ends in exactly one finding; failed or
 * pending orders the bank never booked are not findings. Deterministic.
 */
export function reconcile(entries: readonly StatementEntry[], orders: readonly InternalOrder[], options: MatchOptions = defaultMatchOptions): Finding[] {
  const findings: Finding[] = [];
  const byReference = referenceIndex(orders);
  const usedOrders = new Set<string>();
  const open: StatementEntry[] = [];

  for (const entry of entries) {
    if (entry.status !== 'booked') continue;
    const referenced = referencedOrders(entry, byReference, usedOrders);
    if (referenced === null) {
      open.push(entry);
      continue;
    }
    for (const order of referenced) usedOrders.add(order.key);
    findings.push(judgeByReference(entry, referenced));
  }

  const stillOpen: StatementEntry[] = [];
  for (const entry of open) {
    const order = closestByAmountAndDate(entry, orders, usedOrders, options);
    if (order === null) {
      stillOpen.push(entry);
      continue;
    }
    usedOrders.add(order.key);
    findings.push({ kind: 'matched', rule: 'amount_and_date', entry, orders: [order] });
  }

  for (const entry of stillOpen) {
    const group = oneToMany(entry, orders, usedOrders, options);
    if (group === null) {
      findings.push({ kind: 'missing_internally', entry });
      continue;
    }
    for (const order of group) usedOrders.add(order.key);
    findings.push({ kind: 'matched', rule: 'one_to_many', entry, orders: group });
  }

  for (const order of orders) {
    if (!usedOrders.has(order.key) && order.status === 'succeeded') findings.push({ kind: 'missing_at_bank', order });
  }
  return findings;
}

const referenceKey = (reference: string, instruction: string | null, account: string | null) => `${reference}\u0000${instruction ?? ''}\u0000${account ?? ''}`;

/** Orders by the references an entry may name them with: with and without item and account (each order once per key). */
function referenceIndex(orders: readonly InternalOrder[]): Map<string, InternalOrder[]> {
  const index = new Map<string, InternalOrder[]>();
  const add = (key: string, order: InternalOrder) => {
    const listed = index.get(key);
    if (listed === undefined) index.set(key, [order]);
    else if (!listed.includes(order)) listed.push(order);
  };
  for (const order of orders) {
    add(referenceKey(order.orderNo, order.instruction, order.account), order);
    add(referenceKey(order.orderNo, order.instruction, null), order);
    add(referenceKey(order.orderNo, null, order.account), order);
    add(referenceKey(order.orderNo, null, null), order);
  }
  return index;
}

/** The orders an entry names by reference (itself, or its transactions'), or null when it names none we know. */
function referencedOrders(entry: StatementEntry, index: ReadonlyMap<string, InternalOrder[]>, used: ReadonlySet<string>): InternalOrder[] | null {
  const references = entry.transactions.length > 1 ? entry.transactions.map((t) => t.reference) : [entry.reference ?? entry.transactions[0]?.reference ?? null];
  const instruction = entry.transactions.length > 1 ? null : entry.instruction;
  const found: InternalOrder[] = [];
  for (const reference of references) {
    if (reference === null) continue;
    const candidates =
      index.get(referenceKey(reference, instruction, entry.account)) ?? index.get(referenceKey(reference, instruction, null)) ?? index.get(referenceKey(reference, null, entry.account)) ?? index.get(referenceKey(reference, null, null)) ?? [];
    // Several items of one order may sit on one account without an instruction id to tell
    // them apart: the one with the entry's amount first, then any of its direction; an order
    // alone under its reference is taken whatever its direction (then judged a mismatch).
    const free = candidates.filter((o) => !used.has(o.key) && !found.includes(o));
    const amount = entry.transactions.length > 1 ? (entry.transactions.find((tx) => tx.reference === reference)?.amountMinor ?? null) : entry.amountMinor;
    const order =
      free.find((o) => o.direction === entry.direction && o.currency === entry.currency && o.amountMinor === amount) ?? free.find((o) => o.direction === entry.direction) ?? (candidates.length === 1 ? free[0] : undefined);
    if (order !== undefined) found.push(order);
  }
  return found.length === 0 ? null : found;
}

/** Money into the account (credit) positive: so sums and differences keep their side. */
export const signedAmount = (direction: Direction, amountMinor: bigint) => (direction === 'credit' ? amountMinor : -amountMinor);

function judgeByReference(entry: StatementEntry, orders: readonly InternalOrder[]): Finding {
  const unsettled = orders.filter((order) => order.status !== 'succeeded');
  if (unsettled.length > 0) return { kind: 'status_mismatch', entry, orders: [...unsettled, ...orders.filter((order) => order.status === 'succeeded')] };
  const sum = orders.reduce((total, order) => total + signedAmount(order.direction, order.amountMinor), 0n);
  const sameCurrency = orders.every((order) => order.currency === entry.currency);
  if (!sameCurrency || sum !== signedAmount(entry.direction, entry.amountMinor)) return { kind: 'amount_mismatch', entry, orders };
  return { kind: 'matched', rule: 'reference', entry, orders };
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

function candidates(entry: StatementEntry, orders: readonly InternalOrder[], used: ReadonlySet<string>, options: MatchOptions): InternalOrder[] {
  const day = dayNumber(entry.bookingDate);
  return orders.filter(
    (order) =>
      !used.has(order.key) &&
      (order.account === null || order.account === entry.account) &&
      order.status === 'succeeded' &&
      order.currency === entry.currency &&
      order.direction === entry.direction &&
      Math.abs(dayNumber(order.date) - day) <= options.dateWindowDays,
  );
}

function closestByAmountAndDate(entry: StatementEntry, orders: readonly InternalOrder[], used: ReadonlySet<string>, options: MatchOptions): InternalOrder | null {
  const day = dayNumber(entry.bookingDate);
  const sameAmount = candidates(entry, orders, used, options).filter((order) => order.amountMinor === entry.amountMinor);
  sameAmount.sort((a, b) => Math.abs(dayNumber(a.date) - day) - Math.abs(dayNumber(b.date) - day) || (a.key < b.key ? -1 : 1));
  return sameAmount[0] ?? null;
}

/** A whole batch summing to the entry, else the first subset (by order no) that does, within bounds. */
function oneToMany(entry: StatementEntry, orders: readonly InternalOrder[], used: ReadonlySet<string>, options: MatchOptions): InternalOrder[] | null {
  const pool = candidates(entry, orders, used, options).sort((a, b) => (a.key < b.key ? -1 : 1));
  const batches = new Map<string, InternalOrder[]>();
  for (const order of pool) if (order.batchId !== null) batches.set(order.batchId, [...(batches.get(order.batchId) ?? []), order]);
  for (const batch of batches.values()) {
    if (batch.length > 1 && batch.reduce((sum, order) => sum + order.amountMinor, 0n) === entry.amountMinor) return batch;
  }
  if (pool.length < 2 || pool.length > options.oneToManyMax) return null;
  return subsetSumming(pool, entry.amountMinor, entry.transactions.length > 1 ? entry.transactions.length : null);
}

/** Depth-first over orders (kept in order-no order), first subset of ≥ 2 orders summing to target. */
function subsetSumming(pool: readonly InternalOrder[], target: bigint, size: number | null): InternalOrder[] | null {
  const chosen: InternalOrder[] = [];
  let steps = 0;
  const stepsMax = 200_000;
  const search = (start: number, remaining: bigint): boolean => {
    if (remaining === 0n) return chosen.length >= 2 && (size === null || chosen.length === size);
    if (remaining < 0n || ++steps > stepsMax) return false;
    for (let i = start; i < pool.length; i++) {
      const order = pool[i] as InternalOrder;
      chosen.push(order);
      if (search(i + 1, remaining - order.amountMinor)) return true;
      chosen.pop();
    }
    return false;
  };
  const found = search(0, target);
  assert(!found || chosen.reduce((sum, order) => sum + order.amountMinor, 0n) === target, 'a one-to-many match sums exactly');
  return found ? [...chosen] : null;
}
