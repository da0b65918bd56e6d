import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { FundcoreNode, type NodeHealth } from '../actors/node.js';
import type { AccountLimits } from '../actors/account/account-behavior.js';
import { silentLogger, type Clock, type Logger, type Timers } from '../actors/runtime/clock.js';
import { defaultRuntimeLimits, type RuntimeLimits } from '../actors/runtime/limits.js';
import type { Journal } from '../persistence/journal.js';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import { CommandServer } from './command-server.js';
import { DirectoryReplica } from './directory-replica.js';
import { FencedJournal } from './fenced-journal.js';
import { checkLeaseLimits, defaultLeaseLimits, leaseBucketOptions, LeaseManager, type LeaseLimits } from './leases.js';
import { LeaseWatch } from './lease-watch.js';
import { NatsBus } from './nats-bus.js';
import { TransferClaims } from './transfer-claims.js';
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
  readonly transferIds: KV;
}

/** Creates (or opens) the cluster's KV buckets. */
export async function openBuckets(nc: NatsConnection, names: ClusterNames, leaseLimits: LeaseLimits): Promise<ClusterBuckets> {
  const kvm = new Kvm(nc);
  return {
    leases: await kvm.create(`${names.bucketPrefix}_leases`, leaseBucketOptions(leaseLimits)),
    homes: await kvm.create(`${names.bucketPrefix}_homes`, { history: 1 }),
    directory: await kvm.create(`${names.bucketPrefix}_directory`, { history: 1 }),
    transferIds: await kvm.create(`${names.bucketPrefix}_transfer_ids`, { history: 1 }),
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
  readonly nats: string;
}

const nodeIdMetaKey = 'cluster.nodeId';
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
  ) {}

  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    checkPartitionCount(options.partitionCount);
    const leaseLimits = { ...defaultLeaseLimits, ...options.leaseLimits };
    checkLeaseLimits(leaseLimits);
    const logger = options.logger ?? silentLogger;
    const inner = options.journal ?? new LmdbJournal({ path: join(options.dataDir ?? './data', 'journal') });
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
      local: { ask: async (actorId, message, timeoutMs) => (await built).system.ask(actorId, message, timeoutMs) },
      isLocal: (p) => leases.isServing(p),
      askTimeoutMs: limits.askTimeoutMs,
      leaseWatch,
    });
    const node = FundcoreNode.start({
      journal,
      bus,
      limits,
      logger,
      ...(options.accountLimits !== undefined ? { accountLimits: options.accountLimits } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
    });
    nodeBuilt(node);
    const republished = await directory.reconcile(inner, (accountId) => options.partitions.includes(partitionOfAccount(accountId, partitionCount)), directoryCatchUpMs);
    server = new CommandServer({
      nc,
      subjectPrefix: names.subjectPrefix,
      nodeId,
      ledger: node.ledger,
      system: node.system,
      journal,
      directory,
      claims: new TransferClaims(buckets.transferIds),
      leases,
      logger,
    });
    server.start();
    for (const p of leases.serving()) server.onLease(p, true);
    logger.info({ nodeId, partitions: formatPartitions(options.partitions), serving: formatPartitions(leases.serving()), republished }, 'cluster node started');
    return new ClusterNode(nodeId, node, journal, leases, server, directory, nc, bus, leaseWatch);
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
      nats: this.nc.isClosed() ? 'closed' : 'connected',
    };
  }

  /** Stops serving (unsubscribes), stops the actors and closes the journal, then stops renewing. */
  async stop(): Promise<void> {
    await this.server.stop();
    // The actors' last snapshots are still written under the leases; then the leases go.
    await this.node.stop();
    await this.leases.stop();
    await this.directory.stop();
    this.leaseWatch.stop();
  }
}
