import fc from 'fast-check';
import t from 'tap';
import { allocate } from '../../../core/money/allocate.js';

t.test('allocate: examples', async (t) => {
  t.same(allocate(100n, [1n, 1n, 1n]), [34n, 33n, 33n], 'ties go to the lower index');
  t.same(allocate(10n, [0n, 5n, 5n]), [0n, 5n, 5n]);
  t.same(allocate(1n, [3n, 7n]), [0n, 1n], 'the unit goes to the largest remainder');
  t.same(allocate(-100n, [1n, 1n, 1n]), [-34n, -33n, -33n], 'negative totals mirror');
  t.same(allocate(0n, [2n, 3n]), [0n, 0n]);
  t.throws(() => allocate(5n, [0n, 0n]), 'all-zero weights are a programmer error');
  t.throws(() => allocate(5n, []), 'no weights is a programmer error');
});

const weights = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }).filter((ws) => ws.some((w) => w > 0n));

t.test('property: the parts always sum to the whole', async () => {
  fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), weights, (total, ws) => allocate(total, ws).reduce((a, b) => a + b, 0n) === total));
});

t.test('property: each part is its exact share rounded down or up by one unit; zero weight gets zero', async () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), weights, (total, ws) => {
      const sum = ws.reduce((a, b) => a + b, 0n);
      return allocate(total, ws).every((part, i) => {
        const w = ws[i] ?? 0n;
        const floor = (total * w) / sum;
        return w === 0n ? part === 0n : part === floor || part === floor + 1n;
      });
    }),
  );
});

t.test('property: largest remainder — a part rounded up never has a smaller remainder than one rounded down', async () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), weights, (total, ws) => {
      const sum = ws.reduce((a, b) => a + b, 0n);
      const parts = allocate(total, ws);
      const up = ws.map((w, i) => (parts[i] ?? 0n) > (total * w) / sum);
      const rem = ws.map((w) => (total * w) % sum);
      for (let i = 0; i < ws.length; i++) {
        for (let j = 0; j < ws.length; j++) {
          if (up[i] && !up[j] && (ws[j] ?? 0n) > 0n) {
            const ri = rem[i] ?? 0n;
            const rj = rem[j] ?? 0n;
            if (ri < rj || (ri === rj && j < i)) return false;
          }
        }
      }
      return true;
    }),
  );
});

t.test('property: deterministic — the same input gives the same parts', async () => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), weights, (total, ws) => allocate(total, ws).join() === allocate(total, [...ws]).join()));
});
