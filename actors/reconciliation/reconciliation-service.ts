import { createHash } from 'node:crypto';
import { addDays } from '../../core/calendar/business-date.js';
import { formatAmount } from '../../core/money/amount.js';
import { footCheck } from '../../core/reconciliation/foot.js';
import { defaultMatchOptions, reconcile, type Finding, type InternalOrder } from '../../core/reconciliation/match.js';
import { buildReport, type ReconciliationReport, type ReportedEntry, type ReportedFinding } from '../../core/reconciliation/report.js';
import type { Statement } from '../../core/reconciliation/statement.js';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import { bankOrderActorId } from '../lending/ids.js';
import type { LedgerService } from '../ledger/ledger-service.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import { expectedEntries, type ItemRow, type OrderRow } from './expected-entries.js';
import type { CsvOptions } from './parse-csv.js';
import { parseStatement, type StatementFormat } from './parse-statement.js';
import { reconciliationActorId, type ReconciliationState, type RepairAction, type RepairRecord } from './reconciliation-behavior.js';
import { StatementError } from './statement-amount.js';

export interface ReconcileInput {
  readonly id: string;
  readonly format: StatementFormat | 'auto';
  readonly content: string;
  readonly csv?: CsvOptions;
  readonly dateWindowDays?: number;
}

export interface RepairInput {
  readonly finding: number;
  readonly action: RepairAction;
  /** The ledger account a supplementary posting books on; the entry's depository account by default. */
  readonly account?: string;
}

function refuse(code: string, detail: string): { ok: false; code: string; detail: string } {
  return { ok: false, code, detail };
}

const bankAccount = 'sys.bank';

/**
 * Reconciles bank statements with fundcore's bank orders, per statement account, and repairs
 * findings through the normal commands: a supplementary posting (or the bank's booked result
 * given to a still-pending order) for what the bank booked and fundcore did not; a reversal
 * of fundcore's posting for what the bank never booked. Nothing is edited or deleted.
 */
export class ReconciliationService {
  constructor(
    private readonly bus: Bus,
    private readonly queries: ReadModelQueries,
    private readonly ledger: LedgerService,
    private readonly now: () => number,
  ) {}

  async reconcile(input: ReconcileInput): Promise<ActorReply<ReconciliationReport>> {
    let statements: Statement[];
    try {
      statements = parseStatement(input.content, input.format, input.csv);
    } catch (error) {
      if (error instanceof StatementError) return refuse(error.code, error.message);
      throw error;
    }
    const window = input.dateWindowDays ?? defaultMatchOptions.dateWindowDays;
    const checked = statements.map((statement) => {
      const span = spanOf(statement);
      const { orders, items } = this.queries.bankOrders(addDays(span.from, -window), addDays(span.to, window));
      const expected = expectedEntries(orders as unknown as OrderRow[], items as unknown as ItemRow[]).filter((order) => order.account === statement.account);
      const inSpan = new Set(expected.filter((o) => o.date >= span.from && o.date <= span.to).map((o) => o.key));
      // Orders dated outside the statement's days may match its entries (timing), but are not
      // reported missing from it.
      const findings = reconcile(statement.entries, expected, { ...defaultMatchOptions, dateWindowDays: window }).filter(
        (finding) => finding.kind !== 'missing_at_bank' || inSpan.has(finding.order.key),
      );
      return { statement, foot: footCheck(statement), findings };
    });
    const report = buildReport(input.id, statements[0]?.format ?? input.format, checked, [] as Finding[], this.now());
    const digest = createHash('sha256').update(JSON.stringify([input.format, input.content, input.csv ?? null, window])).digest('hex');
    const recorded = await this.bus.ask(reconciliationActorId(input.id), { type: 'record_report', data: { report, digest } });
    if (!recorded.ok) return recorded as ActorReply<ReconciliationReport>;
    return { ok: true, value: (recorded.value as ReconciliationState).report ?? report };
  }

  async get(id: string): Promise<ActorReply<ReconciliationState>> {
    const state = await this.bus.ask(reconciliationActorId(id), { type: 'get_reconciliation' });
    if (!state.ok) return state as ActorReply<ReconciliationState>;
    if ((state.value as ReconciliationState).report === null) return refuse('reconciliation_not_found', `no reconciliation ${id}`);
    return state as ActorReply<ReconciliationState>;
  }

  async repair(id: string, input: RepairInput): Promise<ActorReply<RepairRecord>> {
    const found = await this.get(id);
    if (!found.ok) return found;
    const state = found.value;
    const finding = state.report?.findings[input.finding];
    if (finding === undefined) return refuse('finding_not_found', `reconciliation ${id} has no finding ${input.finding}`);
    const done = state.repairs.get(input.finding);
    if (done !== undefined && done.via !== null) {
      return done.action === input.action ? { ok: true, value: done } : refuse('repair_not_applicable', `finding ${input.finding} was already repaired by ${done.action}`);
    }
    const applicable = repairApplicable(finding, input.action);
    if (applicable !== null) return refuse('repair_not_applicable', applicable);
    const begun = await this.bus.ask(reconciliationActorId(id), { type: 'begin_repair', data: { finding: input.finding, action: input.action, at: this.now() } });
    if (!begun.ok) return begun as ActorReply<RepairRecord>;
    const via = input.action === 'supplement' ? await this.supplement(id, finding, input.account) : await this.reverse(finding);
    if (!via.ok) return via;
    const repair: RepairRecord = { finding: input.finding, action: input.action, via: via.value, at: this.now() };
    const recorded = await this.bus.ask(reconciliationActorId(id), { type: 'record_repair', data: { repair } });
    if (!recorded.ok) return recorded as ActorReply<RepairRecord>;
    return { ok: true, value: (recorded.value as ReconciliationState).repairs.get(input.finding) ?? repair };
  }

  /** What the bank booked and fundcore did not: give a pending order the bank's result, else post it. */
  private async supplement(id: string, finding: ReportedFinding, account: string | undefined): Promise<ActorReply<string>> {
    const entry = finding.entry as ReportedEntry;
    const order = finding.orders[0];
    if (finding.kind === 'status_mismatch' && order !== undefined && order.status === 'pending') {
      const result = { outcome: 'succeeded', code: null, detail: null, bankTxnId: entry.bankReference, completedAt: `${entry.bookingDate}T00:00:00Z`, via: 'query' };
      const applied = await this.bus.ask(bankOrderActorId(order.orderNo), { type: 'bank_result', data: result });
      return applied.ok ? { ok: true, value: `bank order ${order.orderNo}` } : (applied as ActorReply<string>);
    }
    // The money the bank moved that fundcore did not: all of the entry, or (an amount
    // mismatch) the difference, on the side it falls.
    const signed = (direction: string, amount: bigint) => (direction === 'credit' ? amount : -amount);
    const missing = signed(entry.direction, entry.amountMinor) - (finding.kind === 'amount_mismatch' && order !== undefined ? signed(order.direction, order.amountMinor) : 0n);
    if (missing === 0n) return refuse('repair_not_applicable', `finding ${finding.index} leaves nothing to post`);
    const target = account ?? entry.account;
    const transferId = `sup-${id}-${finding.index}`;
    const amount = formatAmount(missing < 0n ? -missing : missing, 'CNY');
    const [debit, credit] = missing > 0n ? [bankAccount, target] : [target, bankAccount];
    const posted = await this.ledger.transferAnyAccount({ id: transferId, debit, credit, amount, pending: false, timeoutMs: null, memo: `reconciliation ${id} finding ${finding.index}` });
    if (!posted.ok) return posted.code === 'credit_account_not_found' || posted.code === 'debit_account_not_found' ? refuse('repair_account_not_found', `no ledger account ${target}`) : (posted as ActorReply<string>);
    return { ok: true, value: `transfer ${transferId}` };
  }

  /** What fundcore posted and the bank never booked (or booked otherwise): reverse fundcore's posting. */
  private async reverse(finding: ReportedFinding): Promise<ActorReply<string>> {
    const order = finding.orders[0] as InternalOrder;
    const row = this.queries.bankOrder(order.orderNo);
    const transferId = row?.transfer_id as string | null | undefined;
    if (transferId === null || transferId === undefined) return refuse('repair_not_applicable', `bank order ${order.orderNo} has no single ledger posting to reverse`);
    const reversed = await this.ledger.reverseAnyTransfer(transferId, `reconciliation: ${finding.kind}`);
    return reversed.ok ? { ok: true, value: `reversal of ${transferId}` } : (reversed as ActorReply<string>);
  }
}

/** Why a finding is not repaired by the action (null: it is). */
function repairApplicable(finding: ReportedFinding, action: RepairAction): string | null {
  if (action === 'supplement') {
    return ['missing_internally', 'status_mismatch', 'amount_mismatch'].includes(finding.kind) && finding.entry !== null ? null : `a ${finding.kind} finding is not repaired by a supplementary posting`;
  }
  return ['missing_at_bank', 'amount_mismatch'].includes(finding.kind) && finding.orders[0] !== undefined ? null : `a ${finding.kind} finding is not repaired by a reversal`;
}

/** The business days a statement covers: its stated period, else its entries' booking dates and its balances' dates. */
function spanOf(statement: Statement): { from: string; to: string } {
  if (statement.period !== null) return statement.period;
  const dates = [...statement.entries.map((e) => e.bookingDate), statement.closing?.date, statement.opening?.date].filter((d): d is string => d !== undefined && d !== '');
  const sorted = dates.sort();
  const to = sorted[sorted.length - 1] ?? '9999-12-31';
  const from = statement.entries.length > 0 ? ([...statement.entries.map((e) => e.bookingDate)].sort()[0] ?? to) : to;
  return { from, to };
}
