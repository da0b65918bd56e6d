import t, { type Test } from 'tap';
import { open } from 'lmdb';
import { ActorSystem, type ActorSystemOptions } from '../../../actors/runtime/actor-system.js';
import type { ActorBehavior, ActorReply } from '../../../actors/runtime/behavior.js';
import type { Journal } from '../../../persistence/journal.js';
import { LmdbJournal } from '../../../persistence/lmdb-journal.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { counterBehavior, type CounterState } from '../../helpers/counter-behavior.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { InstrumentedJournal } from '../../helpers/journals.js';
import { tempDir } from '../../helpers/ledger.js';

type TallyMessage = { type: 'record'; id: string; n: number } | { type: 'get' };
type TallyEvent = { type: 'recorded'; id: string; n: number };

/** A counter that records each id once (an index entry per id, as a transfer's): its appends pipeline. */
const tallyBehavior: ActorBehavior<{ total: number }, TallyEvent> = {
  type: 'tally',
  pipelinesAppends: true,
  initialState: () => ({ total: 0 }),
  isQuery: (message) => (message as TallyMessage).type === 'get',
  query: (state) => ({ ok: true, value: state.total }),
  handle(state, message, lookup) {
    const m = message as Extract<TallyMessage, { type: 'record' }>;
    if (lookup.get('transfers', m.id) !== undefined) return { events: [], reply: { ok: true, value: 'seen' } };
    return { events: [{ type: 'recorded', id: m.id, n: m.n }], reply: { ok: true, value: state.total + m.n } };
  },
  evolve: (state, event) => ({ total: state.total + event.n }),
  indexWritesOf: (_actorId, event) => [{ index: 'transfers', key: event.id, value: event.n }],
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: () => undefined,
};
const pipelinedCounter: ActorBehavior<CounterState, unknown> = { ...(counterBehavior as ActorBehavior<CounterState, unknown>), pipelinesAppends: true };

function system(t: Test, journal: Journal, limits: ActorSystemOptions['limits'] = {}): ActorSystem {
  const time = new FakeTime();
  const actors = new ActorSystem({ journal, behaviors: [tallyBehavior, pipelinedCounter], clock: time, timers: time, limits });
  actors.start();
  t.teardown(() => actors.stop());
  return actors;
}

const record = (id: string, n = 1): TallyMessage => ({ type: 'record', id, n });
const valueOf = (reply: ActorReply) => (reply.ok ? reply.value : reply.code);

t.test('given an actor that pipelines its appends, when batches come while one is on its way to disk, then the next are journaled at once, up to the limit; replies wait for durable, in order', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal, { appendsInFlightPerActorMax: 2 });
  journal.hold();
  const answers: unknown[] = [];
  const first = actors.ask('tally:1', record('a')).then((r) => answers.push(valueOf(r)));
  await settle();
  const second = actors.ask('tally:1', record('b')).then((r) => answers.push(valueOf(r)));
  await settle();
  const third = actors.ask('tally:1', record('c')).then((r) => answers.push(valueOf(r)));
  await settle();
  t.equal(journal.appends.length, 2, 'the second batch journaled before the first is durable; the third waits (limit 2)');
  t.same(answers, [], 'no reply before its batch is durable');
  journal.release();
  await Promise.all([first, second]);
  await settle();
  journal.release();
  await third;
  t.same(answers, [1, 2, 3], 'each reply in order, each from the state its batch left');
  t.equal(journal.appends.length, 3);
});

t.test('on LMDB: given a record in a batch still on its way to disk, when the same id comes in the next batch, then it is recognised: no second event', async (t) => {
  const journal = new LmdbJournal({ path: `${tempDir(t)}/journal` });
  t.teardown(() => journal.close());
  const actors = system(t, journal);
  // Asked in one turn: the retry is decided in a second batch while the first is not yet committed (LMDB shows it to no read yet).
  const original = actors.ask('tally:1', record('x', 5));
  const retry = actors.ask('tally:1', record('x', 5));
  t.same([valueOf(await original), valueOf(await retry)], [5, 'seen']);
  t.equal(journal.headSeq('tally:1'), 1, 'the retry journaled nothing');
  t.equal(valueOf(await actors.ask('tally:1', { type: 'get' })), 5);
});

t.test('given a batch in flight, when a query comes, then it is answered only once that batch is durable', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal);
  journal.hold();
  const write = actors.ask('tally:1', record('q', 3));
  await settle();
  let read: unknown = 'not yet';
  const query = actors.ask('tally:1', { type: 'get' }).then((r) => (read = valueOf(r)));
  await settle();
  t.equal(read, 'not yet', 'the state it would read is not on disk yet');
  journal.release();
  await Promise.all([write, query]);
  t.equal(read, 3);
});

t.test('given a batch reported failed after its write and a later batch in flight, when both settle, then the first fails, the later is answered, and the actor recovers both from disk', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal);
  await actors.ask('counter:1', { type: 'add', n: 1 });
  journal.hold();
  journal.failNext({ written: true });
  const failing = actors.ask('counter:1', { type: 'add', n: 10 });
  await settle();
  const later = actors.ask('counter:1', { type: 'add', n: 100 });
  await settle();
  t.equal(journal.appends.length, 3, 'the later batch journaled while the first was in flight');
  journal.release();
  await t.rejects(failing, { code: 'journal_failed' }, 'its outcome is unknown to its asker');
  t.same(valueOf(await later), 111);
  await settle();
  t.same(((await actors.ask('counter:1', { type: 'get' })) as { value: CounterState }).value.total, 111, 'recovered from disk: both writes are there');
});

t.test('given batches in flight, when a message meets a bug, then it fails alone; the actor recovers once they settle and goes on', async (t) => {
  const journal = new InstrumentedJournal(new MemoryJournal());
  const actors = system(t, journal);
  journal.hold();
  const inFlight = actors.ask('counter:1', { type: 'add', n: 2 });
  await settle();
  const boom = t.rejects(actors.ask('counter:1', { type: 'boom' }), { code: 'internal_error' });
  const after = actors.ask('counter:1', { type: 'add', n: 3 });
  await settle();
  await boom;
  journal.release();
  t.same([valueOf(await inFlight), valueOf(await after)], [2, 5]);
});

t.test('on LMDB: given two batches in flight, when the first does not land, then the second does not either; the actor recovers what is on disk and goes on', async (t) => {
  const path = `${tempDir(t)}/journal`;
  const journal = new LmdbJournal({ path });
  t.teardown(() => journal.close());
  const actors = system(t, journal);
  t.equal(valueOf(await actors.ask('counter:1', { type: 'add', n: 1 })), 1);
  const other = open({ path });
  t.teardown(() => other.close());
  // The first batch is journaled at once; the second is decided on its state in the same turn.
  const first = actors.ask('counter:1', { type: 'add', n: 10 });
  const second = actors.ask('counter:1', { type: 'add', n: 100 });
  // Written behind the journal's back before the commit: the first batch finds its key taken.
  other.openDB({ name: 'events' }).putSync(['counter:1', 2], [{ type: 'added', n: 1000 }]);
  const outcomes = await Promise.allSettled([first, second]);
  t.same(
    outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : valueOf(o.value))),
    ['journal_failed', 'journal_failed'],
    'neither landed: the second was decided on the first',
  );
  t.equal(journal.headSeq('counter:1'), 2, 'on disk: the first add and the record written behind its back, nothing of the second');
  t.equal(valueOf(await actors.ask('counter:1', { type: 'add', n: 5 })), 1006, 'recovered from disk, and taking messages again');
});
