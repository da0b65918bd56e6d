import t from 'tap';
import type { JournalReader } from '../../../persistence/journal.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { JournalReplayStates } from '../../../persistence/projections/projection-states.js';
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
