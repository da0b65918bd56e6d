import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { BankService } from '../actors/bank/bank-service.js';
import { SimBusinessClock, WallBusinessClock, type BusinessClock } from '../actors/clock/business-clock.js';
import { ClockService } from '../actors/clock/clock-service.js';
import { FlowsService } from '../actors/lending/flows-service.js';
import { FxService } from '../actors/fx/fx-service.js';
import { AmendmentService } from '../actors/ledger/amendment-service.js';
import { checkLendingConfig, checkSettleWaitFits, defaultLendingConfig, type LendingConfig } from '../actors/lending/lending-config.js';
import { LendingService } from '../actors/lending/lending-service.js';
import type { BusinessClockOption } from '../actors/node.js';
import { silentLogger, systemClock, systemTimers, type Logger } from '../actors/runtime/clock.js';
import { ArchiveService, type ArchivingConfig } from '../actors/archive/archive-service.js';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import { defaultRuntimeLimits } from '../actors/runtime/limits.js';
import { dateOfInstant } from '../core/calendar/business-date.js';
import { buildGateway } from '../gateway/app.js';
import type { ApiKeys } from '../gateway/auth.js';
import { FundcoreMetrics } from '../gateway/metrics/fundcore-metrics.js';
import { callbackTimestampToleranceMs } from '../gateway/node-gateway.js';
import type { RequestLimits } from '../gateway/request-limits.js';
import type { ClusterNames } from './cluster-node.js';
import type { LeaseWatch } from './lease-watch.js';
import { defaultRoutingLimits, gatewayBus } from './nats-bus.js';
import { LedgerService } from '../actors/ledger/ledger-service.js';
import { ReplicatedSimDate } from './replicated-sim-date.js';
import { ClusterOps } from './cluster-ops.js';
import type { StreamReadSideLimits } from './stream-read-side.js';
import { StreamWorkerReadSide } from './stream-worker-read-side.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModel } from '../persistence/projections/read-model.js';
import { allProjectors } from '../persistence/projections/projectors.js';
import { ReadModelQueries } from '../persistence/projections/queries.js';
import { ReconciliationService } from '../actors/reconciliation/reconciliation-service.js';
import type { StatementJobLimits } from '../actors/reconciliation/statement-job-limits.js';
import { EodService } from '../actors/eod/eod-service.js';
import type { Bus } from '../actors/runtime/relay.js';
import { bankOrdersPending } from '../persistence/projections/ops-queries.js';

export interface ClusterGatewayOptions {
  readonly nc: NatsConnection;
  readonly names: ClusterNames;
  readonly partitionCount: number;
  readonly keys: ApiKeys;
  readonly bankSecret: string;
  /** Must be the nodes' lending settings (the pool shard count above all). */
  readonly lending?: Partial<LendingConfig>;
  /** Must be the nodes' clock mode. */
  readonly businessClock?: BusinessClockOption;
  readonly routeDeadlineMs?: number;
  readonly leaseWatch?: LeaseWatch;
  readonly metrics?: FundcoreMetrics;
  readonly health: () => object;
  readonly requestLimits?: Partial<RequestLimits>;
  readonly logger?: FastifyServerOptions['logger'];
  readonly log?: Logger;
  /**
   * The gateway's read models (SQLite, written by the gateway's read-side worker thread): a
   * file to keep them across restarts; by default a temporary file, removed at stop (rebuilt
   * from the log stream at start).
   */
  readonly readModelPath?: string;
  /** Nice steps below the gateway's thread its read side's worker runs at; 10 by default. */
  readonly readSideThreadNice?: number;
  /** Where the read-side worker connects to NATS (its own connection); default: the server `nc` is connected to. */
  readonly natsServers?: string;
  /** The read-side worker's log level (its lines go to this process's stdout); default: silent. */
  readonly logLevel?: string;
  readonly readSideLimits?: Partial<StreamReadSideLimits>;
  /** The currencies accounts may be opened in (FUNDCORE_CURRENCIES); default: every known one. */
  readonly currencies?: readonly string[];
  /** Archiving the gateway's read models and retention (default: 18 months, hourly, kept for good). */
  readonly archiving?: ArchivingConfig;
  /** Statement jobs (reconciliation) run in this gateway's worker threads. */
  readonly statementJobs?: Partial<StatementJobLimits>;
}

/** How long a clock change waits to be seen cluster-wide before it is answered 503 (retry). */
const clockReplicationWaitMs = 5_000;

/**
 * The gateway of a cluster: the same routes and the same services as `npm start`, over a bus
 * that reaches every actor on the node serving its partition (it owns none itself).
 */
export async function clusterGateway(options: ClusterGatewayOptions): Promise<{ readonly app: FastifyInstance; readonly bank: BankService; readonly ledger: LedgerService; stop(): Promise<void> }> {
  const { nc, names, partitionCount } = options;
  const config: LendingConfig = { ...defaultLendingConfig, ...options.lending };
  checkLendingConfig(config);
  checkSettleWaitFits(config, defaultRuntimeLimits.askTimeoutMs);
  const metrics = options.metrics ?? new FundcoreMetrics({ processMetrics: false });
  const leaseWatch = options.leaseWatch;
  const bus = gatewayBus({
    nc,
    subjectPrefix: names.subjectPrefix,
    partitionCount,
    askTimeoutMs: defaultRuntimeLimits.askTimeoutMs,
    routing: { routeDeadlineMs: options.routeDeadlineMs ?? defaultRoutingLimits.routeDeadlineMs },
    onRequestFailed: (code) => metrics.natsRequestFailed(code),
    ...(leaseWatch !== undefined ? { leaseWatch, ownerOf: (partition: number) => leaseWatch.ownerOf(partition) } : {}),
  });
  // The same ledger service as in one node: it asks the actors, wherever they are served.
  const ledger = new LedgerService(bus, () => false, options.currencies === undefined ? undefined : new Set(options.currencies), config.paymentStrategies);
  const { clock, simDate } = await businessClockOf(nc, names, options.businessClock, options.log ?? silentLogger);
  const replicated = simDate === null ? null : (date: string) => simDate.reached(date, clockReplicationWaitMs);
  const bank = new BankService(bus, ledger, config.withdrawalFee === undefined ? {} : { withdrawal: config.withdrawalFee }, options.currencies === undefined ? undefined : new Set(options.currencies), config.paymentStrategies);
  const clusterOps = new ClusterOps(nc, names.subjectPrefix);
  const records = await clusterRecords(options, bus, ledger, clock);
  metrics.watch({ projectionLag: () => records.readSide.lag(), bankOrdersPending: () => bankOrdersPending(records.readSide.model.db) });
  const app = await buildGateway({
    ledger,
    fx: new FxService(bus, ledger, bank),
    amendments: new AmendmentService(bus, ledger),
    lending: {
      lending: new LendingService(bus, config),
      flows: new FlowsService(bus, ledger),
      bank,
      clock: new ClockService(bus, clock, replicated),
      callbacks: { secret: options.bankSecret, timestampToleranceMs: callbackTimestampToleranceMs, now: () => Date.now() },
    },
    records,
    opsViews: { readSide: records.readSide, ledger, eod: records.eod, reconciliations: records.reconciliations },
    metrics,
    ops: {
      inspectActor: (id) => bus.inspect(id),
      health: options.health,
      listActors: (query) => clusterOps.listActors(query),
      busiestActors: (count, type) => clusterOps.busiestActors(count, type),
    },
    keys: options.keys,
    ...(options.requestLimits !== undefined ? { requestLimits: options.requestLimits } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  return {
    app,
    bank,
    ledger,
    async stop() {
      await app.close();
      await records.archiving.stop();
      await records.reconciliations.stop();
      await records.readSide.stop();
      records.readSide.model.close();
      records.removeTemporary();
      await simDate?.stop();
    },
  };
}

/** Queries, end of day and reconciliation over the cluster's log stream, read into this gateway's own database. */
async function clusterRecords(options: ClusterGatewayOptions, bus: Bus, ledger: LedgerService, clock: BusinessClock) {
  const temporary = options.readModelPath === undefined ? mkdtempSync(join(tmpdir(), 'fundcore-gateway-')) : null;
  const readModelPath = options.readModelPath ?? join(temporary as string, 'read-models.db');
  const model = new ReadModel(readModelPath, allProjectors);
  const readSide = new StreamWorkerReadSide({
    model,
    natsServers: options.natsServers ?? options.nc.getServer(),
    names: options.names,
    readModelPath,
    partitionCount: options.partitionCount,
    limits: options.readSideLimits ?? {},
    logLevel: options.logLevel ?? 'silent',
    ...(options.readSideThreadNice !== undefined ? { threadNice: options.readSideThreadNice } : {}),
    ...(options.log !== undefined ? { logger: options.log } : {}),
  });
  const removeTemporary = () => {
    if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
  };
  const queries = new ReadModelQueries(model);
  const reconciliations = new ReconciliationService(bus, readSide, queries, ledger, () => Date.now(), {
    ...(options.statementJobs !== undefined ? { jobs: options.statementJobs } : {}),
    ...(options.log !== undefined ? { logger: options.log } : {}),
  });
  const eod = new EodService(bus, readSide, options.partitionCount, () => clock.today(), () => Date.now(), (input) => ledger.transferAnyAccount(input));
  // The gateway's read models are the cluster's: it archives them (the nodes' journals stay whole).
  const archiving = new ArchiveService(readSide, () => clock.today(), options.archiving, systemTimers, options.log);
  archiving.start();
  return { readSide, queries, eod, reconciliations, archiving, removeTemporary };
}

async function businessClockOf(nc: NatsConnection, names: ClusterNames, option: BusinessClockOption | undefined, log: Logger): Promise<{ clock: BusinessClock; simDate: ReplicatedSimDate | null }> {
  if (option?.mode !== 'sim') return { clock: new WallBusinessClock(systemClock, option?.offsetMinutes ?? 0), simDate: null };
  const settings = await new Kvm(nc).create(`${names.bucketPrefix}_settings`, { history: 1 });
  const simDate = new ReplicatedSimDate(settings, log);
  await simDate.start();
  return { clock: new SimBusinessClock(simDate.source(), option.startDate ?? dateOfInstant(systemClock.now())), simDate };
}
