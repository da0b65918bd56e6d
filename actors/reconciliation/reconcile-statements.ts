import { addDays } from '../../core/calendar/business-date.js';
import { defaultCurrency } from '../../core/money/currency.js';
import { footCheck, type FootCheck } from '../../core/reconciliation/foot.js';
import { reconcile, type Finding, type InternalOrder, type MatchOptions } from '../../core/reconciliation/match.js';
import type { Statement, StatementEntry } from '../../core/reconciliation/statement.js';
import { expectedEntries, type ItemRow, type OrderRow } from './expected-entries.js';

/** Where reconciliation reads fundcore's bank orders (the read model). */
export interface BankOrderSource {
  /** Orders sent on business days [fromDay, toDay], with their batch items. */
  byDates(fromDay: string, toDay: string): { orders: OrderRow[]; items: ItemRow[] };
  /** Orders by number, whatever their date. */
  byNumbers(orderNos: readonly string[]): { orders: OrderRow[]; items: ItemRow[] };
  /** What the depository should hold on the account at the end of the day, by the ledger (null: unknown; absent: not checked). */
  holding?(account: string, day: string): bigint | null;
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
 */
export function reconcileStatements(statements: readonly Statement[], source: BankOrderSource, options: MatchOptions): ReconciledStatements {
  const findings: { statement: Statement | null; finding: Finding }[] = [];
  for (const group of byAccount(statements)) {
    const account = (group[0] as Statement).account;
    const entries = group.flatMap((statement) => statement.entries);
    const statementOf = new Map<StatementEntry, Statement>(group.flatMap((statement) => statement.entries.map((entry) => [entry, statement] as const)));
    const span = spanOf(group);
    const expected = span === null ? [] : ownOrders(source.byDates(addDays(span.from, -options.dateWindowDays), addDays(span.to, options.dateWindowDays)), account);
    const known = new Set(expected.map((order) => order.orderNo));
    const named = [...new Set(entries.flatMap(referencesOf))].filter((reference) => !known.has(reference));
    if (named.length > 0) expected.push(...ownOrders(source.byNumbers(named), account));
    const inSpan = new Set(expected.filter((order) => span !== null && order.date >= span.from && order.date <= span.to).map((order) => order.key));
    const partial = group.every((statement) => statement.format === 'camt.054');
    const foreign = new Set(group.flatMap((statement) => statement.entries.filter((entry) => entry.status === 'booked' && entry.currency !== statement.currency)));
    for (const entry of foreign) findings.push({ statement: statementOf.get(entry) ?? null, finding: { kind: 'foreign_currency', entry } });
    for (const entry of entries) if (entry.status !== 'booked') findings.push({ statement: statementOf.get(entry) ?? null, finding: { kind: 'not_booked', entry } });
    for (const finding of reconcile(entries.filter((entry) => !foreign.has(entry)), expected, options)) {
      if (finding.kind === 'missing_at_bank' && (partial || !inSpan.has(finding.order.key))) continue;
      findings.push({ statement: 'entry' in finding ? (statementOf.get(finding.entry) ?? null) : null, finding });
    }
  }
  return { statements: statements.map((statement) => ({ statement, foot: footCheck(statement) })), findings: [...findings, ...driftsOf(statements, source)] };
}

/**
 * Per depository account, its latest closing balance in the statements against what the
 * ledger says the bank should hold at that cut: order matching sees nothing when both sides
 * agree an order failed, even with a wallet ahead of its bank account. Only in the
 * depository's currency.
 */
function driftsOf(statements: readonly Statement[], source: BankOrderSource): { statement: Statement; finding: Finding }[] {
  if (source.holding === undefined) return [];
  const found: { statement: Statement; finding: Finding }[] = [];
  for (const group of byAccount(statements)) {
    const latest = group.filter((s) => s.closing !== null && s.currency === defaultCurrency).sort((a, b) => ((a.closing?.date ?? '') < (b.closing?.date ?? '') ? -1 : 1)).pop();
    if (latest?.closing == null) continue;
    const expectedMinor = source.holding(latest.account, latest.closing.date);
    if (expectedMinor === null || expectedMinor === latest.closing.amountMinor) continue;
    const drift = { account: latest.account, date: latest.closing.date, statementMinor: latest.closing.amountMinor, expectedMinor, differenceMinor: latest.closing.amountMinor - expectedMinor };
    found.push({ statement: latest, finding: { kind: 'balance_drift', drift } });
  }
  return found;
}

function ownOrders(rows: { orders: OrderRow[]; items: ItemRow[] }, account: string): InternalOrder[] {
  return expectedEntries(rows.orders, rows.items).filter((order) => order.account === account);
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
