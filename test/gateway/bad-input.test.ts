import t from 'tap';
import { fundedWallets, gateway, journalFingerprint, opsKey } from '../helpers/gateway.js';

type BadRequest = {
  name: string;
  method?: 'GET' | 'POST';
  url: string;
  payload?: string | object;
  headers?: Record<string, string>;
  status: number;
  code: string;
};

const transfer = (patch: object) => ({ id: 'x1', debit: 'w1', credit: 'w2', amount: '1.00', ...patch });
const json = { 'content-type': 'application/json' };

const cases: BadRequest[] = [
  { name: 'malformed JSON', url: '/v1/transfers', payload: '{"id":"x1",', headers: json, status: 400, code: 'malformed_json' },
  { name: 'JSON with __proto__', url: '/v1/transfers', payload: '{"__proto__":{"x":1},"id":"x1"}', headers: json, status: 400, code: 'malformed_json' },
  { name: 'empty body', url: '/v1/transfers', payload: '', headers: json, status: 400, code: 'empty_body' },
  { name: 'not JSON', url: '/v1/transfers', payload: 'id=x1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a body that is an array', url: '/v1/transfers', payload: [1, 2], status: 400, code: 'invalid_field' },
  { name: 'amount as a JSON number', url: '/v1/transfers', payload: transfer({ amount: 1 }), status: 400, code: 'invalid_field' },
  { name: 'debit as a number', url: '/v1/transfers', payload: transfer({ debit: 7 }), status: 400, code: 'invalid_field' },
  { name: 'pending as a string', url: '/v1/transfers', payload: transfer({ pending: 'yes' }), status: 400, code: 'invalid_field' },
  { name: 'unknown field', url: '/v1/transfers', payload: transfer({ fee: '1.00' }), status: 400, code: 'unknown_field' },
  { name: 'missing amount', url: '/v1/transfers', payload: { id: 'x1', debit: 'w1', credit: 'w2' }, status: 400, code: 'missing_field' },
  { name: 'negative amount', url: '/v1/transfers', payload: transfer({ amount: '-1.00' }), status: 400, code: 'amount_must_be_positive' },
  { name: 'zero amount', url: '/v1/transfers', payload: transfer({ amount: '0.00' }), status: 400, code: 'amount_must_be_positive' },
  { name: 'over-scale amount', url: '/v1/transfers', payload: transfer({ amount: '1.001' }), status: 400, code: 'amount_too_precise' },
  { name: 'exponent amount', url: '/v1/transfers', payload: transfer({ amount: '1e2' }), status: 400, code: 'amount_invalid_format' },
  { name: 'amount beyond 10^18 minor units', url: '/v1/transfers', payload: transfer({ amount: '10000000000000000.01' }), status: 400, code: 'amount_too_large' },
  { name: 'amount with spaces', url: '/v1/transfers', payload: transfer({ amount: ' 1.00' }), status: 400, code: 'amount_invalid_format' },
  { name: 'id with bad characters', url: '/v1/transfers', payload: transfer({ id: 'a b' }), status: 400, code: 'invalid_field' },
  { name: 'id too long', url: '/v1/transfers', payload: transfer({ id: 'x'.repeat(65) }), status: 400, code: 'invalid_field' },
  { name: 'no id at all', url: '/v1/transfers', payload: { debit: 'w1', credit: 'w2', amount: '1.00' }, status: 400, code: 'missing_id' },
  { name: 'header and body id differ', url: '/v1/transfers', payload: transfer({}), headers: { 'idempotency-key': 'other' }, status: 400, code: 'idempotency_key_mismatch' },
  { name: 'same account both sides', url: '/v1/transfers', payload: transfer({ credit: 'w1' }), status: 400, code: 'accounts_must_be_different' },
  { name: 'timeout without pending', url: '/v1/transfers', payload: transfer({ timeoutMs: 1000 }), status: 400, code: 'timeout_requires_pending' },
  { name: 'timeout too long', url: '/v1/transfers', payload: transfer({ pending: true, timeoutMs: 31 * 24 * 3600 * 1000 }), status: 400, code: 'invalid_field' },
  { name: 'memo too long', url: '/v1/transfers', payload: transfer({ memo: 'm'.repeat(257) }), status: 400, code: 'invalid_field' },
  { name: 'unknown debit account', url: '/v1/transfers', payload: transfer({ debit: 'nobody' }), status: 422, code: 'debit_account_not_found' },
  { name: 'huge body', url: '/v1/transfers', payload: transfer({ memo: 'm'.repeat(100_000) }), status: 413, code: 'body_too_large' },
  { name: 'unknown account kind', url: '/v1/accounts', payload: { id: 'z', kind: 'piggy_bank' }, status: 400, code: 'invalid_field' },
  { name: 'unknown currency', url: '/v1/accounts', payload: { id: 'z', kind: 'investor_wallet', currency: 'XYZ' }, status: 400, code: 'invalid_field' },
  { name: 'overdraft as a string', url: '/v1/accounts', payload: { id: 'z', kind: 'investor_wallet', overdraft: 'true' }, status: 400, code: 'invalid_field' },
  { name: 'reopen with other settings', url: '/v1/accounts', payload: { id: 'w1', kind: 'guarantee' }, status: 409, code: 'id_reused_with_different_content' },
  { name: 'unknown account', method: 'GET', url: '/v1/accounts/nobody', status: 404, code: 'account_not_found' },
  { name: 'unknown transfer', method: 'GET', url: '/v1/transfers/nothing', status: 404, code: 'transfer_not_found' },
  { name: 'post an unknown transfer', url: '/v1/transfers/nothing/post', status: 404, code: 'transfer_not_found' },
  { name: 'post with an exponent amount', url: '/v1/transfers/fund-w1/post', payload: { amount: '1e1' }, status: 400, code: 'amount_invalid_format' },
  { name: 'void an immediate transfer', url: '/v1/transfers/fund-w1/void', status: 409, code: 'transfer_not_pending' },
  { name: 'reverse with an unknown field', url: '/v1/transfers/fund-w1/reverse', payload: { reason: 'x' }, status: 400, code: 'unknown_field' },
  { name: 'bad path id', method: 'GET', url: '/v1/accounts/%20x', status: 400, code: 'invalid_field' },
  { name: 'unknown route', method: 'GET', url: '/v1/nothing', status: 404, code: 'route_not_found' },
  { name: 'no key', url: '/v1/transfers', payload: transfer({}), headers: { authorization: '' }, status: 401, code: 'unauthorized' },
  { name: 'wrong key', url: '/v1/transfers', payload: transfer({}), headers: { authorization: 'Bearer nope' }, status: 401, code: 'unauthorized' },
  { name: 'basic auth instead of bearer', url: '/v1/transfers', payload: transfer({}), headers: { authorization: 'Basic dGVzdA==' }, status: 401, code: 'unauthorized' },
  { name: 'client key on an ops route', method: 'GET', url: '/ops/actors/acct:w1', status: 403, code: 'forbidden' },
  { name: 'batch over 8,000', url: '/v1/transfers/batch', payload: { transfers: Array.from({ length: 8001 }, () => ({})) }, status: 400, code: 'batch_too_large' },
  { name: 'empty batch', url: '/v1/transfers/batch', payload: { transfers: [] }, status: 400, code: 'invalid_field' },
];

t.test('bad input: each a 4xx with a stable code, no stack, and nothing changes', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '0' });
  const before = journalFingerprint(h.journal);
  for (const c of cases) {
    const payload = typeof c.payload === 'string' ? c.payload : c.payload === undefined ? undefined : JSON.stringify(c.payload);
    const response = await h.call({
      method: c.method ?? 'POST',
      url: c.url,
      ...(payload === undefined ? {} : { payload }),
      headers: { ...(payload !== undefined && typeof c.payload !== 'string' ? json : {}), ...c.headers },
    });
    const body = response.json() as { error?: { code?: string; message?: string } };
    t.equal(`${response.statusCode} ${body.error?.code}`, `${c.status} ${c.code}`, c.name);
    t.notMatch(response.body, /\n\s+at /, `${c.name}: no stack trace`);
  }
  await h.quiescent();
  t.equal(journalFingerprint(h.journal), before, 'the journal is exactly as before');
});

t.test('refusals decided by the ledger are recorded once and answered the same again', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '0' });
  const first = await h.post('/v1/transfers', transfer({ amount: '20.00' }));
  t.equal(first.statusCode, 422);
  t.equal(first.json().error.code, 'insufficient_funds');
  await h.post('/v1/transfers', { id: 'top-up', debit: 'bank', credit: 'w1', amount: '100.00' });
  await h.quiescent();
  const again = await h.post('/v1/transfers', transfer({ amount: '20.00' }));
  t.equal(again.statusCode, 422, 'the same id gets the first answer, even though funds are there now');
  t.equal(again.body, first.body);
  t.equal((await h.get('/v1/transfers/x1')).statusCode, 404, 'a refused transfer does not exist');
});

t.test('the ops key reaches ops routes; health and docs need no key', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '1.00' });
  t.equal((await h.get('/ops/actors/acct:w1', { authorization: `Bearer ${opsKey}` })).statusCode, 200);
  t.equal((await h.get('/ops/actors/acct:nobody', { authorization: `Bearer ${opsKey}` })).json().error.code, 'actor_not_found');
  t.equal((await h.get('/v1/accounts/w1', { authorization: `Bearer ${opsKey}` })).statusCode, 200, 'the ops key is also a client key');
  t.equal((await h.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  const docs = await h.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(docs.statusCode, 200);
  t.ok(docs.json().paths['/v1/transfers'], 'OpenAPI lists the routes');
});

/** Issue 18, defect 1: a long amount was a 500 (decimal.js at 20 digits); on every route that takes one it is a 4xx. */
t.test('a long amount answers 4xx with a stable code on every route that takes an amount', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '0' });
  const long = '999999999999999999999999.99';
  const routes: { url: string; payload: object; code?: string }[] = [
    { url: '/v1/transfers', payload: transfer({ id: 'long-1', amount: long }), code: 'amount_too_large' },
    { url: '/v1/transfers/batch', payload: { transfers: [transfer({ id: 'long-2', amount: long })] } },
    { url: '/v1/transfers/fund-w1/post', payload: { amount: long } },
    { url: '/v1/deposits', payload: { id: 'long-3', account: 'w1', amount: long } },
    { url: '/v1/withdrawals', payload: { id: 'long-4', account: 'w1', amount: long } },
    { url: '/v1/investments', payload: { id: 'long-5', investor: 'w1', amount: long, termDays: 30 } },
    { url: '/v1/loans', payload: { id: 'long-6', borrower: 'w2', amount: long, annualRate: '0.08', termMonths: 12, method: 'bullet' } },
    { url: '/v1/loans/nope/repayments', payload: { id: 'long-7', amount: long } },
  ];
  for (const route of routes) {
    for (const amount of [long, '9'.repeat(40), `${'9'.repeat(20)}.${'9'.repeat(19)}`]) {
      const payload = JSON.parse(JSON.stringify(route.payload).replaceAll(long, amount)) as object;
      const response = await h.post(route.url, payload);
      // A batch answers 200 with a result per item: the item is the 4xx.
      const status = route.url.endsWith('/batch') ? (response.json() as { results: { status: number }[] }).results[0]?.status : response.statusCode;
      t.ok(status !== undefined && status >= 400 && status < 500, `${route.url} ${amount.length} chars: ${status} ${response.body.slice(0, 120)}`);
      if (route.code !== undefined && amount === long) t.equal(response.json().error.code, route.code, `${route.url}: ${route.code}`);
    }
  }
});
