import fc from 'fast-check';
import t from 'tap';
import { withFields } from '../../core/with-fields.js';

const record = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.bigInt(), fc.integer(), fc.constant(null), fc.constant(undefined)), { maxKeys: 8 });

t.test('given any record and fields, when one is extended with the other, then it is the spread: the same keys in the same order, the fields winning', async (t) => {
  fc.assert(
    fc.property(record, record, (base, fields) => {
      const extended = withFields(base, fields);
      const spread = { ...base, ...fields };
      t.strictSame(Object.entries(extended), Object.entries(spread));
      return extended !== base && extended !== fields;
    }),
    { numRuns: 300 },
  );
});

t.test('given a record, when it is extended, then the record itself is left as it was', async (t) => {
  const base = { id: 't1', amount: 5n };
  const extended = withFields(base, { at: 1, amount: 7n });
  t.strictSame(base, { id: 't1', amount: 5n });
  t.strictSame(extended, { id: 't1', amount: 7n, at: 1 });
});
