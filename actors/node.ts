import { join } from 'node:path';
import { ArchiveService, type ArchivingConfig } from './archive/archive-service.js';
import { FxService } from './fx/fx-service.js';
import { AmendmentService } from './ledger/amendment-service.js';
import { dateOfInstant, type BusinessDate } from '../core/calendar/business-date.js';
import type { AccountKind } from '../core/ledger/account.js';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import type { Journal } from '../persistence/journal.js';
import { JournalUpgradeRequiredError, journalUpgradeNeededOf } from '../persistence/journal-upgrade/upgrade-journal.js';
import { indexInterestFlowsWrittenBefore } from '../persistence/journal-upgrade/interest-flow-index.js';
import { indexInterestPoolsLeft } from '../persistence/journal-upgrade/interest-pools-left.js';
import type { AccountLimits } from './account/account-behavior.js';
import { accountActorId, type AccountMessage } from './account/messages.js';
import { BankEndpoint, routingBus } from './bank/bank-endpoint.js';
import { noBankConfigured, type BankDepository } from './bank/bank-port.js';
import { BankService } from './bank/bank-service.js';
import { journaledSimDate, SimBusinessClock, WallBusinessClock, type BusinessClock, type SimDateSource } from './clock/business-clock.js';
import { ClockService } from './clock/clock-service.js';
import { settingsActorId, systemAccounts } from './lending/ids.js';
import { checkLendingConfig, checkSettleWaitFits, defaultLendingConfig, type LendingConfig } from './lending/lending-config.js';
import { LendingService } from './lending/lending-service.js';
import { FlowsService } from './lending/flows-service.js';
import type { SettingsMessage } from './lending/messages.js';
import { LedgerService } from './ledger/ledger-service.js';
import { nodeBehaviors } from './node-behaviors.js';
import { openSystemAccount } from './ledger/system-accounts.js';
import { backfillIdOwners } from './ledger/id-owner-backfill.js';
import { backfillIndexGroups } from './index/index-backfill.js';
import { ReconciliationService } from './reconciliation/reconciliation-service.js';
import type { StatementJobLimits } from './reconciliation/statement-job-limits.js';
import { EodService } from './eod/eod-service.js';
import { depositoryAtDay } from '../persistence/projections/depository-day.js';
import { ReadModelQueries } from '../persistence/projections/queries.js';
import { allProjectors } from '../persistence/projections/projectors.js';
import { ReadModel } from '../persistence/projections/read-model.js';
import { LocalReadSide, type ReadSide } from '../persistence/projections/read-side.js';
import { defaultProjectionLimits } from '../persistence/projections/runner.js';
import { WorkerReadSide } from '../persistence/projections/worker-read-side.js';
import { partitionCountDefault } from '../core/ledger/partition.js';
import { ActorSystem } from './runtime/actor-system.js';
import { systemClock, systemTimers, type Clock, type Logger, type TimerHandle, type Timers } from './runtime/clock.js';

/** Log entries the read models take in one timer step (the rest wait for the next, or for a query). */
const projectionStepEntriesMax = 5_000;
import { defaultRuntimeLimits, type RuntimeLimits } from './runtime/limits.js';
import type { RuntimeObserver } from './runtime/observer.js';
import type { Bus } from './runtime/relay.js';

/** The business clock: the wall clock's UTC date (shifted by an offset), or a simulated date ops set. */
export type BusinessClockOption = { readonly mode: 'wall'; readonly offsetMinutes?: number } | { readonly mode: 'sim'; readonly startDate?: BusinessDate };

export interface NodeOptions {
  /** Where the LMDB journal lives (ignored when `journal` is given). */
  readonly dataDir?: string;
  readonly journal?: Journal;
  readonly limits?: Partial<RuntimeLimits>;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** How the relay reaches actors; this node's own actor system by default. */
  readonly bus?: Bus;
  /** Where the SQLite read models live: `$dataDir/read-models.db` by default, in memory without a data dir. */
  readonly readModelPath?: string;
  /** Keep the read models in the node's thread even with a journal on disk (the bench's comparison; by default a worker thread follows the log). */
  readonly readSideInThread?: boolean;
  /** Nice steps below the node's thread the read side's worker runs at (persistence/projections/thread-priority.ts); 10 by default. */
  readonly readSideThreadNice?: number;
  /** How often the read models catch up with the log (they also catch up before every query); 0: only when asked (a cluster node, whose log the gateways' read sides follow). */
  readonly projectionIntervalMs?: number;
  readonly accountLimits?: Partial<AccountLimits>;
  readonly lending?: Partial<LendingConfig>;
  readonly businessClock?: BusinessClockOption;
  /** Cluster mode: where a simulated clock reads the date (the settings actor may live on another node). */
  readonly simDateOf?: SimDateSource;
  /** The bank depository adapter; without one, bank orders wait in the outbox. */
  readonly bank?: BankDepository;
  /** Told of every message and journal append (the gateway's metrics wire one). */
  readonly observer?: RuntimeObserver;
  /** Statement jobs (reconciliation): how many at once, their time and memory (statement-job-limits.ts). */
  readonly statementJobs?: Partial<StatementJobLimits>;
  /** The statement worker's entry; tests give one that misbehaves. */
  readonly statementWorkerUrl?: URL;
  /** The currencies accounts may be opened in (FUNDCORE_CURRENCIES); default: every known one. */
  readonly currencies?: readonly string[];
  /** Archiving ended records and retention (ARCHIVE_AFTER_MONTHS and the like); default: 18 months, hourly, kept for good. */
  readonly archiving?: ArchivingConfig;
  /** The partitions actors hash to (a cluster's PARTITION_COUNT; embedded, the default): the read side's day cuts are per partition. */
  readonly partitionCount?: number;
}

export interface NodeHealth {
  readonly status: 'ok' | 'overloaded';
  readonly actors: { readonly live: number; readonly activations: number; readonly passivations: number; readonly wakesScheduled: number };
  readonly relay: { readonly backlog: number; readonly inFlight: number; readonly delivered: number; readonly cursor: number };
  /** The read models: the log position they reached and how many entries they are behind. */
  readonly projections: { readonly position: number; readonly lag: number };
  /**
   * The journal's hash chains: `sealing` each append as it is durable; `stopped` after a
   * sealing failed (appends go on; the next start seals what is left); `none` without a
   * journal on disk.
   */
  readonly journalChain: 'sealing' | 'stopped' | 'none';
}

/** The system ledger accounts, opened (idempotently) at every start (and what `npm run journal:upgrade` opens old journals' with). */
export const systemAccountSpecs: readonly { id: string; kind: AccountKind; overdraft: boolean }[] = [
  { id: systemAccounts.bank, kind: 'bank_settlement', overdraft: true },
  { id: systemAccounts.pool, kind: 'capital_pool', overdraft: false },
  { id: systemAccounts.revenue, kind: 'platform_revenue', overdraft: false },
  // The guarantee pays overdue periods before it recovers them from the borrower: its negative
  // balance is the debt it acquired (代偿), brought back by the borrowers' late payments.
  { id: systemAccounts.guarantee, kind: 'guarantee', overdraft: true },
  // Clearing accounts: a repayment's split and the interest pools' moves may land in either
  // order (each credit travels through the outbox), so these two may run briefly below zero;
  // at rest the transit is zero and the interest pool is the sum of the investors' pools.
  { id: systemAccounts.interestPool, kind: 'interest_pool', overdraft: true },
  { id: systemAccounts.transit, kind: 'transit', overdraft: true },
  // The close's interest accrual: the receivable goes below zero by what the loans earned and
  // did not pay; the accrued account holds the same amount (memo accounts: no bank money).
  { id: systemAccounts.interestReceivable, kind: 'interest_accrual', overdraft: true },
  { id: systemAccounts.interestAccrued, kind: 'interest_accrual', overdraft: false },
];

/** One fundcore node in embedded mode: the journal, the actors, and the services over them. */
export class FundcoreNode {
  readonly system: ActorSystem;
  readonly ledger: LedgerService;
  readonly lending: LendingService;
  readonly flows: FlowsService;
  readonly fx: FxService;
  readonly amendments: AmendmentService;
  readonly bank: BankService;
  readonly clock: ClockService;
  readonly businessClock: BusinessClock;
  readonly config: LendingConfig;
  readonly readModel: ReadModel;
  readonly projections: ReadSide;
  readonly eod: EodService;
  readonly archiving: ArchiveService;
  readonly queries: ReadModelQueries;
  readonly reconciliations: ReconciliationService;
  private projectionTimer: TimerHandle | null = null;
  private readonly logger: Logger | undefined;
  /** How this node reaches any actor: its own in process, in a cluster others over NATS. */
  readonly bus: Bus;
  private stopped = false;

  private constructor(
    readonly journal: Journal,
    options: NodeOptions,
  ) {
    this.config = { ...defaultLendingConfig, ...options.lending };
    this.logger = options.logger;
    checkLendingConfig(this.config);
    checkSettleWaitFits(this.config, options.limits?.askTimeoutMs ?? defaultRuntimeLimits.askTimeoutMs);
    const clock = options.clock ?? systemClock;
    const businessClock: BusinessClock =
      options.businessClock?.mode === 'sim'
        ? new SimBusinessClock(options.simDateOf ?? journaledSimDate(journal), options.businessClock.startDate ?? dateOfInstant(clock.now()))
        : new WallBusinessClock(clock, options.businessClock?.offsetMinutes ?? 0);
    this.businessClock = businessClock;
    const deps = { config: this.config, clock: businessClock, partitionCount: options.partitionCount ?? partitionCountDefault };
    const bankEndpoint = new BankEndpoint(options.bank ?? noBankConfigured);
    const bus = routingBus(() => options.bus ?? this.system, bankEndpoint);
    this.bus = bus;
    this.system = new ActorSystem({
      journal,
      behaviors: nodeBehaviors(deps, options.accountLimits),
      bus,
      businessDate: () => businessClock.today(),
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
      ...(options.observer !== undefined ? { observer: options.observer } : {}),
    });
    this.ledger = new LedgerService(this.system, () => this.system.relay.overloaded, options.currencies === undefined ? undefined : new Set(options.currencies), this.config.paymentStrategies);
    this.lending = new LendingService(this.system, this.config);
    this.flows = new FlowsService(this.system, this.ledger);
    this.amendments = new AmendmentService(this.system, this.ledger);
    this.bank = new BankService(this.system, this.ledger, this.config.withdrawalFee === undefined ? {} : { withdrawal: this.config.withdrawalFee }, options.currencies === undefined ? undefined : new Set(options.currencies), this.config.paymentStrategies);
    this.fx = new FxService(this.system, this.ledger, this.bank);
    this.clock = new ClockService(this.system, businessClock);
    const readModelPath = options.readModelPath ?? (options.dataDir === undefined ? ':memory:' : join(options.dataDir, 'read-models.db'));
    this.readModel = new ReadModel(readModelPath, allProjectors);
    const partitionCount = options.partitionCount ?? partitionCountDefault;
    const projectionIntervalMs = options.projectionIntervalMs ?? 50;
    // An actor idle long enough to leave the node's memory leaves the read side's cache too.
    const readSideLimits = { ...defaultProjectionLimits, cachedStateIdleMs: options.limits?.idleBeforePassivationMs ?? defaultRuntimeLimits.idleBeforePassivationMs };
    // A journal and read models on disk that this node opened: they follow the log in a worker thread.
    const inWorker = options.journal === undefined && journal instanceof LmdbJournal && readModelPath !== ':memory:' && options.readSideInThread !== true;
    this.projections = inWorker
      ? new WorkerReadSide({
          model: this.readModel,
          readModelPath,
          journal,
          journalPath: journal.path,
          journalNoSync: journal.noSync,
          partitionCount,
          stepMs: projectionIntervalMs,
          stepEntriesMax: projectionStepEntriesMax,
          cachedStateIdleMs: readSideLimits.cachedStateIdleMs,
          // Idle as long as its actors before passivation, the node lets its read-side worker go too.
          restAfterIdleMs: readSideLimits.cachedStateIdleMs,
          clock,
          ...(options.timers !== undefined ? { timers: options.timers } : {}),
          ...(options.readSideThreadNice !== undefined ? { threadNice: options.readSideThreadNice } : {}),
          ...(options.logger !== undefined ? { logger: options.logger } : {}),
        })
      : new LocalReadSide(this.readModel, journal, partitionCount, readSideLimits, () => clock.now());
    this.queries = new ReadModelQueries(this.readModel);
    this.reconciliations = new ReconciliationService(this.system, this.projections, this.queries, this.ledger, () => clock.now(), {
      ...(options.statementJobs !== undefined ? { jobs: options.statementJobs } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
      ...(options.statementWorkerUrl !== undefined ? { workerUrl: options.statementWorkerUrl } : {}),
    });
    // Over the node's bus: in a cluster each partition's cut is asked of the node that owns it.
    // The day's depository section: per currency, what the bank holds by the ledger.
    const depository = (date: string) => depositoryAtDay(this.projections.model.db, date);
    this.eod = new EodService(bus, this.projections, partitionCount, () => businessClock.today(), () => clock.now(), (input) => this.ledger.transferAnyAccount(input), { depository }, {
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
    });
    const projections = this.projections;
    this.archiving = new ArchiveService(this.projections, () => businessClock.today(), options.archiving, options.timers, options.logger);
    this.archiving.start();
    if (projectionIntervalMs > 0 && projections instanceof LocalReadSide) this.projectionTimer = (options.timers ?? systemTimers).every(projectionIntervalMs, () => this.projectStep(projections, options.logger));
  }

  /** Opens the journal, reloads timers and the outbox, and is ready to serve the ledger. */
  static start(options: NodeOptions): FundcoreNode {
    const journal = options.journal ?? new LmdbJournal({ path: join(options.dataDir ?? './data', 'journal'), ...(options.partitionCount !== undefined ? { partitionCount: options.partitionCount } : {}) });
    // A journal this version cannot replay (plans without amounts) is refused before any actor reads it.
    const upgrade = journalUpgradeNeededOf(journal, options.journal === undefined ? (options.dataDir ?? './data') : null);
    if (upgrade !== null) {
      if (options.journal === undefined) void journal.close();
      throw new JournalUpgradeRequiredError(upgrade);
    }
    const flowsIndexed = indexInterestFlowsWrittenBefore(journal);
    if (flowsIndexed > 0) options.logger?.info({ flows: flowsIndexed }, 'interest flows written before the flow-id index put to it');
    const poolsLeft = indexInterestPoolsLeft(journal);
    if (poolsLeft > 0) options.logger?.info({ pools: poolsLeft }, 'per-investor interest pools put to the index their shards adopt them from');
    const node = new FundcoreNode(journal, options);
    const recovered = node.system.start();
    options.logger?.info(recovered, 'node started');
    return node;
  }

  /** start, then the lending boot (see `ready`). */
  static async boot(options: NodeOptions): Promise<FundcoreNode> {
    const node = FundcoreNode.start(options);
    try {
      await node.ready();
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  /**
   * What lending needs before it serves, each step idempotent: the pool shard count fixed
   * (a different count than the journal's refuses to start: capital is routed by it), the
   * simulated date journaled at the first start, the system accounts opened. Asked of this
   * node's actors; in a cluster (`bus`: the node's bus) of whichever node serves them.
   */
  async ready(bus: Bus = this.system): Promise<void> {
    const shards = await bus.ask(settingsActorId, { type: 'fix_pool_shards', data: { count: this.config.poolShards } } satisfies SettingsMessage);
    if (!shards.ok) throw new Error(`cannot start: ${shards.code}: ${shards.detail}`);
    if (this.businessClock instanceof SimBusinessClock) {
      const init = await bus.ask(settingsActorId, { type: 'init_sim_date', data: { date: this.businessClock.startDate } } satisfies SettingsMessage);
      if (!init.ok) throw new Error(`cannot start: ${init.code}: ${init.detail}`);
    }
    for (const spec of systemAccountSpecs) {
      const opened = await openSystemAccount(bus, { ...spec, currency: 'CNY' });
      if (!opened.ok) throw new Error(`cannot open system account ${spec.id}: ${opened.code}: ${opened.detail}`);
    }
    const backfilled = await backfillIndexGroups(this.journal, bus);
    if (backfilled > 0) this.logger?.info({ entries: backfilled }, 'index groups backfilled from the journal written before them');
    const bound = await backfillIdOwners(this.journal, bus);
    if (bound > 0) this.logger?.info({ ids: bound }, 'account and transfer ids bound at their owners, from the journal written before them');
  }

  health(): NodeHealth {
    const relay = this.system.relay.stats();
    const projections = { position: this.readModel.position(), lag: this.projections.lag() };
    const journalChain = !(this.journal instanceof LmdbJournal) ? 'none' : this.journal.sealingFailed === null ? 'sealing' : 'stopped';
    return { status: this.system.relay.overloaded ? 'overloaded' : 'ok', actors: this.system.stats(), relay, projections, journalChain };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.projectionTimer?.cancel();
    await this.archiving.stop();
    await this.reconciliations.stop();
    await this.system.stop();
    await this.projections.stop();
    this.readModel.close();
    await this.journal.close();
  }

  /** One step of the read models behind the log; a failure is logged and retried at the next step. */
  private projectStep(projections: LocalReadSide, logger: Logger | undefined): void {
    if (this.stopped) return;
    try {
      projections.runner.catchUp(projectionStepEntriesMax);
    } catch (error) {
      logger?.error({ err: error }, 'projection step failed; retried at the next step');
    }
  }
}
