import t, { type Test } from 'tap';
import { claimId, transferOwnerActorId } from '../../../actors/ledger/id-owners.js';
import { FundcoreNode } from '../../../actors/node.js';
import type { ActorBehavior, ActorReply, Delivery } from '../../../actors/runtime/behavior.js';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { runWithCause, systemCause } from '../../../actors/runtime/cause.js';
import { counterBehavior } from '../../helpers/counter-behavior.js';
import { ActorRuntimeError } from '../../../actors/runtime/errors.js';
import type { Bus, BusAsk } from '../../../actors/runtime/relay.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { balanceOf, openAccount, quiescent, transfer } from '../../helpers/ledger.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { InstrumentedJournal } from '../../helpers/journals.js';

/** A bus that can be cut: deliveries fail (as across a dead link) until it is restored. */
class CuttableBus implements Bus {
  target: Bus | null = null;
  cut = false;
  ask(actorId: string, message: unknown): Promise<ActorReply> {
    if (this.cut || this.target === null) return Promise.reject(new ActorRuntimeError('actor_unavailable', 'link cut'));
    return this.target.ask(actorId, message);
  }
}

t.test('a credit not delivered before a crash is delivered once after the restart', async (t) => {
  const journal = new MemoryJournal();
  let node = FundcoreNode.start({ journal });
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await node.ledger.createTransfer(transfer('d1', 'bank', 'w1', '10.00'));
  await quiescent(node);
  // Cut the relay's link, debit, and "crash": the credit is journaled as owed, not delivered.
  const bus = new CuttableBus();
  await node.stop();
  const reopened = journal.reopen();
  node = FundcoreNode.start({ journal: reopened, bus });
  bus.target = node.system;
  bus.cut = true;
  const debit = await node.ledger.createTransfer(transfer('d2', 'bank', 'w1', '5.00'));
  t.ok(debit.ok, 'the debit is acknowledged');
  await settle();
  const inFlight = await node.ledger.getTransfer('d2');
  t.ok(inFlight.ok && inFlight.value.credit === null, 'its credit is in flight');
  // Crash without stopping: nothing is saved beyond what the journal already has.
  const afterCrash = reopened.reopen();
  const restarted = FundcoreNode.start({ journal: afterCrash });
  await quiescent(restarted);
  t.equal(await balanceOf(restarted, 'w1'), 1500n, 'credited once');
  t.equal(await balanceOf(restarted, 'bank'), -1500n);
  await restarted.stop();
  // Redeliver the whole log: the credit side dedupes by transfer id, nothing changes.
  const replayed = afterCrash.reopen();
  replayed.putMeta('relay.cursor', 1);
  const again = FundcoreNode.start({ journal: replayed });
  t.teardown(() => again.stop());
  await quiescent(again);
  // Two credits, and the opens of w1 and bank their ids' bindings oblige (duplicates now).
  t.equal(again.system.relay.stats().delivered, 4, 'both credits were delivered again');
  t.equal(await balanceOf(again, 'w1'), 1500n, 'and deduped');
});

/** A node whose relay delivers over the bus (which reaches the node's actors), with a bank account open. */
async function nodeOver(t: Test, bus: Bus & { target: Bus | null }): Promise<FundcoreNode> {
  const node = FundcoreNode.start({ journal: new MemoryJournal(), bus });
  t.teardown(() => node.stop());
  bus.target = node.system;
  await openAccount(node, 'bank', 'bank_settlement', true);
  return node;
}

t.test('a refused credit comes back to the debit account as a journaled return', async (t) => {
  const bus = new CuttableBus();
  const node = await nodeOver(t, bus);
  await openAccount(node, 'A');
  await openAccount(node, 'B');
  await node.ledger.createTransfer(transfer('fund', 'bank', 'A', '50.00'));
  await quiescent(node);
  bus.cut = true;
  const sent = await node.ledger.createTransfer(transfer('t1', 'A', 'B', '20.00'));
  t.ok(sent.ok);
  const closed = await node.ledger.closeAccount('B');
  t.ok(closed.ok, 'B closes while the credit is in flight');
  bus.cut = false;
  await quiescent(node);
  const status = await node.ledger.getTransfer('t1');
  t.equal(status.ok && status.value.record.status, 'returned');
  t.equal(status.ok && status.value.record.returnCode, 'credit_account_closed');
  t.equal(await balanceOf(node, 'A'), 5000n, 'the money is back');
});

t.test('a debit written though its journal write was reported failed still gets its credit delivered', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const node = FundcoreNode.start({ journal });
  t.teardown(() => node.stop());
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  // The id bound at its owner first, so the next append is the debit's.
  t.ok((await node.system.ask(transferOwnerActorId('d1'), claimId('d1', 'bank'))).ok);
  journal.failNext({ written: true });
  await t.rejects(node.ledger.createTransfer(transfer('d1', 'bank', 'w1', '3.00')), { code: 'journal_failed' });
  await quiescent(node);
  t.equal(await balanceOf(node, 'w1'), 300n, 'the credit arrived without waiting for a restart');
  const retry = await node.ledger.createTransfer(transfer('d1', 'bank', 'w1', '3.00'));
  t.ok(retry.ok, 'the client retry finds the transfer done');
  await quiescent(node);
  t.equal(await balanceOf(node, 'w1'), 300n, 'and it is not applied twice');
});

t.test('a saga step: the reply of one delivery becomes the next delivery (onAccepted)', async (t) => {
  const saga = sagaSending([
    {
      to: 'counter:a',
      message: { type: 'add', n: 5 },
      onRefused: null,
      onAccepted: (total) => ({ to: 'counter:b', message: { type: 'add', n: (total as number) * 10 }, onRefused: null }),
    },
  ]);
  const system = new ActorSystem({ journal: new MemoryJournal(), behaviors: [saga, counterBehavior] });
  system.start();
  t.teardown(() => system.stop());
  await system.ask('saga:1', { type: 'go' });
  for (let i = 0; i < 50 && system.relay.backlog > 0; i++) await settle();
  const b = (await system.ask('counter:b', { type: 'get' })) as ActorReply<{ total: number }>;
  t.equal(b.ok && b.value.total, 50, 'the second step got the first step\'s reply');
  t.same(system.relay.stats().cursor, 4, 'three appends (saga, a, b), all delivered: the cursor is past them');
});

t.test('given a debit asked on behalf of a client, when its credit is delivered only after a crash, then the credit still names the client, the request and the order', async (t) => {
  const journal = new MemoryJournal();
  const bus = new CuttableBus();
  const node = FundcoreNode.start({ journal, bus });
  bus.target = node.system;
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await quiescent(node);
  bus.cut = true;
  const client = { who: 'client:0123456789ab', requestId: 'req-7', orderId: 'd7' };
  const debit = await runWithCause({ ...client }, () => node.ledger.createTransfer(transfer('d7', 'bank', 'w1', '7.00')));
  t.ok(debit.ok);
  await settle();
  const restarted = FundcoreNode.start({ journal: journal.reopen() });
  t.teardown(() => restarted.stop());
  await quiescent(restarted);
  const entries = [...restarted.journal.readLog(1)];
  const debited = entries.find((entry) => entry.actorId === 'acct:bank' && entry.count === 1 && entry.firstSeq > 1);
  const credited = entries.filter((entry) => entry.actorId === 'acct:w1').pop();
  t.same(debited?.causes, [{ ...client, count: 1 }], 'the debit names the client');
  t.same(credited?.causes, [{ ...client, count: 1 }], 'the credit, redelivered from the log, names the client too');
  t.ok(typeof credited?.at === 'number');
});

/** A bus that carries many asks in one call (as NATS does), recording each call's asks. */
class BatchingBus implements Bus {
  target: Bus | null = null;
  readonly calls: BusAsk[][] = [];
  failing: string | null = null;
  ask(actorId: string, message: unknown): Promise<ActorReply> {
    return this.answer({ actorId, message, cause: systemCause });
  }
  askMany(asks: readonly BusAsk[]): Promise<ActorReply>[] {
    this.calls.push([...asks]);
    return asks.map((ask) => this.answer(ask));
  }
  private answer({ actorId, message }: BusAsk): Promise<ActorReply> {
    if (this.target === null || actorId === this.failing) return Promise.reject(new ActorRuntimeError('actor_unavailable', 'link cut'));
    return this.target.ask(actorId, message);
  }
}

t.test('given a batch of transfers debited in one append, when the relay delivers their credits, then they leave in one call of askMany and each is settled on its own', async (t) => {
  const bus = new BatchingBus();
  const node = await nodeOver(t, bus);
  const wallets = Array.from({ length: 10 }, (_, i) => `bw${i}`);
  for (const wallet of wallets) await openAccount(node, wallet);
  await quiescent(node);
  // One wallet's link is cut: its credit fails alone and is retried; the others land.
  bus.failing = 'acct:bw3';
  const sent = await node.ledger.createTransfers(wallets.map((wallet, i) => transfer(`bt${i}`, 'bank', wallet, '1.00')));
  t.ok(sent.every((reply) => reply.ok), 'all ten debited');
  await settle();
  const creditCalls = bus.calls.map((asks) => asks.filter((ask) => (ask.message as { type: string }).type === 'credit_transfer').length);
  t.ok(Math.max(...creditCalls) >= 2, `credits debited together left together (credits per call: ${creditCalls.filter((n) => n > 0).join(', ')})`);
  t.equal(await balanceOf(node, 'bw0'), 100n, 'a credit of the batch landed');
  t.equal(await balanceOf(node, 'bw3'), 0n, 'the cut one has not');
  bus.failing = null;
  await quiescent(node);
  t.equal(await balanceOf(node, 'bw3'), 100n, 'and lands once the link is back');
  t.equal(node.system.relay.stats().backlog, 0);
});

t.test('given a delivery refused "not yet" (retryOnRefusal), when the receiver can take it later, then the relay asks again until it is accepted; any other refusal is the answer', async (t) => {
  const time = new FakeTime();
  const waiting: Delivery = { to: 'counter:pool', message: { type: 'add', n: -5 }, onRefused: () => tell('counter:refusals'), retryOnRefusal: ['would_go_negative'] };
  const plain: Delivery = { to: 'counter:other', message: { type: 'add', n: -5 }, onRefused: () => tell('counter:refusals') };
  const saga = sagaSending([waiting, plain]);
  const system = new ActorSystem({ journal: new MemoryJournal(), behaviors: [saga, counterBehavior], clock: time, timers: time });
  system.start();
  t.teardown(() => system.stop());
  await system.ask('saga:1', { type: 'go' });
  for (let ms = 0; ms < 1_000; ms += 50) await advanced(time, 50);
  t.equal(await totalOf(system, 'counter:refusals'), 1, 'the plain delivery\'s refusal was its answer: its onRefused followed, once');
  t.equal(system.relay.stats().refusedForNow, 1, 'the other waits, refused for now');
  t.equal(system.relay.backlog, 1);
  await system.ask('counter:pool', { type: 'add', n: 3 });
  await system.ask('counter:pool', { type: 'add', n: 2 });
  for (let ms = 0; ms < 10_000 && system.relay.backlog > 0; ms += 50) await advanced(time, 50);
  t.equal(await totalOf(system, 'counter:pool'), 0, 'asked again once the receiver could take it: accepted');
  t.equal(await totalOf(system, 'counter:refusals'), 1, 'its onRefused never followed');
  t.same([system.relay.stats().refusedForNow, system.relay.backlog], [0, 0], 'nothing left waiting');
});

/** An actor whose every message is one event that obliges the node to send `deliveries`. */
function sagaSending(deliveries: readonly Delivery[]): ActorBehavior<number, { type: 'started' }> {
  return {
    type: 'saga',
    initialState: () => 0,
    isQuery: () => false,
    query: () => ({ ok: true, value: null }),
    indexWritesOf: () => [],
    wakeMessage: () => null,
    handle: () => ({ events: [{ type: 'started' }], reply: { ok: true, value: null } }),
    evolve: (n) => n + 1,
    assertInvariants: () => {},
    wakeAt: () => null,
    deliveriesOf: () => deliveries,
  };
}

function tell(to: string): Delivery {
  return { to, message: { type: 'add', n: 1 }, onRefused: null };
}

async function advanced(time: FakeTime, ms: number): Promise<void> {
  time.advance(ms);
  await settle();
}

async function totalOf(system: ActorSystem, id: string): Promise<number> {
  const reply = (await system.ask(id, { type: 'get' })) as ActorReply<{ total: number }>;
  return reply.ok ? reply.value.total : -1;
}

/** A delivery that only says something happened: coalesced by its key. */
function word(to: string): Delivery {
  return { to, message: { type: 'add', n: 1 }, onRefused: null, coalesceKey: 'word' };
}

t.test('given deliveries that only say something happened (a coalesce key), when they leave together, then the receiver is asked once for them and each is done', async (t) => {
  const bus = new BatchingBus();
  const saga = sagaSending([word('counter:book'), word('counter:book'), tell('counter:book'), word('counter:other')]);
  const journal = new MemoryJournal();
  const system = new ActorSystem({ journal, behaviors: [saga, counterBehavior], bus });
  bus.target = system;
  system.start();
  t.teardown(() => system.stop());
  await system.ask('saga:1', { type: 'go' });
  for (let i = 0; i < 50 && system.relay.backlog > 0; i++) await settle();
  t.equal(await totalOf(system, 'counter:book'), 2, 'the two words asked once, the plain delivery on its own');
  t.equal(await totalOf(system, 'counter:other'), 1, 'a word to another receiver is its own ask');
  t.same(bus.calls.map((asks) => asks.map(({ actorId }) => actorId)), [['counter:book', 'counter:book', 'counter:other']], 'three asks for four deliveries, in one call');
  t.same([system.relay.backlog, system.relay.stats().delivered], [0, 4], 'all four done');
  t.equal(system.relay.cursor(), journal.lastLogPosition() + 1, 'the cursor is past every append');
});

t.test('given words of two requests that failed, when they are retried together, then they are asked once on behalf of fundcore and both are done', async (t) => {
  const time = new FakeTime();
  const bus = new BatchingBus();
  const saga = sagaSending([word('counter:book'), word('counter:book')]);
  const system = new ActorSystem({ journal: new MemoryJournal(), behaviors: [saga, counterBehavior], bus, clock: time, timers: time });
  bus.target = system;
  system.start();
  t.teardown(() => system.stop());
  bus.failing = 'counter:book';
  await runWithCause({ who: 'client:a', requestId: 'ra', orderId: null }, () => system.ask('saga:1', { type: 'go' }));
  await settle();
  t.same(bus.calls.at(-1)?.map(({ cause }) => cause.who), ['client:a'], "one request's words: asked once on its behalf");
  await runWithCause({ who: 'client:b', requestId: 'rb', orderId: null }, () => system.ask('saga:2', { type: 'go' }));
  await settle();
  t.equal(system.relay.backlog, 4, 'four words wait for their retry');
  bus.failing = null;
  bus.calls.length = 0;
  for (let ms = 0; ms < 1_000 && system.relay.backlog > 0; ms += 5) await advanced(time, 5);
  t.equal(await totalOf(system, 'counter:book'), 1, 'the retried words of both requests were asked once');
  t.same(bus.calls.flat().map(({ cause }) => cause.who), ['system'], 'on behalf of fundcore: they name two requests');
  t.same([system.relay.backlog, system.relay.stats().delivered], [0, 4]);
});
