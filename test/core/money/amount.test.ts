import fc from 'fast-check';
import t from 'tap';
import { amountMinorMax, formatAmount, parseAmount } from '../../../core/money/amount.js';
import { currencies, scaleOf } from '../../../core/money/currency.js';

t.test('parseAmount: accepted forms', async (t) => {
  const cases: [string, bigint][] = [
    ['1234.56', 123456n],
    ['0.01', 1n],
    ['1', 100n],
    ['1.5', 150n],
    ['007.10', 710n],
    ['10000000000000000.00', 10n ** 18n],
  ];
  for (const [text, minor] of cases) t.same(parseAmount(text, 'CNY'), { ok: true, minor }, text);
  t.same(parseAmount('12', 'JPY'), { ok: true, minor: 12n }, 'JPY has no minor unit');
  t.same(parseAmount('0', 'CNY', { allowZero: true }), { ok: true, minor: 0n });
  t.same(parseAmount('-2.50', 'CNY', { allowNegative: true }), { ok: true, minor: -250n });
});

t.test('parseAmount: refusals, each with its code', async (t) => {
  const cases: [unknown, string][] = [
    ['1e3', 'amount_invalid_format'],
    ['1E-2', 'amount_invalid_format'],
    ['0x10', 'amount_invalid_format'],
    ['', 'amount_invalid_format'],
    [' 1', 'amount_invalid_format'],
    ['1 ', 'amount_invalid_format'],
    ['+1', 'amount_invalid_format'],
    ['1,000.00', 'amount_invalid_format'],
    ['1.', 'amount_invalid_format'],
    ['.5', 'amount_invalid_format'],
    ['NaN', 'amount_invalid_format'],
    ['Infinity', 'amount_invalid_format'],
    [100, 'amount_invalid_format'],
    [null, 'amount_invalid_format'],
    ['1'.repeat(41), 'amount_invalid_format'],
    ['1.001', 'amount_too_precise'],
    ['1.000', 'amount_too_precise'],
    ['0', 'amount_must_be_positive'],
    ['0.00', 'amount_must_be_positive'],
    ['-1', 'amount_must_be_positive'],
    ['-0', 'amount_must_be_positive'],
    ['10000000000000000.01', 'amount_too_large'],
  ];
  for (const [text, code] of cases) {
    const parsed = parseAmount(text, 'CNY');
    t.equal(parsed.ok ? 'accepted' : parsed.code, code, JSON.stringify(text));
  }
  const jpy = parseAmount('1.5', 'JPY');
  t.equal(jpy.ok ? 'accepted' : jpy.code, 'amount_too_precise');
});

t.test('formatAmount pads to the scale and keeps the sign', async (t) => {
  t.equal(formatAmount(0n, 'CNY'), '0.00');
  t.equal(formatAmount(5n, 'CNY'), '0.05');
  t.equal(formatAmount(-123456n, 'CNY'), '-1234.56');
  t.equal(formatAmount(7n, 'JPY'), '7');
  t.equal(formatAmount(10n ** 30n, 'USD'), '10000000000000000000000000000.00', 'balances beyond one command are exact too');
});

t.test('property: format then parse is the identity on minor units, for every currency', async () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: amountMinorMax }), fc.constantFrom(...currencies), (minor, currency) => {
      const parsed = parseAmount(formatAmount(minor, currency), currency);
      return parsed.ok && parsed.minor === minor;
    }),
  );
});

t.test('property: parse never accepts more decimals than the scale, never returns a non-bigint', async () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{1,20}(\.\d{1,6})?$/), fc.constantFrom(...currencies), (text, currency) => {
      const parsed = parseAmount(text, currency);
      const decimals = text.includes('.') ? (text.split('.')[1] ?? '').length : 0;
      if (decimals > scaleOf(currency)) return !parsed.ok && parsed.code === 'amount_too_precise';
      return !parsed.ok || (typeof parsed.minor === 'bigint' && parsed.minor > 0n);
    }),
  );
});

t.test('long amounts are refused with a stable code, never thrown (issue 18, defect 1)', async (t) => {
  const cases: [string, string][] = [
    ['999999999999999999999999.99', 'amount_too_large'],
    ['9'.repeat(40), 'amount_too_large'],
    [`${'9'.repeat(37)}.99`, 'amount_too_large'],
    [`-${'9'.repeat(36)}.99`, 'amount_must_be_positive'],
    [`${'0'.repeat(36)}.01`, 'accepted'],
    ['123456789012345678.9', 'amount_too_large'],
  ];
  for (const [text, code] of cases) {
    const parsed = parseAmount(text, 'CNY');
    t.equal(parsed.ok ? 'accepted' : parsed.code, code, text);
  }
  const negative = parseAmount(`-${'9'.repeat(36)}.99`, 'CNY', { allowNegative: true });
  t.equal(negative.ok ? 'accepted' : negative.code, 'amount_too_large', 'negative beyond the limit');
});

/** Strings of digits, signs, points, commas, exponents and spaces, up to 80 characters. */
const oddAmountText = fc.oneof(
  fc.stringMatching(/^-?\d{1,45}(\.\d{0,45})?$/),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', '+', 'e', 'E', ',', ' ', '_', 'x', '\u0660'), maxLength: 80 }),
  fc.string({ maxLength: 80 }),
);

t.test('property: parseAmount never throws, whatever the text, currency and options', async () => {
  fc.assert(
    fc.property(oddAmountText, fc.constantFrom(...currencies), fc.boolean(), fc.boolean(), (text, currency, allowZero, allowNegative) => {
      const parsed = parseAmount(text, currency, { allowZero, allowNegative });
      if (!parsed.ok) return typeof parsed.code === 'string';
      return parsed.minor <= amountMinorMax && parsed.minor >= -amountMinorMax;
    }),
    { numRuns: 5000 },
  );
});
