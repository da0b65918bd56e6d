import { formatAmount } from '../../core/money/amount.js';
import { isCurrency, type Currency } from '../../core/money/currency.js';
import { signedAmount } from '../../core/reconciliation/match.js';
import type { ReportHeader, ReportedEntry, ReportedFinding, ReportedStatement } from '../../core/reconciliation/report.js';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import type { ReadSide } from '../../persistence/projections/read-side.js';
import { bankOrderActorId, bankSettlementAccount } from '../lending/ids.js';
import { SettlementAccounts } from '../bank/settlement-accounts.js';
import type { SystemPostings } from '../ledger/ledger-api.js';
import type { ActorReply } from '../runtime/behavior.js';
import { silentLogger, systemTimers, type Logger, type Timers } from '../runtime/clock.js';
import type { Bus } from '../runtime/relay.js';
import type { ItemRow, OrderRow } from './expected-entries.js';
import { headerOfState, reconciliationActorId, type ReconciliationState, type RepairAction, type RepairRecord } from './reconciliation-behavior.js';
import { chunkCount } from './report-chunks.js';
import { StoredReports } from './stored-reports.js';
import { checkStatementJobLimits, defaultStatementJobLimits, type StatementJobLimits } from './statement-job-limits.js';
import type { FromWorker, OrderQuery, QueryAnswer } from './statement-job-protocol.js';
import type { RequestProblem, StatementRequestFields } from './statement-request.js';
import { StatementJobFailure, StatementWorkers, type WorkerLease } from './statement-workers.js';

/** How the gateway names a statement request and refuses a body that is none: both throw its refusal. */
export interface StatementRequestGate {
  /** The command's id for the request (its body id or Idempotency-Key header). */
  idOf(fields: StatementRequestFields): string;
  refuse(problem: RequestProblem): never;
}

export interface RepairInput {
  readonly finding: number;
  readonly action: RepairAction;
  /** The ledger account a supplementary posting books on; the entry's depository account by default. */
  readonly account?: string;
}

export interface ReconciliationOptions {
  readonly jobs?: Partial<StatementJobLimits>;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** The statement worker's entry (tests give one that misbehaves). */
  readonly workerUrl?: URL;
}

/** A recorded reconciliation: its header, and its state for pages and repairs. */
export interface Reconciliation {
  readonly header: ReportHeader;
  readonly state: ReconciliationState;
}

function refuse(code: string, detail: string): { ok: false; code: string; detail: string } {
  return { ok: false, code, detail };
}

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
  private readonly workers: StatementWorkers;
  private readonly stored: StoredReports;
  /** Each currency's bank settlement account, which a supplementary posting books against. */
  private readonly settlements: SettlementAccounts;
  private readonly limits: StatementJobLimits;
  private readonly logger: Logger;
  /** Ids with a job under way: a second job for the same id waits for nothing, it is refused. */
  private readonly underway = new Set<string>();

  constructor(
    private readonly bus: Bus,
    private readonly readSide: ReadSide,
    private readonly queries: ReadModelQueries,
    private readonly ledger: SystemPostings,
    private readonly now: () => number,
    options: ReconciliationOptions = {},
  ) {
    this.limits = { ...defaultStatementJobLimits, ...options.jobs };
    checkStatementJobLimits(this.limits);
    this.logger = options.logger ?? silentLogger;
    this.workers = new StatementWorkers(this.limits, options.timers ?? systemTimers, this.logger, options.workerUrl);
    this.stored = new StoredReports(queries);
    this.settlements = new SettlementAccounts(bus);
  }

  /**
   * Reads, parses and matches a statement request (its body's bytes, as they came) in a worker
   * thread (statement-workers.ts), so the event loop keeps serving. What the worker needs of
   * the node (the bank orders of the read model, the holdings) it asks for, and this thread
   * answers each question in one bounded step: the read model is one SQLite connection that
   * catches up on this thread, so it is read here, a page at a time, rather than copied or
   * opened twice. The report comes back packed, and is journaled a chunk at a time.
   */
  async reconcile(body: Uint8Array, gate: StatementRequestGate): Promise<ActorReply<Reconciliation>> {
    try {
      // Every order acknowledged before the statement came is matched against it.
      await this.readSide.catchUpFully();
      const reconciled = await this.workers.run((lease) => this.job(lease, body, gate));
      // Its pages are read from the read model: the chunks just journaled are in it before it answers.
      if (reconciled.ok) await this.readSide.catchUpFully();
      return reconciled;
    } catch (error) {
      if (error instanceof StatementJobFailure) return refuse(error.code, error.message);
      throw error;
    }
  }

  async get(id: string): Promise<ActorReply<Reconciliation>> {
    await this.readSide.catchUp();
    const state = await this.bus.ask(reconciliationActorId(id), { type: 'get_reconciliation' });
    if (!state.ok) return state as ActorReply<Reconciliation>;
    return this.recorded(id, state.value as ReconciliationState);
  }

  /** Statements [from, from + limit) of a recorded report, and where the next page starts. */
  statements(id: string, state: ReconciliationState, from: number, limit: number): { items: ReportedStatement[]; next: number | null } {
    return this.stored.page(id, state, 'statements', from, limit);
  }

  /** Findings [from, from + limit) of a recorded report, and where the next page starts. */
  findings(id: string, state: ReconciliationState, from: number, limit: number): { items: ReportedFinding[]; next: number | null } {
    return this.stored.page(id, state, 'findings', from, limit);
  }

  /** Statement jobs running, waiting for a worker, and idle workers kept; `named`: jobs that know their reconciliation's id. */
  jobStats(): { running: number; waiting: number; idle: number; named: number } {
    return { ...this.workers.stats(), named: this.underway.size };
  }

  /** Stops the statement workers: jobs under way fail (system_stopped). */
  stop(): Promise<void> {
    return this.workers.stop();
  }

  private recorded(id: string, state: ReconciliationState): ActorReply<Reconciliation> {
    const header = headerOfState(state);
    return header === null ? refuse('reconciliation_not_found', `no reconciliation ${id}`) : { ok: true, value: { header, state } };
  }

  /** One job on its worker (statement-job-protocol.ts); the lease ends it cleanly, or the worker is stopped. */
  private async job(lease: WorkerLease, body: Uint8Array, gate: StatementRequestGate): Promise<ActorReply<Reconciliation>> {
    // Handed over whole; a small body may share its memory with others (Node's pool): a copy then.
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
    lease.send({ type: 'body', body: own }, [own.buffer as ArrayBuffer]);
    const read = await lease.receive();
    if (read.type === 'body_refused') {
      lease.end();
      return gate.refuse(read.problem);
    }
    const { fields } = this.expect(read, 'fields');
    let id: string;
    try {
      id = gate.idOf(fields);
    } catch (error) {
      this.finish(lease);
      throw error;
    }
    if (this.underway.has(id)) {
      this.finish(lease);
      return refuse('reconciliation_busy', `a statement job for reconciliation ${id} is under way; retry when it has ended`);
    }
    this.underway.add(id);
    try {
      return await this.reconcileNamed(lease, id);
    } finally {
      this.underway.delete(id);
    }
  }

  private async reconcileNamed(lease: WorkerLease, id: string): Promise<ActorReply<Reconciliation>> {
    const { chunkItemsMax, answerOrdersMax } = this.limits;
    lease.send({ type: 'job', job: { id, createdAt: this.now(), chunkItemsMax, answerOrdersMax } });
    const { digest } = this.expect(await lease.receive(), 'digest');
    const known = await this.bus.ask(reconciliationActorId(id), { type: 'get_reconciliation' });
    const settled = known.ok ? this.settled(id, known.value as ReconciliationState, digest) : (known as ActorReply<Reconciliation>);
    if (settled !== null) {
      this.finish(lease);
      return settled;
    }
    lease.send({ type: 'go' });
    const reported = await this.answering(lease);
    if (reported.type === 'refused') {
      lease.end();
      return refuse(reported.code, reported.message);
    }
    const recorded = await this.record(lease, digest, this.expect(reported, 'report').header);
    this.finish(lease);
    return recorded;
  }

  /** Ends the worker's job at the node's word: it is ready for the next. */
  private finish(lease: WorkerLease): void {
    lease.send({ type: 'done' });
    lease.end();
  }

  /**
   * The answer when the statement need not be recorded: the id holds it already (answered
   * again) or another statement (refused). Null: record it, also when an earlier job with it
   * was cut short (a crash): it is recorded anew.
   */
  private settled(id: string, state: ReconciliationState, digest: string): ActorReply<Reconciliation> | null {
    if (state.digest !== null && state.digest !== digest) return refuse('id_reused_with_different_content', `reconciliation ${id} was made from another statement`);
    return headerOfState(state) === null ? null : this.recorded(id, state);
  }

  /** The worker's message, of the type the protocol expects next; anything else fails the job. */
  private expect<T extends FromWorker['type']>(message: FromWorker, type: T): Extract<FromWorker, { type: T }> {
    if (message.type === type) return message as Extract<FromWorker, { type: T }>;
    const why = message.type === 'failed' ? message.message : `it sent ${message.type} where ${type} was due`;
    this.logger.error({ why }, 'statement worker failed a job');
    throw new StatementJobFailure('statement_job_failed', `the statement's job failed (${why}); the report was not recorded`);
  }

  /** The worker's next message that is not a question, answering its questions meanwhile. */
  private async answering(lease: WorkerLease): Promise<FromWorker> {
    for (;;) {
      const message = await lease.receive();
      if (message.type !== 'query') return message;
      try {
        lease.send({ type: 'answer', n: message.n, value: this.answer(message.query) });
      } catch (error) {
        lease.send({ type: 'answer_failed', n: message.n, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /** One question of the worker, in one step: at most answerOrdersMax orders or numbers. */
  private answer(query: OrderQuery): QueryAnswer {
    switch (query.name) {
      case 'dated':
        return this.queries.bankOrdersPage(query.fromDay, query.toDay, query.after, Math.min(query.limit, this.limits.answerOrdersMax)) as unknown as { orders: OrderRow[]; items: ItemRow[] };
      case 'numbered':
        if (query.orderNos.length > this.limits.answerOrdersMax) throw new Error(`at most ${this.limits.answerOrdersMax} order numbers a question`);
        return this.queries.bankOrdersByNumber(query.orderNos) as unknown as { orders: OrderRow[]; items: ItemRow[] };
      case 'holding':
        return { holding: this.queries.depositoryHolding(query.account, query.day, query.currency) };
    }
  }

  /**
   * Journals the report: its header (begin_report), then its chunks in order, each asked of
   * the worker and sent to the actor with at most chunksInFlightMax unacknowledged.
   */
  private async record(lease: WorkerLease, digest: string, header: ReportHeader): Promise<ActorReply<Reconciliation>> {
    const actor = reconciliationActorId(header.id);
    const begun = await this.bus.ask(actor, { type: 'begin_report', data: { digest, header, chunkItemsMax: this.limits.chunkItemsMax } });
    if (!begun.ok) return begun as ActorReply<Reconciliation>;
    let state = begun.value as ReconciliationState;
    const stored = state.stored;
    if (headerOfState(state) !== null || stored === null) return this.recorded(header.id, state);
    const inFlight: Promise<ActorReply>[] = [];
    try {
      for (let chunk = 0; chunk < chunkCount(stored.layout); chunk++) {
        lease.send({ type: 'chunk', chunk });
        const sent = this.expect(await lease.receive(), 'chunk');
        if (sent.chunk !== chunk) throw new StatementJobFailure('statement_job_failed', `the worker sent chunk ${sent.chunk} for chunk ${chunk}`);
        inFlight.push(this.bus.ask(actor, { type: 'record_chunk', data: { attempt: stored.attempt, chunk, count: sent.count, items: sent.items } }));
        if (inFlight.length >= this.limits.chunksInFlightMax) {
          const acknowledged = await (inFlight.shift() as Promise<ActorReply>);
          if (!acknowledged.ok) return acknowledged as ActorReply<Reconciliation>;
        }
      }
      for (const pending of inFlight.splice(0)) {
        const acknowledged = await pending;
        if (!acknowledged.ok) return acknowledged as ActorReply<Reconciliation>;
        state = acknowledged.value as ReconciliationState;
      }
    } finally {
      // Whatever ended the loop, no chunk's answer is left unheard (a rejection would be unhandled).
      for (const pending of inFlight) pending.catch(() => {});
    }
    return this.recorded(header.id, state);
  }

  /**
   * Checked in this order: reconciliation_not_found, finding_not_found, then (repair_not_applicable)
   * a finding repaired by the other action, a finding the action does not repair, a reversal
   * without a single posting to reverse. Only then is the repair begun, which fixes its action.
   */
  async repair(id: string, input: RepairInput): Promise<ActorReply<RepairRecord>> {
    const found = await this.get(id);
    if (!found.ok) return found;
    const { state } = found.value;
    const finding = this.stored.item(id, state, 'findings', input.finding);
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
    if (action === 'supplement' && !isCurrency(finding.entry?.currency)) return `the entry is in ${finding.entry?.currency}, a currency fundcore does not book`;
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
    // Against the settlement account of the entry's currency (checked booked by inapplicable): never netted with another's.
    const currency = entry.currency as Currency;
    const settlement = await this.settlements.ensure(currency);
    if (!settlement.ok) return settlement as ActorReply<string>;
    const amount = formatAmount(missing < 0n ? -missing : missing, currency);
    const bankAccount = bankSettlementAccount(currency);
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
