import type { FootCheck } from './foot.js';
import { findingKinds, type BalanceDrift, type Finding, type InternalOrder } from './match.js';
import type { EntryTransaction, Statement, StatementEntry } from './statement.js';

export interface ReportedEntry {
  readonly statementId: string;
  readonly index: number;
  readonly account: string;
  readonly reference: string | null;
  readonly instruction: string | null;
  readonly bankReference: string | null;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly direction: string;
  /** booked, pending or info: only booked entries are matched; the others are not_booked findings. */
  readonly status: string;
  /** The entry reverses an earlier one (camt RvslInd, MT940 RC / RD). */
  readonly reversal: boolean;
  readonly bookingDate: string;
  /** Where the booking date comes from (a camt.054 entry may carry none: then its notification's creation date). */
  readonly bookingDateFrom: string;
  readonly valueDate: string | null;
  readonly description: string | null;
  /** What the bank reports of each transaction: end-to-end id, instruction id, remittance text, amount. */
  readonly transactions: readonly EntryTransaction[];
}

export interface ReportedFinding {
  /** Its number in the report: repairs name findings by it. */
  readonly index: number;
  readonly kind: Finding['kind'];
  readonly rule: string | null;
  readonly entry: ReportedEntry | null;
  readonly orders: readonly InternalOrder[];
  /** For a balance_drift finding: the account, the cut, both balances and their difference. */
  readonly drift: BalanceDrift | null;
}

export interface ReportedStatement {
  readonly id: string;
  readonly account: string;
  readonly currency: string;
  readonly entries: number;
  readonly foot: FootCheck;
}

export interface ReconciliationReport {
  readonly id: string;
  readonly format: string;
  readonly statements: readonly ReportedStatement[];
  /** False when a statement does not foot: its findings are reported, not trusted. */
  readonly trusted: boolean;
  readonly findings: readonly ReportedFinding[];
  readonly summary: Readonly<Record<Finding['kind'], number>>;
  readonly createdAt: number;
}

/** A report without its lists, which may be long (a statement of 400,000 entries): they are stored and read in pages. */
export interface ReportHeader {
  readonly id: string;
  readonly format: string;
  readonly trusted: boolean;
  readonly summary: Readonly<Record<Finding['kind'], number>>;
  readonly statementCount: number;
  readonly findingCount: number;
  readonly createdAt: number;
}

export function headerOf(report: ReconciliationReport): ReportHeader {
  const { id, format, trusted, summary, createdAt } = report;
  return { id, format, trusted, summary, statementCount: report.statements.length, findingCount: report.findings.length, createdAt };
}

export function reportedEntry(statement: Statement, entry: StatementEntry): ReportedEntry {
  return {
    statementId: statement.id,
    index: entry.index,
    account: entry.account,
    reference: entry.reference,
    instruction: entry.instruction,
    bankReference: entry.bankReference,
    amountMinor: entry.amountMinor,
    currency: entry.currency,
    direction: entry.direction,
    status: entry.status,
    reversal: entry.reversal,
    bookingDate: entry.bookingDate,
    bookingDateFrom: entry.bookingDateFrom,
    valueDate: entry.valueDate,
    description: entry.description,
    transactions: entry.transactions,
  };
}

/** The report of one reconciliation: per statement its foot check, then every finding, numbered. */
export function buildReport(
  id: string,
  format: string,
  statements: readonly { statement: Statement; foot: FootCheck }[],
  found: readonly { statement: Statement | null; finding: Finding }[],
  createdAt: number,
): ReconciliationReport {
  const findings: ReportedFinding[] = [];
  const summary = Object.fromEntries(findingKinds.map((kind) => [kind, 0])) as Record<Finding['kind'], number>;
  for (const { statement, finding } of found) {
    summary[finding.kind]++;
    findings.push({
      index: findings.length,
      kind: finding.kind,
      rule: finding.kind === 'matched' ? finding.rule : null,
      entry: 'entry' in finding && statement !== null ? reportedEntry(statement, finding.entry) : null,
      orders: finding.kind === 'missing_at_bank' ? [finding.order] : 'orders' in finding ? finding.orders : [],
      drift: finding.kind === 'balance_drift' ? finding.drift : null,
    });
  }
  return {
    id,
    format,
    statements: statements.map(({ statement, foot }) => ({ id: statement.id, account: statement.account, currency: statement.currency, entries: statement.entries.length, foot })),
    trusted: statements.every(({ foot }) => foot.foots),
    findings,
    summary,
    createdAt,
  };
}
