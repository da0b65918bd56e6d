import t from 'tap';
import { parseAnnualRate } from '../../../core/lending/loan/rate.js';

t.test('annual rates: plain decimals in (0, 0.36], at most 6 decimals, canonical form', async (t) => {
  t.same(parseAnnualRate('0.0825'), { ok: true, rate: '0.0825' });
  t.same(parseAnnualRate('0.08250'), { ok: true, rate: '0.0825' }, 'trailing zeros do not make another rate');
  t.same(parseAnnualRate('0.36'), { ok: true, rate: '0.36' });
  t.same(parseAnnualRate('0.000001'), { ok: true, rate: '0.000001' });
  for (const [text, code] of [
    ['0', 'annual_rate_out_of_range'],
    ['0.360001', 'annual_rate_out_of_range'],
    ['1', 'annual_rate_out_of_range'],
    ['0.0000001', 'annual_rate_invalid'],
    ['-0.1', 'annual_rate_invalid'],
    ['1e-2', 'annual_rate_invalid'],
    ['.08', 'annual_rate_invalid'],
    ['8%', 'annual_rate_invalid'],
    ['', 'annual_rate_invalid'],
  ] as const) {
    const parsed = parseAnnualRate(text);
    t.equal(parsed.ok ? 'ok' : parsed.code, code, `"${text}"`);
  }
});
