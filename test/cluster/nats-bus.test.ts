import t, { type Test } from 'tap';
import type { AccountReading } from '../../actors/account/account-behavior.js';
import { systemCause } from '../../actors/runtime/cause.js';
import type { BusAsk } from '../../actors/runtime/relay.js';
import { gatewayBus, type NatsBus } from '../../cluster/nats-bus.js';
import { decode, encode, type ClusterCommand, type WireReply } from '../../cluster/wire.js';
import { partitionOfAccount, partitionOfActor } from '../../cluster/partitions.js';
import { awaitSettledMessage } from '../../actors/runtime/settle-waits.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { busContract } from '../actors/runtime/bus-contract.js';
import { range, startTestCluster, type TestCluster, type TestClusterOptions } from '../helpers/cluster.js';
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
  const { bus } = await fromNode0(t, { split: [range(0, 8)] });
  await t.rejects(bus.ask(`acct:${remoteId('f')}`, { type: 'get_account' }), { name: 'ActorRuntimeError', code: 'partition_unavailable' });
});

/** A test cluster (two nodes by default) and the bus of node 0, from which remoteId's accounts are over NATS. */
async function fromNode0(t: Test, options: TestClusterOptions = {}): Promise<{ cluster: TestCluster; bus: NatsBus }> {
  const cluster = await startTestCluster(t, nats, options);
  const bus = cluster.nodes[0]?.bus;
  if (bus === undefined) throw new Error('no node');
  return { cluster, bus };
}

/** Counts the requests for one actor on the cluster's command subjects, by op, as a passive listener. */
async function countRequests(t: Test, cluster: TestCluster, actorId: string): Promise<{ asksPerRequest: number[]; singles: number }> {
  const seen = { asksPerRequest: [] as number[], singles: 0 };
  const listener = await nats.connect('listener');
  t.teardown(() => listener.close());
  listener.subscribe(`${cluster.names.subjectPrefix}.>`, {
    callback: (_error, msg) => {
      let command: ClusterCommand;
      try {
        command = decode<ClusterCommand>(msg.data);
      } catch {
        return; // not a command (the cluster's other subjects)
      }
      if (command.op === 'actor_asks' && command.asks.some((ask) => ask.actorId === actorId)) seen.asksPerRequest.push(command.asks.length);
      if (command.op === 'actor_ask' && command.actorId === actorId) seen.singles++;
    },
  });
  await listener.flush();
  return seen;
}

const openAsk = (id: string): BusAsk => ({
  actorId: `acct:${id}`,
  message: { type: 'open_account', data: { id, kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 1, subIndex: 0, bufferCredits: false } },
  cause: systemCause,
});

t.test('given many asks of one remote partition, when asked at once, then they travel as one request and each gets its reply', async (t) => {
  const { cluster, bus } = await fromNode0(t);
  const id = remoteId('batch');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const asks = [openAsk(id), ...Array.from({ length: 19 }, (): BusAsk => ({ actorId: `acct:${id}`, message: { type: 'get_account' }, cause: systemCause }))];
  const replies = await Promise.all(bus.askMany(asks));
  t.equal(replies.filter((reply) => reply.ok).length, 20, 'every ask answered');
  t.same(seen.asksPerRequest, [20], 'one request carried all twenty');
  t.equal(seen.singles, 0);
});

t.test('given asks larger than a request may be, when asked at once, then they are split and each still gets its reply', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const bus = gatewayBus({ nc: cluster.gatewayConnection, subjectPrefix: cluster.names.subjectPrefix, partitionCount: 16, askTimeoutMs: 10_000, askBatch: { itemsMax: 8, bytesMax: 1_000 } });
  const id = remoteId('split');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const reads = Array.from({ length: 20 }, (): BusAsk => ({ actorId: `acct:${id}`, message: { type: 'get_account', padding: 'x'.repeat(100) }, cause: systemCause }));
  const replies = await Promise.all(bus.askMany([openAsk(id), ...reads]));
  t.ok(replies[0]?.ok, 'opened');
  t.equal(replies.slice(1).filter((reply) => reply.ok && (reply.value as AccountReading).state.info?.id === id).length, 20, 'every read answered, after the open');
  t.equal(
    seen.asksPerRequest.reduce((sum, n) => sum + n, 0),
    21,
    'all asks sent once',
  );
  t.ok(seen.asksPerRequest.length >= 3 && seen.asksPerRequest.every((n) => n <= 8), `split by count and size: ${seen.asksPerRequest.join(', ')}`);
});

t.test('given a batch to a partition nobody serves, when asked, then every ask of it fails partition_unavailable and the served ones are answered', async (t) => {
  const { bus } = await fromNode0(t, { split: [range(0, 8)] });
  const local = `local-${Array.from({ length: 100 }, (_, i) => i).find((i) => partitionOfAccount(`local-${i}`, 16) < 8)}`;
  const [unserved, served] = bus.askMany([openAsk(remoteId('nobody')), openAsk(local)]);
  await t.rejects(unserved as Promise<unknown>, { name: 'ActorRuntimeError', code: 'partition_unavailable' });
  t.ok((await served)?.ok, 'the ask of a served partition is answered');
});

t.test('given single asks of one remote partition in one turn, when asked, then they leave as one request in their order; a held wait leaves alone', async (t) => {
  const { cluster, bus } = await fromNode0(t);
  const id = remoteId('turn');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const opened = bus.ask(openAsk(id).actorId, openAsk(id).message);
  const reads = Array.from({ length: 9 }, () => bus.ask(`acct:${id}`, { type: 'get_account' }));
  t.ok((await opened).ok);
  const readings = await Promise.all(reads);
  t.equal(readings.filter((reply) => reply.ok && (reply.value as AccountReading).state.info?.id === id).length, 9, 'every read sees the open asked before it');
  t.same(seen.asksPerRequest, [10], 'the ten asks of the turn left as one request');
  const close = `hclose:${Array.from({ length: 100 }, (_, i) => `w${i}`).find((name) => partitionOfActor(`hclose:${name}`, 16) >= 8)}`;
  const seenWait = await countRequests(t, cluster, close);
  const waited = await bus.ask(close, awaitSettledMessage);
  t.ok(waited.ok, 'the wait is answered');
  t.same([seenWait.singles, seenWait.asksPerRequest.length], [1, 0], 'the wait left alone');
});

t.test('given coalescing off, when single asks are made in one turn, then each is its own request', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const bus = gatewayBus({ nc: cluster.gatewayConnection, subjectPrefix: cluster.names.subjectPrefix, partitionCount: 16, askTimeoutMs: 10_000, askBatch: { coalesce: false } });
  const id = remoteId('alone');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const replies = await Promise.all([bus.ask(openAsk(id).actorId, openAsk(id).message), bus.ask(`acct:${id}`, { type: 'get_account' })]);
  t.ok(replies.every((reply) => reply.ok));
  t.same([seen.singles, seen.asksPerRequest.length], [2, 0]);
});

t.test('given asks of one partition with different timeouts in one turn, when asked, then each timeout travels in its own request, in order', async (t) => {
  const { cluster, bus } = await fromNode0(t);
  const id = remoteId('timeouts');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const replies = await Promise.all([
    bus.ask(openAsk(id).actorId, openAsk(id).message, 5_000),
    bus.ask(`acct:${id}`, { type: 'get_account' }, 5_000),
    bus.ask(`acct:${id}`, { type: 'get_account' }, 7_000),
  ]);
  t.ok(replies.every((reply) => reply.ok));
  t.ok(replies[2]?.ok && (replies[2].value as AccountReading).state.info?.id === id, 'the last still sees the open');
  t.same([seen.asksPerRequest, seen.singles], [[2], 1], 'the two of 5 s together, the one of 7 s alone');
});

t.test('given a malformed batch of asks, when a node receives it, then it answers internal_error and keeps serving', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const id = remoteId('malformed');
  const partition = partitionOfActor(`acct:${id}`, 16);
  const reply = await cluster.gatewayConnection.request(`${cluster.names.subjectPrefix}.cmd.${partition}`, encode({ op: 'actor_asks', asks: 'not a list' }), { timeout: 5_000 });
  t.match(decode<WireReply>(reply.data), { failure: { code: 'internal_error' } });
  t.ok((await cluster.bus.ask(openAsk(id).actorId, openAsk(id).message)).ok, 'the partition still serves');
});
