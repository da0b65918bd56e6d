import { addDays } from '../../core/calendar/business-date.js';
import { defaultCurrency } from '../../core/money/currency.js';
import { footCheck, type FootCheck } from '../../core/reconciliation/foot.js';
import { reconcile, type Finding, type InternalOrder, type MatchOptions } from '../../core/reconciliation/match.js';
import type { Statement, StatementEntry } from '../../core/reconciliation/statement.js';
import { expectedEntries, type ItemRow, type OrderRow } from './expected-entries.js';

type Awaitable<T> = T | Promise<T>;

/**
 * Where reconciliation reads fundcore's bank orders (the read model). In a statement job the
 * answers come from the main thread, which owns the read model (statement-job.ts).
 */
export interface BankOrderSource {
  /** Orders sent on business days [fromDay, toDay], with their batch items, in order-no order. */
  byDates(fromDay: string, toDay: string): Awaitable<{ orders: OrderRow[]; items: ItemRow[] }>;
  /** Orders by number, whatever their date, in order-no order. */
  byNumbers(orderNos: readonly string[]): Awaitable<{ orders: OrderRow[]; items: ItemRow[] }>;
  /**
   * What the depository should hold on the account at the end of the day, in minor units of
   * `currency`, by the ledger (null: unknown, or the account books another currency; absent: not checked).
   */
  holding?(account: string, day: string, currency: string): Awaitable<bigint | null>;
}

export interface ReconciledStatements {
  readonly statements: readonly { readonly statement: Statement; readonly foot: FootCheck }[];
  readonly findings: readonly { readonly statement: Statement | null; readonly finding: Finding }[];
}

/**
 * Reconciles statements with the bank orders, one account at a time: all statements of an
 * account together (a file of daily MT940 messages, several camt `Stmt`), so an order booked
 * on another day than it was sent is one finding, not a miss on one day and a match on the
 * next. The internal side is every order of the account dated within the statements' days ±
 * the window, plus any order an entry names by number whatever its date (a late booking is
 * then matched, not a dropped order). Orders dated outside the statements' days are never
 * reported missing from them; notifications (camt.054) are partial by nature, so nothing is
 * reported missing from them at all.
 *
 * The source is asked once per distinct range of days (a daily file of 10,000 accounts is one
 * question, not 10,000) and once for all the numbers named outside those ranges.
 */
export async function reconcileStatements(statements: readonly Statement[], source: BankOrderSource, options: MatchOptions): Promise<ReconciledStatements> {
  const groups = byAccount(statements).map((group) => {
    const span = spanOf(group);
    return { group, account: (group[0] as Statement).account, span, days: span === null ? null : { from: addDays(span.from, -options.dateWindowDays), to: addDays(span.to, options.dateWindowDays) } };
  });
  const dated = new Map<string, Map<string | null, InternalOrder[]>>();
  for (const { days } of groups) {
    const key = days === null ? '' : `${days.from}/${days.to}`;
    if (days !== null && !dated.has(key)) dated.set(key, byOwnAccount(await source.byDates(days.from, days.to)));
  }
  const expectedOf = new Map<Statement[], InternalOrder[]>();
  const namedOf = new Map<Statement[], Set<string>>();
  for (const { group, account, days } of groups) {
    const expected = days === null ? [] : [...(dated.get(`${days.from}/${days.to}`)?.get(account) ?? [])];
    const known = new Set(expected.map((order) => order.orderNo));
    expectedOf.set(group, expected);
    namedOf.set(group, new Set(group.flatMap((statement) => statement.entries.flatMap(referencesOf)).filter((reference) => !known.has(reference))));
  }
  const named = [...new Set(groups.flatMap(({ group }) => [...(namedOf.get(group) ?? [])]))];
  const byNumber = named.length === 0 ? new Map<string | null, InternalOrder[]>() : byOwnAccount(await source.byNumbers(named));

  const findings: { statement: Statement | null; finding: Finding }[] = [];
  for (const { group, account, span } of groups) {
    const expected = expectedOf.get(group) as InternalOrder[];
    const names = namedOf.get(group) as Set<string>;
    expected.push(...(byNumber.get(account) ?? []).filter((order) => names.has(order.orderNo)));
    findings.push(...findingsOf(group, expected, span, options));
  }
  return { statements: statements.map((statement) => ({ statement, foot: footCheck(statement) })), findings: [...findings, ...(await driftsOf(statements, source))] };
}

/** One account's statements against its expected orders. */
function findingsOf(group: readonly Statement[], expected: readonly InternalOrder[], span: { from: string; to: string } | null, options: MatchOptions): { statement: Statement | null; finding: Finding }[] {
  const findings: { statement: Statement | null; finding: Finding }[] = [];
  const entries = group.flatMap((statement) => statement.entries);
  const statementOf = new Map<StatementEntry, Statement>(group.flatMap((statement) => statement.entries.map((entry) => [entry, statement] as const)));
  const inSpan = new Set(expected.filter((order) => span !== null && order.date >= span.from && order.date <= span.to).map((order) => order.key));
  const partial = group.every((statement) => statement.format === 'camt.054');
  const foreign = new Set(group.flatMap((statement) => statement.entries.filter((entry) => entry.status === 'booked' && entry.currency !== statement.currency)));
  for (const entry of foreign) findings.push({ statement: statementOf.get(entry) ?? null, finding: { kind: 'foreign_currency', entry } });
  for (const entry of entries) if (entry.status !== 'booked') findings.push({ statement: statementOf.get(entry) ?? null, finding: { kind: 'not_booked', entry } });
  for (const finding of reconcile(entries.filter((entry) => !foreign.has(entry)), expected, options)) {
    if (finding.kind === 'missing_at_bank' && (partial || !inSpan.has(finding.order.key))) continue;
    findings.push({ statement: 'entry' in finding ? (statementOf.get(finding.entry) ?? null) : null, finding });
  }
  return findings;
}

/**
 * Per depository account, its latest closing balance in the statements against what the
 * ledger says the bank should hold at that cut: order matching sees nothing when both sides
 * agree an order failed, even with a wallet ahead of its bank account. In the account's own
 * currency: a statement in another is not compared (the source answers null).
 */
async function driftsOf(statements: readonly Statement[], source: BankOrderSource): Promise<{ statement: Statement; finding: Finding }[]> {
  if (source.holding === undefined) return [];
  const found: { statement: Statement; finding: Finding }[] = [];
  for (const group of byAccount(statements)) {
    const latest = group.filter((s) => s.closing !== null).sort((a, b) => ((a.closing?.date ?? '') < (b.closing?.date ?? '') ? -1 : 1)).pop();
    if (latest?.closing == null) continue;
    const expectedMinor = await source.holding(latest.account, latest.closing.date, latest.currency);
    if (expectedMinor === null || expectedMinor === latest.closing.amountMinor) continue;
    const drift = { account: latest.account, date: latest.closing.date, currency: latest.currency, statementMinor: latest.closing.amountMinor, expectedMinor, differenceMinor: latest.closing.amountMinor - expectedMinor };
    found.push({ statement: latest, finding: { kind: 'balance_drift', drift } });
  }
  return found;
}

/** The expected entries of some orders, by the account each is booked on (in the orders' order). */
function byOwnAccount(rows: { orders: OrderRow[]; items: ItemRow[] }): Map<string | null, InternalOrder[]> {
  const byAccount = new Map<string | null, InternalOrder[]>();
  for (const order of expectedEntries(rows.orders, rows.items)) {
    const listed = byAccount.get(order.account);
    if (listed === undefined) byAccount.set(order.account, [order]);
    else listed.push(order);
  }
  return byAccount;
}

function byAccount(statements: readonly Statement[]): Statement[][] {
  const groups = new Map<string, Statement[]>();
  for (const statement of statements) groups.set(statement.account, [...(groups.get(statement.account) ?? []), statement]);
  return [...groups.values()];
}

function referencesOf(entry: StatementEntry): string[] {
  return [entry.reference, ...entry.transactions.map((tx) => tx.reference)].filter((reference): reference is string => reference !== null);
}

/** The business days statements cover: each one's stated period, else its entries' booking dates and its balances' dates (null: none). */
export function spanOf(statements: readonly Statement[]): { from: string; to: string } | null {
  const days = statements.flatMap((statement) => {
    if (statement.period !== null) return [statement.period.from, statement.period.to];
    const booked = statement.entries.map((entry) => entry.bookingDate);
    return booked.length > 0 ? booked : [statement.closing?.date, statement.opening?.date].filter((day): day is string => day !== undefined);
  });
  const sorted = days.sort();
  const [from, to] = [sorted[0], sorted[sorted.length - 1]];
  return from === undefined || to === undefined ? null : { from, to };
}
