import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { FundcoreNode, type BusinessClockOption, type NodeHealth } from '../actors/node.js';
import type { BankDepository } from '../actors/bank/bank-port.js';
import { journaledSimDate } from '../actors/clock/business-clock.js';
import { accountActorId } from '../actors/account/messages.js';
import { settingsActorId, systemAccounts } from '../actors/lending/ids.js';
import type { LendingConfig } from '../actors/lending/lending-config.js';
import { isRuntimeError } from '../actors/runtime/errors.js';
import type { RuntimeObserver } from '../actors/runtime/observer.js';
import type { BusinessDate } from '../core/calendar/business-date.js';
import type { SettingsEvent } from '../core/settings/settings.js';
import { ReplicatedSimDate } from './replicated-sim-date.js';
import { serveOpsListings } from './cluster-ops.js';
import type { AccountLimits } from '../actors/account/account-behavior.js';
import { silentLogger, systemTimers, type Clock, type Logger, type Timers } from '../actors/runtime/clock.js';
import { defaultRuntimeLimits, type RuntimeLimits } from '../actors/runtime/limits.js';
import type { Journal } from '../persistence/journal.js';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import { CommandServer } from './command-server.js';
import { DirectoryReplica } from './directory-replica.js';
import { DirectoryAsks } from './directory-asks.js';
import { FencedJournal } from './fenced-journal.js';
import { checkLeaseLimits, defaultLeaseLimits, leaseBucketOptions, LeaseManager, type LeaseLimits } from './leases.js';
import { LeaseWatch } from './lease-watch.js';
import { NatsBus } from './nats-bus.js';
import { defaultLogPublisherLimits, LogPublisher, type LogPublishClient } from './log-publisher.js';
import type { JetStreamClient } from '@nats-io/jetstream';
import { ensureLogStream } from './log-stream.js';
import { checkPartitionCount, formatPartitions, partitionOfAccount, partitionOfActor } from './partitions.js';

export interface ClusterNames {
  /** Prefix of the NATS subjects (`<prefix>.cmd.<partition>`). */
  readonly subjectPrefix: string;
  /** Prefix of the KV buckets (`<prefix>_leases`, `_homes`, `_directory`). */
  readonly bucketPrefix: string;
}

/** `fundcore` → subjects `fundcore.cmd.*`, buckets `fundcore_leases`, …; one NATS can hold several clusters. */
export function clusterNames(name: string): ClusterNames {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new RangeError(`cluster name must be letters, digits, _ or -: ${name}`);
  return { subjectPrefix: name, bucketPrefix: name };
}

export interface ClusterBuckets {
  readonly leases: KV;
  readonly homes: KV;
  readonly directory: KV;
  /** Cluster-wide settings every process reads: the simulated business date. */
  readonly settings: KV;
}

/** Creates (or opens) the cluster's KV buckets. */
export async function openBuckets(nc: NatsConnection, names: ClusterNames, leaseLimits: LeaseLimits): Promise<ClusterBuckets> {
  const kvm = new Kvm(nc);
  return {
    leases: await kvm.create(`${names.bucketPrefix}_leases`, leaseBucketOptions(leaseLimits)),
    homes: await kvm.create(`${names.bucketPrefix}_homes`, { history: 1 }),
    directory: await kvm.create(`${names.bucketPrefix}_directory`, { history: 1 }),
    settings: await kvm.create(`${names.bucketPrefix}_settings`, { history: 1 }),
  };
}

export interface ClusterNodeOptions {
  readonly nc: NatsConnection;
  readonly names: ClusterNames;
  readonly partitionCount: number;
  /** The partitions this node serves (and holds the data of). */
  readonly partitions: readonly number[];
  /** Stable identity; by default the one stored in the journal (made up on the first start). */
  readonly nodeId?: string;
  readonly dataDir?: string;
  readonly journal?: Journal;
  readonly leaseLimits?: Partial<LeaseLimits>;
  readonly limits?: Partial<RuntimeLimits>;
  readonly accountLimits?: Partial<AccountLimits>;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** Lending settings: every node of a cluster must be given the same. */
  readonly lending?: Partial<LendingConfig>;
  /** The business clock: every node of a cluster must be given the same mode. */
  readonly businessClock?: BusinessClockOption;
  /** The bank depository adapter: bank orders on this node's partitions go through it. */
  readonly bank?: BankDepository;
  /** Told of every message and journal append (the node's metrics). */
  readonly observer?: RuntimeObserver;
  /** Tests only: wraps the JetStream client the log publisher uses (to fail some publishes). */
  readonly logPublishClient?: (real: JetStreamClient) => LogPublishClient;
  /** While the partitions lending needs at start (the settings actor, the system accounts) are not served, a warning this often. */
  readonly readyWarnEveryMs?: number;
}

export interface ClusterNodeHealth extends Omit<NodeHealth, 'status'> {
  /** degraded: some of its partitions are not served (see notServing). */
  readonly status: NodeHealth['status'] | 'degraded';
  readonly role: 'node';
  readonly nodeId: string;
  readonly serving: string;
  readonly notServing: readonly { readonly partition: number; readonly reason: string | null }[];
  /** The fencing epoch of each partition served (partition → epoch). */
  readonly epochs: Readonly<Record<number, number>>;
  readonly journal: { readonly lastLogPosition: number | null; readonly refusedAppends: number };
  /** Messages waiting in its live mailboxes, and the deepest one. */
  readonly mailboxes: { readonly queued: number; readonly deepest: number };
  /** Its journal entries not yet published to the log stream. */
  readonly stream: { readonly unpublished: number };
  readonly nats: string;
}

const nodeIdMetaKey = 'cluster.nodeId';
const readyWarnEveryMsDefault = 10_000;
const readyRetryMs = 200;
const directoryCatchUpMs = 5_000;

/**
 * A node of a cluster: the embedded node's actors and LMDB journal, behind a fenced
 * journal, a NATS-aware bus, the leases of its partitions and the command server that
 * serves them. Start order: leases first (nothing is served without them), then the actors
 * (whose relay may need remote partitions at once), then the subjects.
 */
export class ClusterNode {
  private constructor(
    readonly nodeId: string,
    readonly node: FundcoreNode,
    readonly journal: FencedJournal,
    readonly leases: LeaseManager,
    private readonly server: CommandServer,
    private readonly directory: DirectoryReplica,
    private readonly nc: NatsConnection,
    /** How this node's relay reaches actors: in process for its partitions, over NATS otherwise. */
    readonly bus: NatsBus,
    private readonly leaseWatch: LeaseWatch,
    private readonly simDate: ReplicatedSimDate | null,
    /** This node's journal, published to the cluster's log stream for the read sides. */
    readonly publisher: LogPublisher,
    /** Ends the sim-date publication and the ops listings. */
    private readonly stopSubscriptions: () => void,
    /** Settles once lending's start-up steps are done (or rejects with why they cannot be). */
    readonly lendingReady: Promise<void>,
    private readonly readyAbort: AbortController,
  ) {}

  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    checkPartitionCount(options.partitionCount);
    const leaseLimits = { ...defaultLeaseLimits, ...options.leaseLimits };
    checkLeaseLimits(leaseLimits);
    const logger = options.logger ?? silentLogger;
    const inner = options.journal ?? new LmdbJournal({ path: join(options.dataDir ?? './data', 'journal'), partitionCount: options.partitionCount });
    const nodeId = options.nodeId ?? (inner.getMeta(nodeIdMetaKey) as string | undefined) ?? randomUUID();
    inner.putMeta(nodeIdMetaKey, nodeId);
    const { nc, names, partitionCount } = options;
    const buckets = await openBuckets(nc, names, leaseLimits);
    const directory = new DirectoryReplica(buckets.directory, logger);
    await directory.start();

    let server: CommandServer | null = null;
    const leases = new LeaseManager({
      leases: buckets.leases,
      homes: buckets.homes,
      nodeId,
      partitions: options.partitions,
      limits: leaseLimits,
      logger,
      onChange: (partition, serving) => server?.onLease(partition, serving),
    });
    await leases.start();

    const journal = new FencedJournal(inner, { partitionOf: (actorId) => partitionOfActor(actorId, partitionCount), check: (p) => leases.check(p) }, directory);
    const directoryAsks = new DirectoryAsks(directory, journal);
    const limits = { ...defaultRuntimeLimits, ...options.limits };
    const leaseWatch = new LeaseWatch({ openLeases: async () => buckets.leases, openRetryMs: leaseLimits.leaseRenewEveryMs, checkEveryMs: leaseLimits.leaseCheckEveryMs, logger });
    leaseWatch.start();
    // The relay may deliver while the node is still being built (its outbox from before a restart): those asks wait for it.
    let nodeBuilt: (node: FundcoreNode) => void = () => {};
    const built = new Promise<FundcoreNode>((resolve) => (nodeBuilt = resolve));
    const bus = new NatsBus({
      nc,
      subjectPrefix: names.subjectPrefix,
      partitionCount,
      local: directoryAsks.around({ ask: async (actorId, message, timeoutMs, cause) => (await built).system.ask(actorId, message, timeoutMs, cause) }),
      isLocal: (p) => leases.isServing(p),
      askTimeoutMs: limits.askTimeoutMs,
      leaseWatch,
      ownerOf: (partition) => leaseWatch.ownerOf(partition),
    });
    const simDate = options.businessClock?.mode === 'sim' ? new ReplicatedSimDate(buckets.settings, logger) : null;
    await simDate?.start();
    const node = FundcoreNode.start({
      journal,
      bus,
      limits,
      logger,
      partitionCount,
      // The gateways' read sides follow the cluster's log stream; the node keeps none of its own.
      projectionIntervalMs: 0,
      ...(simDate !== null ? { simDateOf: simDate.source(journaledSimDate(inner)) } : {}),
      ...(options.lending !== undefined ? { lending: options.lending } : {}),
      ...(options.businessClock !== undefined ? { businessClock: options.businessClock } : {}),
      ...(options.bank !== undefined ? { bank: options.bank } : {}),
      ...(options.observer !== undefined ? { observer: options.observer } : {}),
      ...(options.accountLimits !== undefined ? { accountLimits: options.accountLimits } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
    });
    nodeBuilt(node);
    const republished = await directory.reconcile(inner, (accountId) => options.partitions.includes(partitionOfAccount(accountId, partitionCount)), directoryCatchUpMs);
    server = new CommandServer({
      nc,
      subjectPrefix: names.subjectPrefix,
      system: node.system,
      directory: directoryAsks,
      leases,
      logger,
    });
    for (const p of leases.serving()) server.onLease(p, true);
    server.serveNodeSubject(nodeId);
    const opsListings = serveOpsListings(nc, names.subjectPrefix, nodeId, node.system, logger);
    await ensureLogStream(nc, names);
    const publisher = new LogPublisher(nc, names, inner, nodeId, partitionCount, options.timers ?? systemTimers, logger, defaultLogPublisherLimits, options.logPublishClient);
    publisher.start();
    const stopNotifying = node.system.observe(() => publisher.notify());
    const isMine = (actorId: string) => leases.isServing(partitionOfActor(actorId, partitionCount));
    const stopPublishing = simDate === null ? () => {} : publishSimDate(node, simDate, isMine, logger);
    // In the background: the partitions lending needs may be on nodes that are still starting.
    const readyAbort = new AbortController();
    const lendingReady = readyLending(node, directory, inner, isMine, { warnEveryMs: options.readyWarnEveryMs ?? readyWarnEveryMsDefault, signal: readyAbort.signal }, logger);
    lendingReady.catch((error: unknown) => logger.error({ err: error }, 'lending did not get ready: its routes refuse until this node restarts'));
    logger.info({ nodeId, partitions: formatPartitions(options.partitions), serving: formatPartitions(leases.serving()), republished }, 'cluster node started');
    return new ClusterNode(nodeId, node, journal, leases, server, directory, nc, bus, leaseWatch, simDate, publisher, () => {
      stopPublishing();
      stopNotifying();
      opsListings.unsubscribe();
    }, lendingReady, readyAbort);
  }

  get system() {
    return this.node.system;
  }

  get ledger() {
    return this.node.ledger;
  }

  health(): ClusterNodeHealth {
    const views = this.leases.views();
    const notServing = views.filter((v) => !v.serving).map((v) => ({ partition: v.partition, reason: v.reason }));
    const base = this.node.health();
    return {
      ...base,
      status: notServing.length > 0 ? 'degraded' : base.status,
      role: 'node',
      nodeId: this.nodeId,
      serving: formatPartitions(views.filter((v) => v.serving).map((v) => v.partition)),
      notServing,
      epochs: Object.fromEntries(views.filter((v) => v.serving).map((v) => [v.partition, v.epoch as number])),
      journal: { lastLogPosition: this.journal.lastAppendPosition, refusedAppends: this.journal.refused },
      mailboxes: this.node.system.mailboxes(),
      stream: { unpublished: this.publisher.lag() },
      nats: this.nc.isClosed() ? 'closed' : 'connected',
    };
  }

  /** Stops serving (unsubscribes), stops the actors and closes the journal, then stops renewing. */
  async stop(): Promise<void> {
    this.readyAbort.abort();
    await this.server.stop();
    // What is not published yet is published from the journal at the next start.
    await this.publisher.stop();
    // The actors' last snapshots are still written under the leases; then the leases go.
    await this.node.stop();
    await this.leases.stop();
    await this.directory.stop();
    this.stopSubscriptions();
    await this.simDate?.stop();
    this.leaseWatch.stop();
  }
}

/**
 * Lending's start-up steps (FundcoreNode.ready: the pool shard count, the simulated date,
 * the system accounts, the index backfill), asked wherever their actors are served: retried
 * for as long as a partition they need has no owner (another node may be starting, or down:
 * this node still serves the ledger meanwhile), with a warning every `warnEveryMs`. A
 * refusal (a pool shard count other than the journal's) ends it. Then the system accounts
 * this node serves go to the cluster's directory.
 */
async function readyLending(
  node: FundcoreNode,
  directory: DirectoryReplica,
  local: Journal,
  isMine: (actorId: string) => boolean,
  wait: { readonly warnEveryMs: number; readonly signal: AbortSignal },
  logger: Logger,
): Promise<void> {
  let warnAt = Date.now() + wait.warnEveryMs;
  for (;;) {
    try {
      await node.ready(node.bus);
      break;
    } catch (error) {
      if (!isRuntimeError(error) || wait.signal.aborted) throw error;
      if (Date.now() >= warnAt) {
        logger.warn({ code: error.code, detail: error.message }, 'lending is still not ready: a partition it needs is not served; retrying');
        warnAt = Date.now() + wait.warnEveryMs;
      }
      await new Promise((resolve) => setTimeout(resolve, readyRetryMs));
    }
  }
  for (const id of Object.values(systemAccounts)) if (isMine(accountActorId(id))) await directory.publish(id, local);
}

/** The node serving the settings actor publishes every date it journals (and the current one at start). */
function publishSimDate(node: FundcoreNode, simDate: ReplicatedSimDate, isMine: (actorId: string) => boolean, logger: Logger): () => void {
  const publish = (date: BusinessDate) => simDate.publish(date).catch((error: unknown) => logger.error({ err: error, date }, 'sim date not published; the next change or restart publishes it'));
  const current = journaledSimDate(node.journal)();
  if (current !== undefined && isMine(settingsActorId)) void publish(current);
  return node.system.observe((actorId, events) => {
    if (actorId !== settingsActorId) return;
    for (const event of events as SettingsEvent[]) if (event.type === 'sim_date_set') void publish(event.data.date);
  });
}
