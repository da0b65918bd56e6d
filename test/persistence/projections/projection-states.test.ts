import t from 'tap';
import type { JournalReader } from '../../../persistence/journal.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { alreadyApplied, JournalReplayStates, StoredStates } from '../../../persistence/projections/projection-states.js';
import { ReadModel } from '../../../persistence/projections/read-model.js';
import { JournalLogFeed } from '../../../persistence/projections/log-feed.js';
import { defaultProjectionLimits, ProjectionRunner } from '../../../persistence/projections/runner.js';
import type { Projector } from '../../../persistence/projections/projector.js';

/** A counter's projector: its state is the sum of its events' amounts. */
const summing: Projector = {
  actorType: 'sum',
  schema: [],
  initialState: () => 0n,
  evolve: (state, event) => (state as bigint) + (event as { data: { amount: bigint } }).data.amount,
  project: () => undefined,
};

/** The journal, counting the histories read from it. */
function counted(journal: MemoryJournal): { reader: JournalReader; reads: () => number } {
  let reads = 0;
  const reader = Object.assign(Object.create(journal) as MemoryJournal, {
    readEvents: (actorId: string, fromSeq: number) => {
      reads++;
      return journal.readEvents(actorId, fromSeq);
    },
  });
  return { reader, reads: () => reads };
}

t.test('given an actor the cache does not hold, when the state before its entry is asked', async (t) => {
  const journal = new MemoryJournal();
  const amount = (n: bigint) => ({ type: 'added', data: { amount: n } });
  await journal.append({ actorId: 'sum:a', expectedSeq: 0, events: [amount(5n), amount(7n)], indexWrites: [] }).durable;
  await journal.append({ actorId: 'sum:a', expectedSeq: 2, events: [amount(11n)], indexWrites: [] }).durable;
  const { reader, reads } = counted(journal);
  const states = new JournalReplayStates(reader, 10);

  t.test('then before its first entry it is the initial state, with nothing read', async (t) => {
    t.equal(states.before(summing, 'sum:a', 1), 0n);
    t.equal(reads(), 0);
  });
  t.test('then before a later entry it is replayed from the journal, up to that entry only', async (t) => {
    t.equal(states.before(summing, 'sum:a', 3), 12n);
    t.equal(reads(), 1);
  });
  t.test('then once remembered it is answered from the cache', async (t) => {
    states.remember('sum:a', { seq: 3, state: 23n });
    t.equal(states.before(summing, 'sum:a', 4), 23n);
    t.equal(reads(), 1);
  });
});

t.test('given states cached at different times, when the cache is swept after its idle time', async (t) => {
  const journal = new MemoryJournal();
  const amount = (n: bigint) => ({ type: 'added', data: { amount: n } });
  for (const actorId of ['sum:a', 'sum:b', 'sum:c']) await journal.append({ actorId, expectedSeq: 0, events: [amount(1n)], indexWrites: [] }).durable;
  const { reader, reads } = counted(journal);
  let nowMs = 0;
  const states = new JournalReplayStates(reader, 10, { idleMs: 1_000, now: () => nowMs });
  states.remember('sum:a', { seq: 1, state: 1n });
  nowMs = 400;
  states.remember('sum:b', { seq: 1, state: 1n });
  nowMs = 900;
  states.remember('sum:c', { seq: 1, state: 1n });
  // Used again: its idle time starts over.
  states.remember('sum:a', { seq: 1, state: 1n });

  t.test('then before the idle time nothing is dropped', async (t) => {
    nowMs = 1_399;
    states.sweep();
    t.equal(states.cachedCount, 3);
  });
  t.test('then exactly the states unused for the idle time are dropped', async (t) => {
    nowMs = 1_400;
    states.sweep();
    t.equal(states.cachedCount, 2, 'b, unused since 400, is gone; a (used again at 900) and c stay');
    t.equal(states.before(summing, 'sum:a', 2), 1n);
    t.equal(reads(), 0, 'a is still answered from the cache');
  });
  t.test('then a dropped state is replayed from the journal when it is needed again', async (t) => {
    t.equal(states.before(summing, 'sum:b', 2), 1n);
    t.equal(reads(), 1);
  });
  t.test('then once all are idle the cache is empty', async (t) => {
    nowMs = 10_000;
    states.sweep();
    t.equal(states.cachedCount, 0);
  });
});

t.test('given a read side without a journal (stored states), when its cache is swept', async (t) => {
  const model = new ReadModel(':memory:', []);
  let nowMs = 0;
  const states = new StoredStates(model.db, 10, { idleMs: 1_000, now: () => nowMs });
  states.remember('sum:a', { seq: 2, state: 9n });
  model.db.transaction(() => states.flush(model.db))();
  nowMs = 5_000;
  states.sweep();

  t.test('then the cache lets the state go, and it is read back from the database', async (t) => {
    t.equal(states.cachedCount, 0);
    t.equal(states.before(summing, 'sum:a', 3), 9n);
    t.equal(states.before(summing, 'sum:a', 2), alreadyApplied, 'a redelivered entry is still told apart');
  });
  t.teardown(() => model.close());
});

t.test('given a runner with states cached, when it steps with nothing new after the idle time', async (t) => {
  const journal = new MemoryJournal();
  const model = new ReadModel(':memory:', []);
  let nowMs = 0;
  const states = new JournalReplayStates(journal, 10, { idleMs: 1_000, now: () => nowMs });
  const runner = new ProjectionRunner(new JournalLogFeed(journal), model, [], states, 4, defaultProjectionLimits);
  states.remember('sum:a', { seq: 1, state: 1n });
  runner.catchUp();
  t.equal(states.cachedCount, 1, 'a step within the idle time keeps it');
  nowMs = 1_000;
  t.equal(runner.catchUp(), 0);
  t.equal(states.cachedCount, 0, 'then the idle step lets it go: an idle read side gives back what it held');
  t.teardown(() => model.close());
});
