import t, { type Test } from 'tap';
import { ActorSystem, type ActorSystemOptions } from '../../../actors/runtime/actor-system.js';
import type { ActorReply } from '../../../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../../../actors/runtime/errors.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { counterBehavior, type CounterState } from '../../helpers/counter-behavior.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { InstrumentedJournal } from '../../helpers/journals.js';

function system(t: Test, journal: InstrumentedJournal, time: FakeTime, limits: ActorSystemOptions['limits'] = {}, options: Pick<ActorSystemOptions, 'heapUsedBytes'> = {}): ActorSystem {
  const actors = new ActorSystem({ journal, behaviors: [counterBehavior], clock: time, timers: time, limits, ...options });
  actors.start();
  t.teardown(() => actors.stop());
  return actors;
}

/** Time moved on (the sweeps it brings run), then what they started settled. */
const sweepsOf = async (time: FakeTime, ms: number) => {
  time.advance(ms);
  await settle();
};
const add = (n: number) => ({ type: 'add', n });
const liveIds = (actors: ActorSystem) => actors.listActors({ limit: 200 }).filter((a) => a.live).map((a) => a.id);
const total = async (actors: ActorSystem, id = 'counter:1') => ((await actors.ask(id, { type: 'get' })) as { value: CounterState }).value.total;

t.test('messages queued while a batch is journaled are decided together in one append', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  const replies = await Promise.all(Array.from({ length: 50 }, () => actors.ask('counter:1', add(1))));
  t.same(
    replies.map((r) => (r.ok ? r.value : null)),
    Array.from({ length: 50 }, (_, i) => i + 1),
    'each reply sees the ones before it',
  );
  t.equal(journal.appends.length, 2, 'the first message alone, then the 49 that queued behind it');
  t.equal(journal.appends[1]?.events.length, 49);
});

t.test('ask rejects with ask_timeout when no reply comes in time', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const actors = system(t, journal, time, { askTimeoutMs: 100 });
  journal.hold();
  const pending = actors.ask('counter:1', add(1));
  time.advance(100);
  await t.rejects(pending, { code: 'ask_timeout' });
  journal.release();
});

t.test('hasMessagesQueued: true while a live actor has messages waiting behind its batch, false once they are handled', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  await actors.ask('counter:2', add(1));
  t.equal(actors.hasMessagesQueued(), false, 'live actors, none with mail');
  journal.hold();
  const inFlight = actors.ask('counter:1', add(1));
  t.equal(actors.hasMessagesQueued(), false, 'the batch being journaled is not waiting mail');
  const queued = actors.ask('counter:1', add(1));
  t.equal(actors.hasMessagesQueued(), true, 'a message behind it is');
  journal.release();
  await Promise.all([inFlight, queued]);
  t.equal(actors.hasMessagesQueued(), false);
});

t.test('a full mailbox refuses with mailbox_full', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime(), { mailboxDepthMax: 2, batchMessagesMax: 1 });
  journal.hold();
  const inFlight = actors.ask('counter:1', add(1));
  const queued = [actors.ask('counter:1', add(1)), actors.ask('counter:1', add(1))];
  await t.rejects(actors.ask('counter:1', add(1)), { code: 'mailbox_full' });
  journal.release();
  await Promise.all([inFlight, ...queued]);
  t.equal(await total(actors), 3, 'only the accepted messages were applied');
});

t.test('a journal failure fails the batch, and the actor recovers from disk, not from a guess', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  await actors.ask('counter:1', add(5));
  journal.failNext({ written: false });
  await t.rejects(actors.ask('counter:1', add(7)), { code: 'journal_failed' });
  t.equal(await total(actors), 5, 'nothing written, nothing applied');
  journal.failNext({ written: true });
  await t.rejects(actors.ask('counter:1', add(11)), { code: 'journal_failed' });
  t.equal(await total(actors), 16, 'written though reported failed: recovery finds it on disk');
  t.equal((await actors.ask('counter:1', add(1))).ok, true, 'the actor serves again');
});

t.test('a bug fails its own message; the rest of its batch is decided again and applied', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  journal.hold();
  const first = actors.ask('counter:1', add(1));
  const batch = [actors.ask('counter:1', add(2)), actors.ask('counter:1', { type: 'boom' }), actors.ask('counter:1', add(3))];
  journal.release();
  await first;
  const outcomes = await Promise.allSettled(batch);
  t.same(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  t.equal(((outcomes[1] as PromiseRejectedResult).reason as ActorRuntimeError).code, 'internal_error');
  t.equal(await total(actors), 6);
});

t.test('an invariant broken by a decision crashes that message only; the state never shows it', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  await actors.ask('counter:1', add(2));
  // Bypass the handler's own check: a negative event is exactly what the invariant is for.
  const sneaky = { ...counterBehavior, type: 'sneaky', handle: () => ({ events: [{ type: 'added' as const, n: -5 }], reply: { ok: true as const, value: 0 } }) };
  const other = new ActorSystem({ journal, behaviors: [sneaky], clock: new FakeTime(), timers: new FakeTime() });
  other.start();
  t.teardown(() => other.stop());
  await t.rejects(other.ask('sneaky:1', add(1)), { code: 'internal_error' });
  t.equal(journal.headSeq('sneaky:1'), 0, 'nothing was journaled');
});

t.test('idle actors passivate with a snapshot and come back with their state', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100 });
  await actors.ask('counter:1', add(4));
  await actors.ask('counter:2', add(9));
  t.equal(actors.stats().live, 2);
  await settle();
  time.advance(1_100);
  await settle();
  t.equal(actors.stats().live, 0, 'both passivated');
  t.same(journal.readSnapshot('counter:1'), { seq: 1, state: { total: 4, wakeAt: null, wakes: 0 } }, 'a snapshot on passivation');
  t.equal(await total(actors, 'counter:1'), 4, 'reactivated from its snapshot');
  t.equal(actors.stats().activations, 3);
});

t.test('beyond liveActorsMax the least recently used idle actors passivate first; an actor asked again stays', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const actors = system(t, journal, time, { idleBeforePassivationMs: 60_000, passivationSweepMs: 100, liveActorsMax: 2 });
  for (const id of ['counter:1', 'counter:2', 'counter:3', 'counter:4']) {
    await actors.ask(id, add(1));
    time.advance(10);
  }
  await actors.ask('counter:1', add(1));
  await settle();
  time.advance(100);
  await settle();
  t.equal(actors.stats().live, 2, 'down to the limit');
  t.same(liveIds(actors), ['counter:1', 'counter:4'], 'the two used last stay: counter:1 was asked again after the others');
});

t.test('idle actors passivate oldest first; the sweep keeps the recently used', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100 });
  await actors.ask('counter:1', add(1));
  await actors.ask('counter:2', add(1));
  time.advance(600);
  await settle();
  await actors.ask('counter:1', add(1));
  time.advance(500);
  await settle();
  t.equal(actors.stats().live, 1, 'counter:2, idle for 1,100 ms, passivated');
  t.same(liveIds(actors), ['counter:1'], 'counter:1, used 500 ms ago, stays');
  time.advance(600);
  await settle();
  t.equal(actors.stats().live, 0, 'then counter:1 too');
});

t.test('given an actor that keeps being asked without being moved in the live order, when the others go idle, then they passivate all the same', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100 });
  // Given 100 actors, then a busy one, then 10 more: the busy one is among the newest eighth of
  // the live order, so its messages do not move it to the end
  for (let i = 0; i < 100; i++) await actors.ask(`counter:old-${i}`, add(1));
  await actors.ask('counter:busy', add(1));
  for (let i = 0; i < 10; i++) await actors.ask(`counter:new-${i}`, add(1));
  // When every other actor has been idle for 3 s while the busy one was asked every 200 ms
  for (let step = 0; step < 15; step++) {
    time.advance(200);
    await actors.ask('counter:busy', add(1));
    await settle();
  }
  time.advance(100);
  await settle();
  // Then only the busy one is live: the sweep, which reads the oldest first and stops at the
  // first actor not idle long enough, does not stop at the busy one for good
  t.same(liveIds(actors), ['counter:busy']);
  time.advance(1_100);
  await settle();
  t.equal(actors.stats().live, 0, 'then the busy one too, once idle');
});

t.test('given a heap over liveHeapMaxMiB, when the sweep runs, then the least recently used idle actors passivate early, an eighth at a time; under it, none', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  let heapUsedBytes = 0;
  const actors = system(t, journal, time, { idleBeforePassivationMs: 60_000, passivationSweepMs: 100, liveHeapMaxMiB: 64 }, { heapUsedBytes: () => heapUsedBytes });
  // Given 16 actors used in order, none idle for the minute
  for (let i = 0; i < 16; i++) await actors.ask(`counter:${i}`, add(1));
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 16, 'under the limit, nothing passivates before its idle time');
  // When the heap is over the limit
  heapUsedBytes = 65 * 2 ** 20;
  await sweepsOf(time, 100);
  // Then an eighth goes, the least recently used first
  t.same(actors.listActors({ limit: 100 }).filter((a) => !a.live).map((a) => a.id).sort(), ['counter:0', 'counter:1']);
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 12, 'and an eighth of the rest at the next sweep');
  heapUsedBytes = 10 * 2 ** 20;
  await sweepsOf(time, 300);
  t.equal(actors.stats().live, 12, 'back under the limit: the others stay');
  t.equal(await total(actors, 'counter:0'), 1, 'a passivated actor comes back with its state');
});

t.test('given a heap over liveHeapMaxMiB, when a passivated actor is read, then it answers from its journal and stays passivated; a command still activates it; under the bound a read activates', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  let heapUsedBytes = 0;
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100 }, { heapUsedBytes: () => heapUsedBytes });
  await actors.ask('counter:1', add(2));
  await actors.ask('counter:1', add(3));
  await settle();
  await sweepsOf(time, 1_100);
  t.equal(actors.stats().live, 0, 'given the actor passivated');
  // Given the heap over the bound at the last sweep
  heapUsedBytes = actors.limits.liveHeapMaxMiB * 2 ** 20 + 1;
  await sweepsOf(time, 100);
  const before = actors.stats();
  // When it is read
  t.equal(await total(actors), 5, 'then the read sees every event');
  t.equal(actors.stats().live, 0, 'and the actor is not live');
  t.equal(actors.stats().activations, before.activations, 'nor was it activated');
  t.equal(actors.stats().detachedReads, before.detachedReads + 1);
  const unknown = await actors.ask('counter:never', { type: 'get' });
  t.same(unknown, { ok: true, value: { total: 0, wakeAt: null, wakes: 0 } }, 'an actor never journaled answers from its initial state');
  // A command activates it as ever
  t.same(await actors.ask('counter:1', add(1)), { ok: true, value: 6 });
  t.ok(liveIds(actors).includes('counter:1'), 'a command activates');
  // Under the bound, a read activates
  heapUsedBytes = 0;
  await settle();
  await sweepsOf(time, 1_100);
  t.notOk(liveIds(actors).includes('counter:1'), 'passivated again');
  t.equal(await total(actors), 6);
  t.ok(liveIds(actors).includes('counter:1'), 'under the bound a read activates');
});

t.test('a snapshot every N events; recovery = snapshot + the events after it', async (t) => {
  const inner = new MemoryJournal();
  const journal = new InstrumentedJournal(inner);
  const actors = system(t, journal, new FakeTime(), { snapshotEveryEvents: 5 });
  for (let i = 0; i < 12; i++) await actors.ask('counter:1', add(1));
  t.equal(journal.readSnapshot('counter:1')?.seq, 10);
  const restarted = system(t, new InstrumentedJournal(inner.reopen()), new FakeTime());
  t.equal(await total(restarted), 12);
});

t.test('a state that weighs more than N records is snapshotted once that many events came: the snapshot costs the same per event however large the state', async (t) => {
  const inner = new MemoryJournal();
  const journal = new InstrumentedJournal(inner);
  // The counter's weight: its total (as if it held that many records).
  const weighty = { ...counterBehavior, snapshotWeight: (state: CounterState) => state.total };
  const actors = new ActorSystem({ journal, behaviors: [weighty], clock: new FakeTime(), timers: new FakeTime(), limits: { snapshotEveryEvents: 5 } });
  actors.start();
  t.teardown(() => actors.stop());
  for (let i = 0; i < 12; i++) await actors.ask('counter:1', add(1));
  t.equal(journal.readSnapshot('counter:1')?.seq, 5, 'at 5 events (weight 5), not at 10: by then it weighed 10');
  await actors.ask('counter:1', add(100));
  t.equal(journal.readSnapshot('counter:1')?.seq, 5, '8 events since: under the weight of 112');
  for (let i = 0; i < 105; i++) await actors.ask('counter:1', add(0));
  t.equal(journal.readSnapshot('counter:1')?.seq, 117, 'once 112 events came since');
  const restarted = system(t, new InstrumentedJournal(inner.reopen()), new FakeTime());
  t.equal(await total(restarted), 112, 'recovery = snapshot + the events after it');
});

t.test('wake-ups: at their time, also for passivated actors and after a restart', async (t) => {
  const inner = new MemoryJournal();
  const time = new FakeTime();
  const actors = system(t, new InstrumentedJournal(inner), time, { idleBeforePassivationMs: 100, passivationSweepMs: 50 });
  const start = time.now();
  await actors.ask('counter:1', { type: 'wake_me', at: start + 10_000 });
  await actors.ask('counter:2', { type: 'wake_me', at: start + 20_000 });
  await settle();
  time.advance(200);
  await settle();
  t.equal(actors.stats().live, 0, 'both passivated while waiting');
  time.advance(10_000);
  await settle();
  const first = (await actors.ask('counter:1', { type: 'get' })) as ActorReply<CounterState>;
  t.equal(first.ok && first.value.wakes, 1, 'woken while passivated');

  await actors.stop();
  const laterTime = new FakeTime(start + 10_300);
  const restarted = system(t, new InstrumentedJournal(inner.reopen()), laterTime);
  laterTime.advance(10_000);
  await settle();
  const second = (await restarted.ask('counter:2', { type: 'get' })) as ActorReply<CounterState>;
  t.equal(second.ok && second.value.wakes, 1, 'a restarted node reloads the wake-ups it owes');
});

t.test('runtime limits are checked at start-up', async (t) => {
  t.throws(() => new ActorSystem({ journal: new MemoryJournal(), behaviors: [], limits: { batchMessagesMax: 10, mailboxDepthMax: 5 } }), RangeError);
  t.throws(() => new ActorSystem({ journal: new MemoryJournal(), behaviors: [], limits: { askTimeoutMs: 0 } }), RangeError);
});

t.test('a message to an unknown actor type fails cleanly', async (t) => {
  const actors = system(t, new InstrumentedJournal(new MemoryJournal()), new FakeTime());
  await t.rejects(actors.ask('nothing:1', add(1)), { code: 'actor_unavailable' });
});

t.test('observe: listeners hear each committed batch once it is durable, never a failed one', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  const heard: [string, unknown[]][] = [];
  const stop = actors.observe((actorId, events) => heard.push([actorId, [...events]]));
  actors.observe(() => {
    throw new Error('a listener bug');
  });
  journal.hold();
  const pending = actors.ask('counter:1', add(2));
  await settle();
  t.same(heard, [], 'nothing before the write is durable');
  journal.release();
  await pending;
  t.same(heard, [['counter:1', [{ type: 'added', n: 2 }]]], 'the batch, after it is durable; a throwing listener does not stop others');
  journal.failNext({ written: false });
  await t.rejects(actors.ask('counter:1', add(1)), { code: 'journal_failed' });
  await actors.ask('counter:1', { type: 'get' });
  t.equal(heard.length, 1, 'a failed write and a query are not heard');
  stop();
  await actors.ask('counter:1', add(1));
  t.equal(heard.length, 1, 'after stop, nothing more');
});

t.test('given the heap goes over liveHeapMaxMiB between two sweeps, when reads activate actors, then after at most 64 activations reads are answered detached without waiting for the sweep', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  let heapUsedBytes = 0;
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100 }, { heapUsedBytes: () => heapUsedBytes });
  // Given 100 actors journaled and passivated, the heap under the bound at the last sweep
  for (let i = 0; i < 100; i++) await actors.ask(`counter:${i}`, add(1));
  await settle();
  await sweepsOf(time, 1_100);
  t.equal(actors.stats().live, 0);
  const before = actors.stats();
  // When the heap goes over the bound and all 100 are read before the next sweep
  heapUsedBytes = actors.limits.liveHeapMaxMiB * 2 ** 20 + 1;
  for (let i = 0; i < 100; i++) t.equal(await total(actors, `counter:${i}`), 1);
  // Then the 64 reads after the last look activated; the heap was looked at again and the rest were detached
  const after = actors.stats();
  t.equal(after.activations - before.activations, 64, 'the first 64 reads activated');
  t.equal(after.detachedReads - before.detachedReads, 36, 'the rest were answered from the journal');
});

t.test('given more actors idle than passivationsPerSweepMax, when the sweeps run, then each starts at most that many passivations, oldest first', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100, passivationsPerSweepMax: 4 });
  // Given 10 actors, all idle for the limit by the same sweep
  for (let i = 0; i < 10; i++) await actors.ask(`counter:${i}`, add(1));
  await sweepsOf(time, 900);
  t.equal(actors.stats().live, 10, 'none idle long enough yet');
  // When a sweep runs, then 4 go, the oldest
  await sweepsOf(time, 100);
  t.same(actors.listActors({ limit: 100 }).filter((a) => !a.live).map((a) => a.id).sort(), ['counter:0', 'counter:1', 'counter:2', 'counter:3']);
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 2, '4 more at the next sweep');
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 0, 'and the rest at the one after');
});

t.test('given actors only read since their last snapshot, when they passivate, then they do not count against passivationsPerSweepMax', async (t) => {
  const inner = new MemoryJournal();
  const journal = new InstrumentedJournal(inner);
  const time = new FakeTime();
  const actors = system(t, journal, time, { idleBeforePassivationMs: 1_000, passivationSweepMs: 100, passivationsPerSweepMax: 4 });
  // Given 10 actors journaled and passivated (snapshotted), then read again
  for (let i = 0; i < 10; i++) await actors.ask(`counter:${i}`, add(1));
  await settle();
  for (let i = 0; i < 3; i++) await sweepsOf(time, 1_000);
  t.equal(actors.stats().live, 0, 'given all passivated');
  for (let i = 0; i < 10; i++) await total(actors, `counter:${i}`);
  t.equal(actors.stats().live, 10, 'and read back');
  // When they are idle long enough, then one sweep lets all of them go: none writes a snapshot
  await sweepsOf(time, 900);
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 0);
});

t.test('given the heap over liveHeapMaxMiB, when the sweep runs, then its eighth goes whatever passivationsPerSweepMax says (the excess is not capped)', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  let heapUsedBytes = 0;
  const actors = system(t, journal, time, { idleBeforePassivationMs: 60_000, passivationSweepMs: 100, liveHeapMaxMiB: 64, passivationsPerSweepMax: 1 }, { heapUsedBytes: () => heapUsedBytes });
  // Given 32 actors with events not yet snapshotted
  for (let i = 0; i < 32; i++) await actors.ask(`counter:${i}`, add(1));
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 32);
  // When the heap is over the bound, then an eighth goes at the next sweep, not one
  heapUsedBytes = 65 * 2 ** 20;
  await sweepsOf(time, 100);
  t.equal(actors.stats().live, 28, 'an eighth of 32');
});

t.test('given an append held on its way to disk, when an ask is answered once issued, then it has its reply before it is durable; the next batch still waits for it', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  await actors.ask('counter:1', add(1));
  journal.hold();
  const answers: string[] = [];
  const early = actors.askOnceIssued('counter:1', add(10)).then((reply) => answers.push(`early ${reply.ok ? String(reply.value) : reply.code}`));
  await settle();
  t.same(answers, ['early 11'], 'answered with the state its events leave, the append not yet durable');
  const next = actors.askOnceIssued('counter:1', add(100)).then((reply) => answers.push(`next ${reply.ok ? String(reply.value) : reply.code}`));
  await settle();
  t.same(answers, ['early 11'], 'a later batch is decided only once the one before it is durable');
  t.equal(journal.appends.length, 2);
  journal.release();
  await Promise.all([early, next]);
  t.same(answers, ['early 11', 'next 111']);
  t.equal(await total(actors), 111);
});

t.test('given a batch with an early answer, a plain ask and a query, when its append is held, then only the early answer goes before it is durable', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  await actors.ask('counter:1', add(1));
  journal.hold();
  const answers: string[] = [];
  const all = [
    actors.askOnceIssued('counter:1', add(5)).then(() => answers.push('early')),
    actors.ask('counter:1', add(7)).then(() => answers.push('plain')),
    actors.askOnceIssued('counter:1', { type: 'get' }).then(() => answers.push('query')),
  ];
  await settle();
  t.same(answers, ['early'], 'the plain ask and the query wait for their batch to be durable');
  t.equal(journal.appends.length, 2, 'the three in one batch');
  journal.release();
  await Promise.all(all);
  t.same(answers, ['early', 'plain', 'query']);
});

t.test('given asks answered once issued, when the append fails before the write, then they fail like any ask; after the write, the answer stands and the actor recovers the write', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, new FakeTime());
  await actors.ask('counter:1', add(1));
  journal.failNext({ written: false });
  await t.rejects(actors.askOnceIssued('counter:1', add(5)), { code: 'journal_failed' }, 'refused before it took a place in the log: nothing to answer early');
  t.equal(await total(actors), 1, 'the actor recovered what is on disk');
  journal.failNext({ written: true });
  t.same(await actors.askOnceIssued('counter:1', add(5)), { ok: true, value: 6 }, 'answered once issued');
  await settle();
  t.equal(await total(actors), 6, 'reported failed after the write: recovered from the journal, where the write is');
});
