import t, { type Test } from 'tap';
import type { BankCallbackWire } from '../../actors/bank/wire.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway, journalFingerprint, signedCallback, type GatewayHarness } from '../helpers/gateway.js';

const nowMs = 1_900_000_000_000;

async function withDeposits(t: Test, bank = new FakeBank()): Promise<GatewayHarness & { bank: FakeBank }> {
  const h = await gateway(t, { bank, now: () => nowMs });
  await h.post('/v1/accounts', { id: 'alice', kind: 'investor_wallet' });
  await h.post('/v1/depository-accounts', { id: 'alice', account: 'alice' });
  await settled(h, bank, 'open-alice');
  await deliver(h, bank.complete('open-alice', 'succeeded'));
  await h.quiescent();
  return { ...h, bank };
}

async function settled(h: GatewayHarness, bank: FakeBank, orderNo: string): Promise<void> {
  for (let i = 0; i < 500 && !bank.orders.has(orderNo); i++) {
    await h.quiescent();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function deliver(h: GatewayHarness, body: BankCallbackWire | string, options: Parameters<typeof signedCallback>[1] = {}) {
  const { payload, headers } = signedCallback(body, { timestampMs: nowMs, ...options });
  return h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload, headers });
}

async function deposit(h: GatewayHarness & { bank: FakeBank }, id: string, amount = '10.00'): Promise<BankCallbackWire> {
  await h.post('/v1/deposits', { id, account: 'alice', amount });
  await settled(h, h.bank, `dep-${id}`);
  return h.bank.complete(`dep-${id}`, 'succeeded');
}

t.test('a signed, fresh callback is journaled, then acknowledged (no API key: the signature authenticates it)', async (t) => {
  const h = await withDeposits(t);
  const callback = await deposit(h, 'd1');
  const response = await deliver(h, callback);
  t.equal(response.statusCode, 200);
  t.same(response.json(), { acknowledged: true, duplicate: false });
  await h.quiescent();
  t.equal((await h.get('/v1/accounts/alice')).json().total, '10.00');
});

t.test('bad signatures and stale timestamps: 401, and nothing changes', async (t) => {
  const h = await withDeposits(t);
  const callback = await deposit(h, 'd1');
  const body = JSON.stringify(callback);
  const cases: { name: string; send: () => ReturnType<typeof deliver>; code: string }[] = [
    { name: 'another secret', send: () => deliver(h, callback, { secret: 'not-the-secret' }), code: 'callback_signature_invalid' },
    {
      name: 'a tampered body',
      send: () => {
        const { headers } = signedCallback(callback, { timestampMs: nowMs });
        return h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload: body.replace('"succeeded"', '"failed"'), headers });
      },
      code: 'callback_signature_invalid',
    },
    {
      name: 'a replayed signature with a new timestamp',
      send: () => {
        const { headers } = signedCallback(callback, { timestampMs: nowMs });
        return h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload: body, headers: { ...headers, 'x-bank-timestamp': String(nowMs + 1) } });
      },
      code: 'callback_signature_invalid',
    },
    { name: 'no signature headers', send: () => h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload: body, headers: { 'content-type': 'application/json' } }), code: 'callback_signature_invalid' },
    {
      name: 'a signature that is not hex',
      send: () => h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload: body, headers: { 'content-type': 'application/json', 'x-bank-timestamp': String(nowMs), 'x-bank-signature': 'zz' } }),
      code: 'callback_signature_invalid',
    },
    { name: 'six minutes old', send: () => deliver(h, callback, { timestampMs: nowMs - 6 * 60_000 }), code: 'callback_timestamp_stale' },
    { name: 'six minutes ahead', send: () => deliver(h, callback, { timestampMs: nowMs + 6 * 60_000 }), code: 'callback_timestamp_stale' },
    { name: 'malformed JSON, unsigned', send: () => h.app.inject({ method: 'POST', url: '/v1/bank/callbacks', payload: '{"orderNo":', headers: { 'content-type': 'application/json' } }), code: 'callback_signature_invalid' },
  ];
  for (const c of cases) {
    const before = journalFingerprint(h.journal);
    const response = await c.send();
    t.equal(response.statusCode, 401, `${c.name}: 401`);
    t.equal(response.json().error.code, c.code, `${c.name}: ${c.code}`);
    await h.quiescent();
    t.equal(journalFingerprint(h.journal), before, `${c.name}: nothing changed`);
  }
  t.equal((await h.get('/v1/accounts/alice')).json().total, '0.00');
  const fresh = await deliver(h, callback, { timestampMs: nowMs - 4 * 60_000 });
  t.equal(fresh.statusCode, 200, 'four minutes old is within the tolerance');
});

t.test('a signed callback is still validated: malformed JSON, unknown fields, unknown or unsent orders', async (t) => {
  const h = await withDeposits(t);
  const callback = await deposit(h, 'd1');
  const malformed = await deliver(h, '{"orderNo":');
  t.equal(malformed.statusCode, 400);
  t.equal(malformed.json().error.code, 'malformed_json');
  const extra = await deliver(h, { ...callback, fee: '1.00' } as BankCallbackWire);
  t.equal(extra.json().error.code, 'unknown_field');
  const unknown = await deliver(h, { ...callback, orderNo: 'dep-nope' });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().error.code, 'bank_order_not_found');
  await h.post('/v1/withdrawals', { id: 'w1', account: 'alice', amount: '99.00' });
  const unsent = await deliver(h, { ...callback, orderNo: 'wd-w1', kind: 'withdrawal' });
  t.equal(unsent.statusCode, 409, 'a withdrawal refused at its hold was never sent');
  t.equal(unsent.json().error.code, 'bank_order_not_sent');
});

t.test('duplicates and out-of-order callbacks are idempotent', async (t) => {
  const h = await withDeposits(t);
  const first = await deposit(h, 'd1', '10.00');
  const second = await deposit(h, 'd2', '20.00');
  t.same((await deliver(h, second)).json(), { acknowledged: true, duplicate: false }, 'the later order first');
  t.same((await deliver(h, first)).json(), { acknowledged: true, duplicate: false });
  for (let i = 0; i < 3; i++) t.same((await deliver(h, i % 2 === 0 ? first : second)).json(), { acknowledged: true, duplicate: true });
  const contradicting = await deliver(h, { ...first, status: 'failed', code: 'bank_declined', bankTxnId: null });
  t.same(contradicting.json(), { acknowledged: true, duplicate: false }, 'a contradicting result is acknowledged (the bank stops) and recorded for ops');
  await h.quiescent();
  t.equal((await h.get('/v1/accounts/alice')).json().total, '30.00', 'each deposit credited once; the contradiction moved nothing');
  t.match((await h.get('/v1/deposits/d1')).json(), { status: 'succeeded', conflict: { outcome: 'failed' } });
});

t.test('a callback that overtakes the bank\'s "accepted" completes the order; the late "accepted" changes nothing', async (t) => {
  const bank = new FakeBank();
  const h = await withDeposits(t, bank);
  let overtaken: ReturnType<typeof deliver> | null = null;
  bank.onSubmit = async (order) => {
    if (order.kind !== 'deposit') return;
    overtaken = deliver(h, bank.complete(order.orderNo, 'succeeded'));
    await overtaken;
  };
  await h.post('/v1/deposits', { id: 'd1', account: 'alice', amount: '10.00' });
  for (let i = 0; i < 500 && overtaken === null; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  const answered = await (overtaken as ReturnType<typeof deliver> | null);
  t.same(answered?.json(), { acknowledged: true, duplicate: false });
  await h.quiescent();
  const order = (await h.get('/v1/deposits/d1')).json();
  t.match(order, { status: 'succeeded', result: { via: 'callback' } });
  const events = [...h.journal.readEvents('bank:dep-d1', 1)].map((e) => (e.event as { type: string }).type);
  t.same(events, ['order_created', 'order_completed'], 'completed straight from sending; the accepted answer that came after recorded nothing');
  t.equal((await h.get('/v1/accounts/alice')).json().total, '10.00');
});

t.test('a callback carries the currency it booked: another than the order\'s is refused (422 bank_currency_mismatch) and changes nothing; the order\'s own completes it', async (t) => {
  const h = await withDeposits(t);
  const callback = await deposit(h, 'd1');
  const before = journalFingerprint(h.journal);
  const foreign = await deliver(h, { ...callback, currency: 'USD' });
  t.equal(foreign.statusCode, 422, foreign.body);
  t.equal(foreign.json().error.code, 'bank_currency_mismatch');
  await h.quiescent();
  t.equal(journalFingerprint(h.journal), before, 'nothing journaled');
  t.match((await h.get('/v1/deposits/d1')).json(), { status: /^(sending|accepted)$/, result: null }, 'the order is still out');
  t.equal((await deliver(h, { ...callback, currency: 'cny' })).json().error.code, 'invalid_field', 'an ISO 4217 code is three capitals');
  t.equal((await deliver(h, { ...callback, currency: 'CNY' })).statusCode, 200);
  await h.quiescent();
  t.equal((await h.get('/v1/accounts/alice')).json().total, '10.00');
});
