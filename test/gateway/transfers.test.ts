import t from 'tap';
import { fundedWallets, gateway } from '../helpers/gateway.js';

t.test('create: 201 with the transfer; a retry gets the same body; other content is a 409', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '100.00', w2: '0' });
  const body = { id: 'p1', debit: 'w1', credit: 'w2', amount: '30.00', memo: 'rent' };
  const first = await h.post('/v1/transfers', body);
  t.equal(first.statusCode, 201);
  t.match(first.json(), { id: 'p1', amount: '30.00', currency: 'CNY', status: 'posted', creditInFlight: true, memo: 'rent' });
  await h.quiescent();
  const again = await h.post('/v1/transfers', body);
  t.equal(again.statusCode, 201);
  t.equal(again.body, first.body, 'the first answer, byte for byte, though the credit has landed since');
  const other = await h.post('/v1/transfers', { ...body, amount: '31.00' });
  t.equal(other.statusCode, 409);
  t.equal(other.json().error.code, 'id_reused_with_different_content');
  t.equal((await h.get('/v1/accounts/w1')).json().total, '70.00', 'applied exactly once');
});

t.test('GET tells whether the credit is still in flight, and shows the legs', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '0' });
  await h.post('/v1/transfers', { id: 'p1', debit: 'w1', credit: 'w2', amount: '4.00' });
  await h.quiescent();
  const landed = (await h.get('/v1/transfers/p1')).json();
  t.match(landed, { status: 'posted', creditInFlight: false, legs: [{ account: 'w1', side: 'debit', amount: '4.00' }, { account: 'w2', side: 'credit', amount: '4.00' }] });
  t.type(landed.creditedAt, 'string');
});

t.test('pending: hold, partial post releases the rest, post again is the first answer, void after post is refused', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '100.00', w2: '0' });
  const held = await h.post('/v1/transfers', { id: 'h1', debit: 'w1', credit: 'w2', amount: '40.00', pending: true, timeoutMs: 60_000 });
  t.match(held.json(), { status: 'pending', creditInFlight: false });
  t.match((await h.get('/v1/accounts/w1')).json(), { available: '60.00', frozen: '40.00' });
  const posted = await h.post('/v1/transfers/h1/post', { amount: '25.50' });
  t.equal(posted.statusCode, 200);
  t.match(posted.json(), { status: 'posted', postedAmount: '25.50' });
  t.equal((await h.post('/v1/transfers/h1/post', { amount: '25.50' })).body, posted.body);
  t.equal((await h.post('/v1/transfers/h1/post', { amount: '26.00' })).json().error.code, 'pending_transfer_already_posted');
  t.equal((await h.post('/v1/transfers/h1/void')).json().error.code, 'pending_transfer_already_posted');
  await h.quiescent();
  t.match((await h.get('/v1/accounts/w1')).json(), { available: '74.50', frozen: '0.00' });
  t.match((await h.get('/v1/accounts/w2')).json(), { total: '25.50' });
});

t.test('pending: void releases; over-posting is refused', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '100.00', w2: '0' });
  await h.post('/v1/transfers', { id: 'h1', debit: 'w1', credit: 'w2', amount: '40.00', pending: true });
  t.equal((await h.post('/v1/transfers/h1/post', { amount: '40.01' })).json().error.code, 'exceeds_pending_transfer_amount');
  const voided = await h.post('/v1/transfers/h1/void');
  t.match(voided.json(), { status: 'voided', voidReason: 'voided' });
  t.equal((await h.post('/v1/transfers/h1/void')).statusCode, 200, 'voiding again is the first answer');
  t.equal((await h.post('/v1/transfers/h1/post')).json().error.code, 'pending_transfer_already_voided');
  t.match((await h.get('/v1/accounts/w1')).json(), { available: '100.00', frozen: '0.00' });
});

t.test('reverse: opposite legs linked to the original, at most once', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '100.00', w2: '0' });
  await h.post('/v1/transfers', { id: 'p1', debit: 'w1', credit: 'w2', amount: '30.00' });
  await h.quiescent();
  const reversal = await h.post('/v1/transfers/p1/reverse', { memo: 'wrong payee' });
  t.equal(reversal.statusCode, 201);
  t.match(reversal.json(), { id: 'p1~reversal', debit: 'w2', credit: 'w1', amount: '30.00', reverses: 'p1', memo: 'wrong payee' });
  t.equal((await h.post('/v1/transfers/p1/reverse')).body, reversal.body, 'a second reversal is the first answer');
  await h.quiescent();
  t.match((await h.get('/v1/transfers/p1')).json(), { status: 'reversed', reversedBy: 'p1~reversal' });
  t.equal((await h.get('/v1/accounts/w1')).json().total, '100.00');
  t.equal((await h.get('/v1/accounts/w2')).json().total, '0.00');
  t.equal((await h.post('/v1/transfers/p1~reversal/reverse')).json().error.code, 'cannot_reverse_a_reversal');
});

t.test('batch: a result per item, in order; one bad item fails alone', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '0' });
  const response = await h.post('/v1/transfers/batch', {
    transfers: [
      { id: 'b1', debit: 'w1', credit: 'w2', amount: '4.00' },
      { id: 'b2', debit: 'w1', credit: 'w2', amount: '4.00' },
      { id: 'b3', debit: 'w1', credit: 'w2', amount: '4.00' },
      { id: 'b4', debit: 'w1', credit: 'w2', amount: '1e1' },
      { debit: 'w1', credit: 'w2', amount: '1.00' },
      { id: 'b6', debit: 'w1', credit: 'w2', amount: 1 },
      { id: 'b1', debit: 'w1', credit: 'w2', amount: '4.00' },
    ],
  });
  t.equal(response.statusCode, 200);
  const results = response.json().results as { id: string | null; status: number; error?: { code: string } }[];
  t.same(
    results.map((r) => [r.id, r.status, r.error?.code ?? null]),
    [
      ['b1', 201, null],
      ['b2', 201, null],
      ['b3', 422, 'insufficient_funds'],
      ['b4', 400, 'amount_invalid_format'],
      [null, 400, 'missing_id'],
      ['b6', 400, 'invalid_field'],
      ['b1', 201, null],
    ],
  );
  await h.quiescent();
  t.equal((await h.get('/v1/accounts/w2')).json().total, '8.00');
});

t.test('a pending transfer with a timeout voids itself', async (t) => {
  const h = await gateway(t);
  await fundedWallets(h, { w1: '10.00', w2: '0' });
  await h.post('/v1/transfers', { id: 'h1', debit: 'w1', credit: 'w2', amount: '5.00', pending: true, timeoutMs: 30 });
  await new Promise((resolve) => setTimeout(resolve, 120));
  t.match((await h.get('/v1/transfers/h1')).json(), { status: 'voided', voidReason: 'expired' });
  t.match((await h.get('/v1/accounts/w1')).json(), { available: '10.00', frozen: '0.00' });
  t.equal((await h.post('/v1/transfers/h1/post')).json().error.code, 'pending_transfer_expired');
});
