import t from 'tap';
import { partitionOfAccount } from '../../cluster/partitions.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { busContract } from '../actors/runtime/bus-contract.js';
import { range, startTestCluster } from '../helpers/cluster.js';
import { InstrumentedJournal } from '../helpers/journals.js';
import { startNats } from '../helpers/nats-server.js';

const nats = await startNats(t);

/** An id of an account on partitions 8..15 (node 1), asked from node 0's bus: always over NATS. */
function remoteId(name: string): string {
  for (let i = 0; ; i++) if (partitionOfAccount(`${name}-${i}`, 16) >= 8) return `${name}-${i}`;
}

busContract(t, async () => {
  const held = new InstrumentedJournal(new MemoryJournal());
  const cluster = await startTestCluster(t, nats, { journals: [new MemoryJournal(), held] });
  const from = cluster.nodes[0];
  if (from === undefined) throw new Error('no node');
  return { bus: from.bus, accountId: remoteId, hold: () => held.hold(), release: () => held.release() };
});

t.test('an actor on a partition nobody serves: partition_unavailable (it never ran)', async (t) => {
  const cluster = await startTestCluster(t, nats, { split: [range(0, 8)] });
  const bus = cluster.nodes[0]?.bus;
  if (bus === undefined) throw new Error('no node');
  await t.rejects(bus.ask(`acct:${remoteId('f')}`, { type: 'get_account' }), { name: 'ActorRuntimeError', code: 'partition_unavailable' });
});
