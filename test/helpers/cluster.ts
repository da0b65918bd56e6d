import type { NatsConnection } from '@nats-io/transport-node';
import type { Test } from 'tap';
import { LedgerService } from '../../actors/ledger/ledger-service.js';
import { gatewayBus, type NatsBus, type RoutingLimits } from '../../cluster/nats-bus.js';
import { defaultRuntimeLimits } from '../../actors/runtime/limits.js';
import { ClusterNode, clusterNames, type ClusterNames, type ClusterNodeOptions } from '../../cluster/cluster-node.js';
import type { LeaseLimits } from '../../cluster/leases.js';
import type { Journal } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { uniqueName, type NatsServer } from './nats-server.js';

/** Short leases for tests: expiry within seconds, renewals several times a second. */
export const testLeaseLimits: LeaseLimits = { leaseTtlMs: 2_000, leaseRenewEveryMs: 300, leaseSafetyMarginMs: 200, leaseCheckEveryMs: 50 };

export interface TestCluster {
  readonly names: ClusterNames;
  readonly partitionCount: number;
  readonly nodes: ClusterNode[];
  readonly journals: Journal[];
  /** A gateway's view: the ledger service over a bus that reaches every actor over NATS. */
  readonly ledger: LedgerService;
  readonly bus: NatsBus;
  readonly gatewayConnection: NatsConnection;
}

export interface TestClusterOptions {
  readonly partitionCount?: number;
  /** The partitions of each node; by default two nodes splitting the range in halves. */
  readonly split?: readonly (readonly number[])[];
  readonly journals?: readonly Journal[];
  readonly node?: Partial<ClusterNodeOptions>;
  readonly routing?: Partial<RoutingLimits>;
}

export function range(from: number, toExclusive: number): number[] {
  return Array.from({ length: toExclusive - from }, (_, i) => from + i);
}

/** Nodes in this process, each with its own NATS connection and journal, and a routing ledger. */
export async function startTestCluster(t: Test, nats: NatsServer, options: TestClusterOptions = {}): Promise<TestCluster> {
  const partitionCount = options.partitionCount ?? 16;
  const split = options.split ?? [range(0, partitionCount / 2), range(partitionCount / 2, partitionCount)];
  const names = clusterNames(uniqueName());
  const journals = split.map((_, i) => options.journals?.[i] ?? new MemoryJournal());
  const nodes: ClusterNode[] = [];
  for (const [i, partitions] of split.entries()) {
    const nc = await nats.connect(`node-${i}`);
    nodes.push(
      await ClusterNode.start({
        nc,
        names,
        partitionCount,
        partitions,
        nodeId: `node-${i}`,
        journal: journals[i] as Journal,
        leaseLimits: testLeaseLimits,
        ...options.node,
      }),
    );
  }
  const gatewayConnection = await nats.connect('gateway');
  const bus = gatewayBus({ nc: gatewayConnection, subjectPrefix: names.subjectPrefix, partitionCount, askTimeoutMs: defaultRuntimeLimits.askTimeoutMs, routing: { routeDeadlineMs: 3_000, ...options.routing } });
  const ledger = new LedgerService(bus, () => false);
  t.teardown(async () => {
    for (const node of nodes) await node.stop().catch(() => {});
  });
  return { names, partitionCount, nodes, journals, ledger, bus, gatewayConnection };
}
