import fc from 'fast-check';
import t from 'tap';
import { partitionOfAccount, partitionOfActor } from '../../cluster/partitions.js';
import type { JournalReader } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { range, startTestCluster, type TestCluster } from '../helpers/cluster.js';
import { FakeTime, settle } from '../helpers/fake-time.js';
import { accountIds, runLedgerScenario, scenario, type Command, type Layout } from '../helpers/ledger-scenario.js';
import { startNats } from '../helpers/nats-server.js';

const nats = await startNats(t);
const partitionCount = 16;

/** Every journal read as one: an actor's events are in exactly one of them. */
function readAll(journals: readonly JournalReader[]): JournalReader {
  const first = <T>(read: (j: JournalReader) => T | undefined): T | undefined => {
    for (const journal of journals) {
      const value = read(journal);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  return {
    headSeq: (actorId) => Math.max(...journals.map((j) => j.headSeq(actorId))),
    readSnapshot: (actorId) => first((j) => j.readSnapshot(actorId)),
    *readEvents(actorId, fromSeq) {
      for (const journal of journals) yield* journal.readEvents(actorId, fromSeq);
    },
    getIndex: (index, key) => first((j) => j.getIndex(index, key)),
    *scanIndex(index, prefix) {
      for (const journal of journals) yield* journal.scanIndex(index, prefix);
    },
    *readLog(fromPosition) {
      for (const journal of journals) yield* journal.readLog(fromPosition);
    },
    lastLogPosition: () => Math.max(...journals.map((j) => j.lastLogPosition())),
    listActorIds: (query) => [...new Set(journals.flatMap((j) => j.listActorIds(query)))].sort().slice(0, query.limit),
    getMeta: (key) => first((j) => j.getMeta(key)),
  };
}

async function drain(cluster: TestCluster, time: FakeTime): Promise<void> {
  for (let round = 0; round < 5_000; round++) {
    await settle();
    if (time.hasDue()) {
      time.advance(0);
      continue;
    }
    const busy = cluster.nodes.some((node) => node.system.anyBusy() || node.system.relay.backlog > 0);
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('the cluster did not come to rest');
}

/**
 * The ledger property of test/actors/ledger-properties.test.ts, with the accounts spread
 * over two nodes (which account lives where is drawn too) and every command routed as a
 * gateway would: over NATS to the partition of the account that decides it. Money is
 * checked from both journals read together after every step.
 */
async function runClusterScenario(commands: Command[], onNode1: readonly boolean[], layout: Layout): Promise<void> {
  const node1 = accountIds.filter((_, i) => onNode1[i] === true).map((id) => partitionOfAccount(id, partitionCount));
  const split = [range(0, partitionCount).filter((p) => !node1.includes(p)), node1];
  const time = new FakeTime();
  const journals = [new MemoryJournal(), new MemoryJournal()];
  const stops: (() => Promise<void>)[] = [];
  const scope = { teardown: (stop: () => Promise<void>) => stops.push(stop) } as unknown as Parameters<typeof startTestCluster>[0];
  const cluster = await startTestCluster(scope, nats, {
    partitionCount,
    split,
    journals,
    node: { clock: time, timers: time, limits: { snapshotEveryEvents: 4 }, accountLimits: { bufferFlushCreditsMax: 3, bufferFlushIntervalMs: 0 } },
  });
  const nodeOf = (actorId: string) => cluster.nodes[node1.includes(partitionOfActor(actorId, partitionCount)) ? 1 : 0];
  await runLedgerScenario(
    {
      ledger: cluster.ledger,
      journal: readAll(journals),
      time,
      drain: () => drain(cluster, time),
      inspect: (actorId) => nodeOf(actorId)?.system.inspect(actorId),
      stop: async () => {
        for (const stop of stops) await stop();
      },
    },
    commands,
    layout,
  );
}

const placement = fc.array(fc.boolean(), { minLength: accountIds.length, maxLength: accountIds.length });

t.test('property: random ledger traffic over two nodes matches the model and keeps money whole (plain accounts)', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, placement, async (commands, onNode1) => runClusterScenario(commands, onNode1, { parts: { bank: 1, a: 1, b: 1 }, buffered: new Set() })),
    { numRuns: 60 },
  );
});

t.test('property: the same with hot and buffering accounts over two nodes', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, placement, fc.integer({ min: 1, max: 4 }), fc.boolean(), async (commands, onNode1, partsA, bufferB) =>
      runClusterScenario(commands, onNode1, { parts: { bank: 1, a: partsA, b: 1 }, buffered: new Set(bufferB ? ['b'] : []) }),
    ),
    { numRuns: 40 },
  );
});
