import t from 'tap';
import { TurnBatch } from '../../../actors/runtime/turn-batch.js';

/** A decider of batches that writes each batch down and answers each item doubled (an odd one refused). */
function recordingBatch(itemsMax: number) {
  const batches: number[][] = [];
  const batch = new TurnBatch<number, number>(async (items) => {
    batches.push([...items]);
    return items.map((n) => (n % 2 === 1 && n > 100 ? Promise.reject(new Error(`refused ${n}`)) : Promise.resolve(n * 2)));
  }, itemsMax);
  return { batch, batches };
}

t.test('given items added in one turn, when the turn ends, then they are decided as one batch in order and each gets its own reply', async (t) => {
  const { batch, batches } = recordingBatch(100);
  const replies = [1, 2, 3].map((n) => batch.add(n));
  t.same(batches, [], 'nothing is decided within the turn');
  t.same(await Promise.all(replies), [2, 4, 6]);
  t.same(batches, [[1, 2, 3]]);
});

t.test('given items of two turns, when decided, then each turn is a batch of its own', async (t) => {
  const { batch, batches } = recordingBatch(100);
  const first = batch.add(1);
  await new Promise((resolve) => setImmediate(resolve));
  const second = batch.add(2);
  t.same(await Promise.all([first, second]), [2, 4]);
  t.same(batches, [[1], [2]]);
});

t.test('given a batch at its limit, when another item comes in the same turn, then the full batch is decided at once and the item starts the next', async (t) => {
  const { batch, batches } = recordingBatch(2);
  const replies = [1, 2, 3].map((n) => batch.add(n));
  t.same(batches, [[1, 2]], 'the full batch left without waiting for the turn to end');
  t.same(await Promise.all(replies), [2, 4, 6]);
  t.same(batches, [[1, 2], [3]]);
});

t.test('given one item refused, when the batch is decided, then that item alone is rejected', async (t) => {
  const { batch } = recordingBatch(100);
  const [ok, refused, alsoOk] = [2, 101, 4].map((n) => batch.add(n));
  await t.rejects(refused as Promise<number>, /refused 101/);
  t.equal(await ok, 4);
  t.equal(await alsoOk, 8);
});

t.test('given a decision that fails as a whole, when the batch is decided, then every item of it is rejected', async (t) => {
  const batch = new TurnBatch<number, number>(() => Promise.reject(new Error('bug')), 100);
  const replies = [1, 2].map((n) => batch.add(n));
  for (const reply of replies) await t.rejects(reply, /bug/);
});

t.test('given a decision that throws before it returns, when the batch is decided, then every item of it is rejected and the process goes on', async (t) => {
  const batch = new TurnBatch<number, number>(() => {
    throw new Error('thrown at once');
  }, 100);
  const replies = [1, 2].map((n) => batch.add(n));
  for (const reply of replies) await t.rejects(reply, /thrown at once/);
});
