import { createHash } from 'node:crypto';
import { formatAmount } from '../../core/money/amount.js';
import { defaultCurrency } from '../../core/money/currency.js';
import { defaultMatchOptions, signedAmount } from '../../core/reconciliation/match.js';
import { buildReport, type ReconciliationReport, type ReportedEntry, type ReportedFinding } from '../../core/reconciliation/report.js';
import type { Statement } from '../../core/reconciliation/statement.js';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import { bankOrderActorId } from '../lending/ids.js';
import type { LedgerService } from '../ledger/ledger-service.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import type { ItemRow, OrderRow } from './expected-entries.js';
import type { CsvOptions } from './parse-csv.js';
import { parseStatement, type StatementFormat } from './parse-statement.js';
import { reconcileStatements, type BankOrderSource } from './reconcile-statements.js';
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

/** Supplement: what the bank booked and fundcore did not. Reverse: what fundcore posted and the bank never booked. */
const repairableBy: Readonly<Record<RepairAction, readonly ReportedFinding['kind'][]>> = {
  supplement: ['missing_internally', 'status_mismatch', 'amount_mismatch'],
  reverse: ['missing_at_bank'],
};

/**
 * Reconciles bank statements with fundcore's bank orders, and repairs findings through the
 * normal commands: a supplementary posting (after giving still-pending orders the bank's
 * booked result) for what the bank booked and fundcore did not; a reversal of fundcore's
 * posting for what the bank never booked. Nothing is edited or deleted.
 */
export class ReconciliationService {
  private readonly orders: BankOrderSource;

  constructor(
    private readonly bus: Bus,
    private readonly queries: ReadModelQueries,
    private readonly ledger: LedgerService,
    private readonly now: () => number,
  ) {
    this.orders = {
      byDates: (fromDay, toDay) => queries.bankOrders(fromDay, toDay) as unknown as { orders: OrderRow[]; items: ItemRow[] },
      byNumbers: (orderNos) => queries.bankOrdersByNumber(orderNos) as unknown as { orders: OrderRow[]; items: ItemRow[] },
      holding: (account, day) => queries.depositoryHolding(account, day),
    };
  }

  async reconcile(input: ReconcileInput): Promise<ActorReply<ReconciliationReport>> {
    let statements: Statement[];
    try {
      statements = parseStatement(input.content, input.format, input.csv);
    } catch (error) {
      if (error instanceof StatementError) return refuse(error.code, error.message);
      throw error;
    }
    const window = input.dateWindowDays ?? defaultMatchOptions.dateWindowDays;
    const reconciled = await reconcileStatements(statements, this.orders, { ...defaultMatchOptions, dateWindowDays: window });
    const report = buildReport(input.id, statements[0]?.format ?? input.format, reconciled.statements, reconciled.findings, this.now());
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

  /**
   * Checked in this order: reconciliation_not_found, finding_not_found, then (repair_not_applicable)
   * a finding repaired by the other action, a finding the action does not repair, a reversal
   * without a single posting to reverse. Only then is the repair begun, which fixes its action.
   */
  async repair(id: string, input: RepairInput): Promise<ActorReply<RepairRecord>> {
    const found = await this.get(id);
    if (!found.ok) return found;
    const state = found.value;
    const finding = state.report?.findings[input.finding];
    if (finding === undefined) return refuse('finding_not_found', `reconciliation ${id} has no finding ${input.finding}`);
    const done = state.repairs.get(input.finding);
    if (done !== undefined && done.action !== input.action) return refuse('repair_not_applicable', `finding ${input.finding} is repaired by ${done.action}`);
    if (done !== undefined && done.via !== null) return { ok: true, value: done };
    const inapplicable = this.inapplicable(finding, input.action);
    if (inapplicable !== null) return refuse('repair_not_applicable', inapplicable);
    const begun = await this.bus.ask(reconciliationActorId(id), { type: 'begin_repair', data: { finding: input.finding, action: input.action, at: this.now() } });
    if (!begun.ok) return begun as ActorReply<RepairRecord>;
    const via = input.action === 'supplement' ? await this.supplement(id, finding, input.account) : await this.reverse(finding);
    if (!via.ok) return via;
    const repair: RepairRecord = { finding: input.finding, action: input.action, via: via.value, at: this.now() };
    const recorded = await this.bus.ask(reconciliationActorId(id), { type: 'record_repair', data: { repair } });
    if (!recorded.ok) return recorded as ActorReply<RepairRecord>;
    return { ok: true, value: (recorded.value as ReconciliationState).repairs.get(input.finding) ?? repair };
  }

  /** Why the action does not repair the finding (null: it does). */
  private inapplicable(finding: ReportedFinding, action: RepairAction): string | null {
    if (!repairableBy[action].includes(finding.kind)) return `a ${finding.kind} finding is not repaired by ${action === 'supplement' ? 'a supplementary posting' : 'a reversal'}`;
    if (action === 'supplement' && finding.entry === null) return 'the finding has no bank entry to supplement';
    if (action === 'supplement' && finding.entry?.currency !== defaultCurrency) return `the entry is in ${finding.entry?.currency}; the depository books ${defaultCurrency}`;
    if (action === 'reverse') {
      const order = finding.orders[0];
      const transferId = order === undefined ? null : (this.queries.bankOrder(order.orderNo)?.transfer_id as string | null | undefined);
      if (transferId === null || transferId === undefined) return `bank order ${order?.orderNo ?? '?'} has no single ledger posting to reverse`;
    }
    return null;
  }

  /**
   * What the bank booked and fundcore did not: still-pending orders are given the bank's
   * booked result (their own sagas then move the money); whatever the entry moved beyond
   * what fundcore's succeeded orders moved is posted between the bank and the account.
   */
  private async supplement(id: string, finding: ReportedFinding, account: string | undefined): Promise<ActorReply<string>> {
    const entry = finding.entry as ReportedEntry;
    const done: string[] = [];
    let posted = 0n;
    for (const order of finding.orders) {
      let status: string = order.status;
      if (status === 'pending') {
        const result = { outcome: 'succeeded', code: null, detail: null, bankTxnId: entry.bankReference, completedAt: `${entry.bookingDate}T00:00:00Z`, via: 'query' };
        const applied = await this.bus.ask(bankOrderActorId(order.orderNo), { type: 'bank_result', data: result });
        if (!applied.ok) return applied as ActorReply<string>;
        // A result the order already had otherwise (failed) stands: the money is then posted below.
        status = (applied.value as { order: { status: string } | null }).order?.status ?? status;
        if (status === 'succeeded') done.push(`bank order ${order.orderNo}`);
      }
      if (status === 'succeeded') posted += signedAmount(order.direction, order.amountMinor);
    }
    const missing = signedAmount(entry.direction as 'credit' | 'debit', entry.amountMinor) - posted;
    if (missing === 0n) return { ok: true, value: done.join(', ') || 'nothing left to post' };
    const target = account ?? entry.account;
    const transferId = `sup-${id}-${finding.index}`;
    const amount = formatAmount(missing < 0n ? -missing : missing, defaultCurrency);
    const [debit, credit] = missing > 0n ? [bankAccount, target] : [target, bankAccount];
    const transfer = await this.ledger.transferAnyAccount({ id: transferId, debit, credit, amount, pending: false, timeoutMs: null, memo: `reconciliation ${id} finding ${finding.index}` });
    if (!transfer.ok) return transfer.code === 'credit_account_not_found' || transfer.code === 'debit_account_not_found' ? refuse('repair_account_not_found', `no ledger account ${target}`) : (transfer as ActorReply<string>);
    return { ok: true, value: [...done, `transfer ${transferId}`].join(', ') };
  }

  /** What fundcore posted and the bank never booked: reverse fundcore's posting. */
  private async reverse(finding: ReportedFinding): Promise<ActorReply<string>> {
    const order = finding.orders[0] as ReportedFinding['orders'][number];
    const transferId = this.queries.bankOrder(order.orderNo)?.transfer_id as string;
    const reversed = await this.ledger.reverseAnyTransfer(transferId, `reconciliation: ${finding.kind}`);
    return reversed.ok ? { ok: true, value: `reversal of ${transferId}` } : (reversed as ActorReply<string>);
  }
}
