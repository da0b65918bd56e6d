import fc from 'fast-check';
import t from 'tap';
import { entriesOf, indexGroupDecider, indexGroupLimits, type IndexGroupCommand, type IndexGroupEvent, type IndexGroupState } from '../../../core/index/index-group.js';
import { isRejection } from '../../../core/rejection.js';
import { deciderOf } from '../lending/given.js';

const { decide, evolve, initialState } = indexGroupDecider;
const given = deciderOf(decide, evolve, initialState);
const put = (key: string, value: unknown, rank = 0): IndexGroupCommand => ({ type: 'put_entry', data: { key, value, rank } });
const putEvent = (key: string, value: unknown, rank = 0): IndexGroupEvent => ({ type: 'index_entry_put', data: { key, value, rank } });

t.test('put_entry: a new key is put; the same or a lower rank changes nothing; a higher rank replaces', async (t) => {
  given().when(put('loan-1', 'loan-1')).then(t, [putEvent('loan-1', 'loan-1')], 'a new key');
  given(putEvent('o1', { status: 'sending' })).when(put('o1', { status: 'sending' })).then(t, [], 'a duplicate');
  given(putEvent('o1', { status: 'succeeded' }, 1)).when(put('o1', { status: 'sending' }, 0)).then(t, [], 'a late arrival of an earlier stage');
  given(putEvent('o1', { status: 'sending' })).when(put('o1', { status: 'succeeded' }, 1)).then(t, [putEvent('o1', { status: 'succeeded' }, 1)], 'a later stage');
  t.same(entriesOf(given(putEvent('b', 2), putEvent('a', 1)).state), [{ key: 'a', value: 1 }, { key: 'b', value: 2 }], 'listed by key');
});

t.test('put_entry precedence: 1. index_key_invalid, 2. index_group_full', async (t) => {
  given().when(put('', 'x')).rejects(t, 'index_key_invalid', '1. an empty key');
  given().when(put('k'.repeat(indexGroupLimits.keyLengthMax + 1), 'x')).rejects(t, 'index_key_invalid', '1. a key over the limit');
  given().when(put('k', 'x', -1)).rejects(t, 'index_key_invalid', '1. a negative rank');
  given().when(put('k', 'x', 0.5)).rejects(t, 'index_key_invalid', '1. a fractional rank');
  const entries = new Map(Array.from({ length: indexGroupLimits.entriesMax }, (_, i) => [`k${i}`, { value: i, rank: 0 }]));
  const full: IndexGroupState = { entries };
  const decision = decide(full, put('new', 'x'));
  t.equal(isRejection(decision) && decision.code, 'index_group_full', '2. a new key in a full group');
  t.same(decide(full, put('k1', 'y', 1)), [putEvent('k1', 'y', 1)], 'a known key still moves on in a full group');
  t.equal(isRejection(decide(full, put('', 'x'))) && (decide(full, put('', 'x')) as { code: string }).code, 'index_key_invalid', '1 before 2');
});

t.test('property: whatever the order and duplication of deliveries, the group ends the same', async (t) => {
  const puts = fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), rank: fc.integer({ min: 0, max: 3 }) }), { maxLength: 20 });
  fc.assert(
    fc.property(puts, fc.infiniteStream(fc.nat()), (list, seeds) => {
      // The value follows from (key, rank), as an entry's stage does: the latest stage wins.
      const commands = list.map(({ key, rank }) => put(key, `${key}@${rank}`, rank));
      const shuffled = [...commands, ...commands.slice(0, Math.floor(commands.length / 2))];
      const order = seeds.take(shuffled.length);
      let i = 0;
      for (const seed of order) {
        const j = seed % shuffled.length;
        [shuffled[i], shuffled[j]] = [shuffled[j] as IndexGroupCommand, shuffled[i] as IndexGroupCommand];
        i++;
      }
      const run = (cs: IndexGroupCommand[]) =>
        cs.reduce((state, command) => {
          const decision = decide(state, command);
          if (isRejection(decision)) throw new Error(decision.code);
          return decision.reduce(evolve, state);
        }, initialState);
      t.same(entriesOf(run(shuffled)), entriesOf(run(commands)));
      return true;
    }),
    { numRuns: 200 },
  );
});
