import t, { type Test } from 'tap';
import type { AccountReading } from '../../actors/account/account-behavior.js';
import { systemCause } from '../../actors/runtime/cause.js';
import type { BusAsk } from '../../actors/runtime/relay.js';
import { gatewayBus, type NatsBus } from '../../cluster/nats-bus.js';
import { decode, encode, type ClusterCommand, type NodeAsks, type WireReply } from '../../cluster/wire.js';
import { nodeCommandSubject, partitionOfAccount, partitionOfActor } from '../../cluster/partitions.js';
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
async function countRequests(t: Test, cluster: TestCluster, actorId: string): Promise<{ asksPerRequest: number[]; singles: number; nodeAsks: number[]; caughtUp(): Promise<void> }> {
  const listener = await nats.connect('listener');
  // A round trip on the listener's connection: every request sent before has reached its callback.
  const seen = { asksPerRequest: [] as number[], singles: 0, nodeAsks: [] as number[], caughtUp: () => listener.flush() };
  t.teardown(() => listener.close());
  listener.subscribe(`${cluster.names.subjectPrefix}.>`, {
    callback: (_error, msg) => {
      let command: ClusterCommand | NodeAsks;
      try {
        command = decode<ClusterCommand | NodeAsks>(msg.data);
      } catch {
        return; // not a command (the cluster's other subjects)
      }
      if (command.op === 'actor_asks' && command.asks.some((ask) => ask.actorId === actorId)) seen.asksPerRequest.push(command.asks.length);
      if (command.op === 'actor_ask' && command.actorId === actorId) seen.singles++;
      if (command.op === 'node_asks' && command.asks.some((ask) => ask.actorId === actorId)) seen.nodeAsks.push(command.asks.length);
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
  await seen.caughtUp();
  // To its partition's subject, or (once node 0 has seen who serves it) to that node's.
  t.same([...seen.asksPerRequest, ...seen.nodeAsks], [20], 'one request carried all twenty');
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
  await seen.caughtUp();
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

t.test('given single asks of one remote partition in one turn and its node not known, when asked, then they leave as one request in their order; a held wait leaves alone', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const bus = gatewayBus({ nc: cluster.gatewayConnection, subjectPrefix: cluster.names.subjectPrefix, partitionCount: 16, askTimeoutMs: 10_000 });
  const id = remoteId('turn');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const opened = bus.ask(openAsk(id).actorId, openAsk(id).message);
  const reads = Array.from({ length: 9 }, () => bus.ask(`acct:${id}`, { type: 'get_account' }));
  t.ok((await opened).ok);
  const readings = await Promise.all(reads);
  t.equal(readings.filter((reply) => reply.ok && (reply.value as AccountReading).state.info?.id === id).length, 9, 'every read sees the open asked before it');
  await seen.caughtUp();
  t.same(seen.asksPerRequest, [10], 'the ten asks of the turn left as one request');
  const close = `hclose:${Array.from({ length: 100 }, (_, i) => `w${i}`).find((name) => partitionOfActor(`hclose:${name}`, 16) >= 8)}`;
  const seenWait = await countRequests(t, cluster, close);
  const waited = await bus.ask(close, awaitSettledMessage);
  t.ok(waited.ok, 'the wait is answered');
  await seenWait.caughtUp();
  t.same([seenWait.singles, seenWait.asksPerRequest.length], [1, 0], 'the wait left alone');
});

t.test('given coalescing off, when single asks are made in one turn, then each is its own request', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const bus = gatewayBus({ nc: cluster.gatewayConnection, subjectPrefix: cluster.names.subjectPrefix, partitionCount: 16, askTimeoutMs: 10_000, askBatch: { coalesce: false } });
  const id = remoteId('alone');
  const seen = await countRequests(t, cluster, `acct:${id}`);
  const replies = await Promise.all([bus.ask(openAsk(id).actorId, openAsk(id).message), bus.ask(`acct:${id}`, { type: 'get_account' })]);
  t.ok(replies.every((reply) => reply.ok));
  await seen.caughtUp();
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
  await seen.caughtUp();
  t.same([seen.nodeAsks, seen.singles], [[2], 1], 'the two of 5 s together (to the node serving them), the one of 7 s alone');
});

t.test('given a malformed batch of asks, when a node receives it, then it answers internal_error and keeps serving', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const id = remoteId('malformed');
  const partition = partitionOfActor(`acct:${id}`, 16);
  const reply = await cluster.gatewayConnection.request(`${cluster.names.subjectPrefix}.cmd.${partition}`, encode({ op: 'actor_asks', asks: 'not a list' }), { timeout: 5_000 });
  t.match(decode<WireReply>(reply.data), { failure: { code: 'internal_error' } });
  t.ok((await cluster.bus.ask(openAsk(id).actorId, openAsk(id).message)).ok, 'the partition still serves');
});

/** Two accounts on different partitions of node 1 (partitions 8..15 of 16). */
function twoPartitionsOfNode1(name: string): [string, string] {
  const first = remoteId(`${name}a`);
  for (let i = 0; ; i++) {
    const other = remoteId(`${name}b${i}`);
    if (partitionOfAccount(other, 16) !== partitionOfAccount(first, 16)) return [first, other];
  }
}

const nodeBus = (cluster: TestCluster, ownerOf: (partition: number) => string | null) =>
  gatewayBus({ nc: cluster.gatewayConnection, subjectPrefix: cluster.names.subjectPrefix, partitionCount: 16, askTimeoutMs: 10_000, ownerOf });

t.test('given asks of several partitions one node serves, when asked at once, then they travel as one request to that node and each gets its reply in order', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const [a, b] = twoPartitionsOfNode1('pair');
  const seen = await countRequests(t, cluster, `acct:${a}`);
  const bus = nodeBus(cluster, (partition) => (partition >= 8 ? 'node-1' : 'node-0'));
  const get = (id: string): BusAsk => ({ actorId: `acct:${id}`, message: { type: 'get_account' }, cause: systemCause });
  const replies = await Promise.all(bus.askMany([openAsk(a), openAsk(b), get(a), get(b)]));
  t.ok(replies[0]?.ok && replies[1]?.ok, 'both opened');
  t.same(
    [replies[2], replies[3]].map((reply) => (reply?.ok ? (reply.value as AccountReading).state.info?.id : null)),
    [a, b],
    'each read answers for its own account, after its open',
  );
  await seen.caughtUp();
  t.same([seen.nodeAsks, seen.asksPerRequest, seen.singles], [[4], [], 0], 'one node_asks request carried the four');
});

t.test('given asks sent to a node that does not serve their partition, when asked, then they fail partition_unavailable and nothing is written', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const [a, b] = twoPartitionsOfNode1('stale');
  const misrouted = nodeBus(cluster, () => 'node-0');
  for (const reply of misrouted.askMany([openAsk(a), openAsk(b)])) await t.rejects(reply, { name: 'ActorRuntimeError', code: 'partition_unavailable' });
  for (const id of [a, b]) {
    const read = await cluster.bus.ask(`acct:${id}`, { type: 'get_account' });
    t.ok(read.ok && (read.value as AccountReading).state.info === null, `${id} was not opened`);
  }
});

t.test('given single asks of partitions one node serves in one turn, when a gateway asks, then they leave as one request to that node, in order', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const [a, b] = twoPartitionsOfNode1('turnnode');
  const seen = await countRequests(t, cluster, `acct:${a}`);
  const bus = nodeBus(cluster, (partition) => (partition >= 8 ? 'node-1' : 'node-0'));
  const opened = [a, b].map((id) => bus.ask(openAsk(id).actorId, openAsk(id).message));
  const reads = [a, b].map((id) => bus.ask(`acct:${id}`, { type: 'get_account' }));
  t.ok((await Promise.all(opened)).every((reply) => reply.ok), 'both opened');
  t.same((await Promise.all(reads)).map((reply) => (reply.ok ? (reply.value as AccountReading).state.info?.id : null)), [a, b], 'each read sees the open asked before it');
  await seen.caughtUp();
  t.same([seen.nodeAsks, seen.asksPerRequest, seen.singles], [[4], [], 0], 'one node_asks request carried the four');
});

t.test('given a gateway whose view of the owner is stale, when its single asks reach a node that does not serve their partitions, then each is asked again on its partition and answered', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const [a, b] = twoPartitionsOfNode1('moved');
  const seen = await countRequests(t, cluster, `acct:${a}`);
  const stale = nodeBus(cluster, () => 'node-0');
  const replies = await Promise.all([a, b].map((id) => stale.ask(openAsk(id).actorId, openAsk(id).message)));
  t.ok(replies.every((reply) => reply.ok), 'both opened, by the node that serves them');
  await seen.caughtUp();
  t.same([seen.nodeAsks, seen.singles], [[2], 1], 'sent to the stale owner together (which wrote nothing: see above), then again alone on the partition');
});

t.test('given a malformed node_asks, when the node receives it, then it answers internal_error and keeps serving', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const reply = await cluster.gatewayConnection.request(nodeCommandSubject(cluster.names.subjectPrefix, 'node-1'), encode({ op: 'node_asks', asks: [{ actorId: 'acct:x', message: null, timeoutMs: 1 }] }), { timeout: 5_000 });
  t.match(decode<WireReply>(reply.data), { failure: { code: 'internal_error' } });
  const [a] = twoPartitionsOfNode1('after');
  t.ok((await Promise.all(nodeBus(cluster, () => 'node-1').askMany([openAsk(a)])))[0]?.ok, 'the node still serves');
});
