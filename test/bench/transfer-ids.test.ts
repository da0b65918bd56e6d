import fc from 'fast-check';
import t from 'tap';
import { transferIdOf } from '../../bench/systems/system.js';

t.test('sequential ids are t<n>', async (t) => {
  t.equal(transferIdOf(0, 'sequential'), 't0');
  t.equal(transferIdOf(12_345, 'sequential'), 't12345');
});

t.test('random ids are UUID-shaped, the same for the same n', async (t) => {
  const id = transferIdOf(7, 'random');
  t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.equal(transferIdOf(7, 'random'), id);
});

t.test('random ids never collide: distinct n, distinct ids', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (a, b) => {
      fc.pre(a !== b);
      return transferIdOf(a, 'random') !== transferIdOf(b, 'random');
    }),
  );
});

t.test('neighbouring n spread across the key space (what makes them random for an index)', async (t) => {
  const firstChars = new Set(Array.from({ length: 256 }, (_, n) => transferIdOf(n, 'random').slice(0, 1)));
  t.ok(firstChars.size >= 12, `256 consecutive n start with ${firstChars.size} of 16 hex digits`);
});
