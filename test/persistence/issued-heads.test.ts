import t from 'tap';
import { IssuedHeads } from '../../persistence/issued-heads.js';

t.test('given two appends in flight, when the first lands, then the head known is the second\'s', async (t) => {
  const heads = new IssuedHeads(10);
  heads.issued('a', 3);
  heads.issued('a', 5);
  heads.landed('a', 3, true);
  t.equal(heads.known('a'), 5, 'the next append goes on the second, still in flight');
  heads.landed('a', 5, true);
  t.equal(heads.known('a'), 5);
});

t.test('given an append that does not land, when the appends in flight after it settle too, then the head is not known (read again from disk)', async (t) => {
  const heads = new IssuedHeads(10);
  heads.landed('a', 2, false);
  heads.issued('a', 3);
  heads.issued('a', 4);
  heads.notLanded('a', true);
  t.equal(heads.known('a'), 4, 'while the later one is in flight, the actor issues nothing (it recovers once all settled)');
  heads.notLanded('a', true);
  t.equal(heads.known('a'), undefined);
});

t.test('given a snapshot-only append, when it lands, then the appends in flight are not counted down', async (t) => {
  const heads = new IssuedHeads(10);
  heads.issued('a', 7);
  heads.landed('a', 6, false);
  t.equal(heads.known('a'), 7);
});

t.test('given more actors than remembered, when one more lands, then the landed heads start over; heads in flight stay', async (t) => {
  const heads = new IssuedHeads(2);
  heads.landed('a', 1, false);
  heads.landed('b', 1, false);
  heads.issued('c', 9);
  heads.landed('d', 1, false);
  t.same([heads.known('a'), heads.known('b'), heads.known('c'), heads.known('d')], [undefined, undefined, 9, 1]);
});
