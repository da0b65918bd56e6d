import fc from 'fast-check';
import t from 'tap';
import { MinHeap } from '../../../actors/runtime/min-heap.js';

t.test('given any pushes and pops interleaved, each pop takes the least key left', async () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)), { maxLength: 200 }), (steps) => {
      const heap = new MinHeap<number>((n) => n);
      const model: number[] = [];
      for (const step of steps) {
        if (step !== null) {
          heap.push(step);
          model.push(step);
          continue;
        }
        model.sort((a, b) => a - b);
        if (heap.pop() !== model.shift()) return false;
        if (heap.size !== model.length) return false;
      }
      model.sort((a, b) => a - b);
      return heap.peek() === model[0] && heap.size === model.length;
    }),
  );
});

t.test('given an empty heap, then peek and pop give undefined', async (t) => {
  const heap = new MinHeap<{ at: number }>((item) => item.at);
  t.equal(heap.peek(), undefined);
  t.equal(heap.pop(), undefined);
  heap.push({ at: 3 });
  t.same(heap.pop(), { at: 3 });
  t.equal(heap.size, 0);
});
