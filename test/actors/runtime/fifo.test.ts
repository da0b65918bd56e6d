import fc from 'fast-check';
import t from 'tap';
import { Fifo } from '../../../actors/runtime/fifo.js';

t.test('property: a Fifo gives back what an array used as a queue would, in order, across its compactions', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.constant(-1)), { maxLength: 400 }), (ops) => {
      const fifo = new Fifo<number>();
      const model: number[] = [];
      let next = 0;
      for (const op of ops) {
        if (op === -1) {
          if (fifo.shift() !== model.shift()) return false;
        } else {
          // Pushes in runs, so the queue grows past the compaction threshold.
          for (let i = 0; i < op % 7 + 1; i++) {
            fifo.push(next);
            model.push(next++);
          }
          for (let i = 0; i < op % 5; i++) if (fifo.shift() !== model.shift()) return false;
        }
        if (fifo.length !== model.length) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
  const big = new Fifo<number>();
  for (let i = 0; i < 10_000; i++) big.push(i);
  for (let i = 0; i < 9_000; i++) big.shift();
  t.equal(big.shift(), 9_000, 'in order past a compaction');
  t.equal(big.length, 999);
});
