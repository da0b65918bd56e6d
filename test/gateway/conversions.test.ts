import t from 'tap';
import { parseCurrencies } from '../../core/money/currency.js';
import { configFromEnv } from '../../gateway/config.js';
import { gateway, opsKey, type GatewayHarness } from '../helpers/gateway.js';

async function setUp(t: Parameters<typeof gateway>[0]): Promise<GatewayHarness> {
  const h = await gateway(t, { businessClock: { mode: 'sim', startDate: '2030-01-01' } });
  for (const [id, currency] of [['bank-usd', 'USD'], ['bank-jpy', 'JPY']] as const) t.equal((await h.post('/v1/accounts', { id, kind: 'bank_settlement', overdraft: true, currency })).statusCode, 201);
  for (const [id, currency] of [['ann-usd', 'USD'], ['ann-jpy', 'JPY'], ['bob-usd', 'USD']] as const) t.equal((await h.post('/v1/accounts', { id, kind: 'investor_wallet', currency })).statusCode, 201);
  t.equal((await h.post('/v1/transfers', { id: 'fund-usd', debit: 'bank-usd', credit: 'ann-usd', amount: '500.00' })).statusCode, 201);
  t.equal((await h.post('/v1/transfers', { id: 'fund-jpy', debit: 'bank-jpy', credit: 'ann-jpy', amount: '10000' })).statusCode, 201);
  return h;
}

const total = async (h: GatewayHarness, id: string) => (await h.get(`/v1/accounts/${id}`)).json().total as string;

async function settled(h: GatewayHarness, id: string): Promise<{ status: string; [key: string]: unknown }> {
  for (let i = 0; i < 200; i++) {
    await h.quiescent();
    const conversion = (await h.get(`/v1/conversions/${id}`)).json();
    if (conversion.status === 'completed' || conversion.status === 'failed') return conversion;
  }
  throw new Error(`conversion ${id} never settled`);
}

t.test('a USD wallet converts into a JPY wallet at a stated rate: two linked transfers through the FX positions, money conserved per currency', async (t) => {
  const h = await setUp(t);
  // When ann converts 123.45 USD into her JPY wallet at 151.37 (18,686.6265 JPY)
  const asked = await h.post('/v1/conversions', { id: 'fx1', from: 'ann-usd', to: 'ann-jpy', amount: '123.45', rate: '151.37' });
  t.equal(asked.statusCode, 202);
  t.match(asked.json(), { id: 'fx1', from: { account: 'ann-usd', currency: 'USD', amount: '123.45' }, to: { account: 'ann-jpy', currency: 'JPY', amount: '18687' }, rate: '151.37', rounding: 'half_even', residualMinor: '-0.3735' });
  // Then it completes: USD left her wallet for the USD position, JPY came from the JPY position
  t.match(await settled(h, 'fx1'), { status: 'completed', failure: null });
  t.equal(await total(h, 'ann-usd'), '376.55');
  t.equal(await total(h, 'ann-jpy'), '28687');
  t.equal(await total(h, 'sys.fx.USD'), '123.45', 'the platform bought 123.45 USD');
  t.equal(await total(h, 'sys.fx.JPY'), '-18687', 'and sold 18,687 JPY');
  // The legs are transfers of their own, linked by the conversion's id
  t.match((await h.get('/v1/transfers/sys.fx.fx1.out')).json(), { debit: 'ann-usd', credit: 'sys.fx.USD', amount: '123.45', status: 'posted' });
  t.match((await h.get('/v1/transfers/sys.fx.fx1.in')).json(), { debit: 'sys.fx.JPY', credit: 'ann-jpy', amount: '18687', status: 'posted' });
  // Asked again with the same id: the same conversion, nothing moves twice
  t.equal((await h.post('/v1/conversions', { id: 'fx1', from: 'ann-usd', to: 'ann-jpy', amount: '123.45', rate: '151.37' })).json().status, 'completed');
  await h.quiescent();
  t.equal(await total(h, 'ann-usd'), '376.55');
  // And back, rounding down this time: 5,000 JPY at 0.0066 = 33.00 USD
  t.match((await h.post('/v1/conversions', { id: 'fx2', from: 'ann-jpy', to: 'ann-usd', amount: '5000', rate: '0.0066', rounding: 'down' })).json(), { to: { amount: '33.00' }, residualMinor: '0.0000' });
  t.match(await settled(h, 'fx2'), { status: 'completed' });
  t.equal(await total(h, 'ann-usd'), '409.55');
  // A currency of three decimals: 9.55 USD at 0.3072 = 2.93376 KWD → 2.934
  t.equal((await h.post('/v1/accounts', { id: 'ann-kwd', kind: 'investor_wallet', currency: 'KWD' })).statusCode, 201);
  t.match((await h.post('/v1/conversions', { id: 'fx3', from: 'ann-usd', to: 'ann-kwd', amount: '9.55', rate: '0.3072' })).json(), { to: { currency: 'KWD', amount: '2.934' }, residualMinor: '-0.240000' });
  t.match(await settled(h, 'fx3'), { status: 'completed' });
  t.equal(await total(h, 'ann-kwd'), '2.934');
  t.equal(await total(h, 'sys.fx.KWD'), '-2.934');
  // The day's close balances each currency on its own
  await h.post('/ops/clock', { date: '2030-01-02' }, { authorization: `Bearer ${opsKey}` });
  const closed = await h.post('/v1/eod/2030-01-01/close', undefined, { authorization: `Bearer ${opsKey}` });
  t.equal(closed.statusCode, 200, closed.body);
  t.equal(closed.json().balanced, true);
  const lines = closed.json().trialBalance as { currency: string; debits: string; credits: string }[];
  t.same(lines.map((line) => line.currency).sort(), ['JPY', 'KWD', 'USD']);
  t.ok(lines.every((line) => line.debits === line.credits), 'debits equal credits in every currency');
});

t.test('a conversion the source cannot pay fails with the ledger\'s code, and nothing moved', async (t) => {
  const h = await setUp(t);
  t.equal((await h.post('/v1/conversions', { id: 'fx-big', from: 'bob-usd', to: 'ann-jpy', amount: '1.00', rate: '150' })).statusCode, 202);
  t.match(await settled(h, 'fx-big'), { status: 'failed', failure: { code: 'insufficient_funds' } });
  t.equal(await total(h, 'bob-usd'), '0.00');
  t.equal(await total(h, 'ann-jpy'), '10000');
});

t.test('bad conversions: each a 4xx with its code, and nothing changed', async (t) => {
  const h = await setUp(t);
  const refused = async (body: object, status: number, code: string) => {
    const reply = await h.post('/v1/conversions', body);
    t.equal(reply.statusCode, status, `${code}: ${reply.body}`);
    t.equal(reply.json().error.code, code);
  };
  const base = { id: 'bad', from: 'ann-usd', to: 'ann-jpy', amount: '10.00', rate: '150' };
  await refused({ ...base, rate: undefined }, 400, 'missing_field');
  await refused({ ...base, rate: '-1' }, 400, 'fx_rate_invalid');
  await refused({ ...base, rate: '1e3' }, 400, 'fx_rate_invalid');
  await refused({ ...base, to: 'bob-usd' }, 422, 'conversion_same_currency');
  await refused({ ...base, to: 'nobody' }, 404, 'account_not_found');
  await refused({ ...base, from: 'sys.fx.USD' }, 403, 'system_account_protected');
  await refused({ ...base, amount: '10.001' }, 400, 'amount_too_precise');
  await refused({ ...base, from: 'ann-jpy', to: 'ann-usd', amount: '10.5' }, 400, 'amount_too_precise');
  await refused({ ...base, from: 'ann-jpy', to: 'ann-usd', amount: '1', rate: '0.001' }, 422, 'conversion_rounds_to_zero');
  await refused({ ...base, rounding: 'nearest' }, 400, 'invalid_field');
  t.equal((await h.post('/v1/accounts', { id: 'hot-usd', kind: 'platform_revenue', currency: 'USD', subAccounts: 4 })).statusCode, 201);
  await refused({ ...base, to: 'hot-usd', from: 'ann-jpy', amount: '100' }, 422, 'conversion_account_not_plain');
  t.equal((await h.post('/v1/conversions', base)).statusCode, 202);
  await refused({ ...base, amount: '11.00' }, 409, 'conversion_id_reused');
  t.equal((await h.get('/v1/conversions/none')).json().error.code, 'conversion_not_found');
  await h.quiescent();
  t.equal(await total(h, 'ann-usd'), '490.00', 'only the one accepted conversion moved money');
});

t.test('FUNDCORE_CURRENCIES: accounts open only in the currencies the platform books; each with its minor unit', async (t) => {
  const h = await gateway(t, { currencies: ['CNY', 'USD', 'BHD'] });
  t.equal((await h.post('/v1/accounts', { id: 'a-bhd', kind: 'investor_wallet', currency: 'BHD' })).statusCode, 201);
  const refused = await h.post('/v1/accounts', { id: 'a-jpy', kind: 'investor_wallet', currency: 'JPY' });
  t.equal(refused.statusCode, 422);
  t.equal(refused.json().error.code, 'currency_not_configured');
  t.equal((await h.get('/v1/accounts/a-jpy')).json().error.code, 'account_not_found', 'nothing opened');
  t.same(parseCurrencies('USD, KWD'), ['CNY', 'USD', 'KWD'], 'the home currency is always booked');
  t.match(parseCurrencies('USD,XXX'), /unknown currencies XXX/);
  t.throws(() => configFromEnv({ FUNDCORE_API_KEY: 'a', FUNDCORE_OPS_KEY: 'o', FUNDCORE_CURRENCIES: 'USD,ABC' }), /FUNDCORE_CURRENCIES: unknown currencies ABC/);
});
