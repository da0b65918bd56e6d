import t from 'tap';
import { apiKey, gateway } from '../helpers/gateway.js';
import { opsHeaders as ops } from '../helpers/repaying-loan.js';

t.test('an order amendment: the transfer reversed, the corrected one posted under the amendment\'s id, with the reason and the ops key that asked', async (t) => {
  const h = await gateway(t);
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  for (const id of ['ann', 'bob', 'cat']) await h.post('/v1/accounts', { id, kind: 'investor_wallet' });
  await h.post('/v1/transfers', { id: 'fund', debit: 'bank', credit: 'ann', amount: '500.00' });
  t.equal((await h.post('/v1/transfers', { id: 't1', debit: 'ann', credit: 'bob', amount: '100.00' })).statusCode, 201);
  const total = async (id: string) => (await h.get(`/v1/accounts/${id}`)).json().total as string;

  // When an operator amends it: 80.00 to cat, not 100.00 to bob
  const amended = await h.post('/v1/transfers/t1/amend', { id: 't1-fix', credit: 'cat', amount: '80.00', reason: 'keyed 100 for 80, wrong payee' }, ops);
  t.equal(amended.statusCode, 201, amended.body);
  t.match(amended.json(), { id: 't1-fix', original: 't1', status: 'completed', reversal: 't1~reversal', corrected: { debit: 'ann', credit: 'cat', amount: '80.00', memo: 'amends t1: keyed 100 for 80, wrong payee' }, by: /^ops:[0-9a-f]{12}$/ });
  await h.quiescent();
  // Then the books follow: the original stands reversed, the correction is posted
  t.equal(await total('ann'), '420.00');
  t.equal(await total('bob'), '0.00');
  t.equal(await total('cat'), '80.00');
  t.equal((await h.get('/v1/transfers/t1')).json().status, 'reversed');
  t.equal((await h.get('/v1/transfers/t1-fix')).json().status, 'posted');
  t.same((await h.get('/v1/transfers/t1/amendment')).json(), amended.json());
  // ann's cashflow keeps every step: the original, its reversal, the correction
  const legs = (await h.get('/v1/accounts/ann/cashflow')).json().items.map((leg: { transferId: string; side: string; amount: string }) => `${leg.transferId} ${leg.side} ${leg.amount}`);
  t.same(legs, ['fund credit 500.00', 't1 debit 100.00', 't1~reversal credit 100.00', 't1-fix debit 80.00']);
  // Asked again (a lost answer): the same amendment, nothing twice
  t.same((await h.post('/v1/transfers/t1/amend', { id: 't1-fix', credit: 'cat', amount: '80.00', reason: 'keyed 100 for 80, wrong payee' }, ops)).json(), amended.json());
  await h.quiescent();
  t.equal(await total('ann'), '420.00');
  // The audit trail names the key that asked, for the reversal and the correction
  const trail = (await h.get('/ops/audit?actor=acct:ann', ops)).json().items as { orderId: string | null; who: string }[];
  t.ok(trail.some((item) => item.orderId === 't1-fix' && item.who.startsWith('ops:')), 'the correction, by the ops key');
});

t.test('amendments refused: each a 4xx with its code, nothing changed', async (t) => {
  const h = await gateway(t);
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  for (const id of ['ann', 'bob']) await h.post('/v1/accounts', { id, kind: 'investor_wallet' });
  await h.post('/v1/transfers', { id: 'fund', debit: 'bank', credit: 'ann', amount: '100.00' });
  await h.post('/v1/transfers', { id: 't1', debit: 'ann', credit: 'bob', amount: '10.00' });
  await h.post('/v1/transfers', { id: 'hold', debit: 'ann', credit: 'bob', amount: '5.00', pending: true });
  const refused = async (path: string, body: object, status: number, code: string, headers: Record<string, string> = ops) => {
    const reply = await h.post(path, body, headers);
    t.equal(reply.statusCode, status, `${code}: ${reply.body}`);
    t.equal(reply.json().error.code, code);
  };
  await refused('/v1/transfers/t1/amend', { id: 'a1', amount: '9.00', reason: 'x' }, 403, 'forbidden', { authorization: `Bearer ${apiKey}` });
  await refused('/v1/transfers/t1/amend', { id: 'a1', amount: '9.00' }, 400, 'missing_field');
  await refused('/v1/transfers/nope/amend', { id: 'a1', reason: 'x' }, 404, 'transfer_not_found');
  await refused('/v1/transfers/hold/amend', { id: 'a1', reason: 'x' }, 409, 'transfer_not_amendable');
  // ann spent what 'fund' brought her: its reversal is refused, the amendment fails, nothing moved
  await refused('/v1/transfers/fund/amend', { id: 'a0', amount: '1.00', reason: 'x' }, 422, 'insufficient_funds');
  t.match((await h.get('/v1/transfers/fund/amendment')).json(), { status: 'failed', failure: { code: 'insufficient_funds' } });
  t.equal((await h.get('/v1/transfers/t1/amendment')).json().error.code, 'amendment_not_found');
  // Bad content is refused before anything is recorded or reversed
  await refused('/v1/transfers/t1/amend', { id: 'b1', amount: '9.001', reason: 'x' }, 400, 'amount_too_precise');
  await refused('/v1/transfers/t1/amend', { id: 'b2', amount: '0.00', reason: 'x' }, 400, 'amount_must_be_positive');
  await refused('/v1/transfers/t1/amend', { id: 'b3', credit: 'nobody', reason: 'x' }, 404, 'account_not_found');
  await refused('/v1/transfers/t1/amend', { id: 'b4', credit: 'ann', reason: 'x' }, 400, 'accounts_must_be_different');
  await refused('/v1/transfers/t1/amend', { id: 'b5', credit: 'sys.revenue', reason: 'x' }, 403, 'system_account_protected');
  t.equal((await h.get('/v1/transfers/t1/amendment')).json().error.code, 'amendment_not_found', 'nothing recorded');
  t.equal((await h.get('/v1/transfers/t1')).json().status, 'posted', 'nothing reversed');
  // Named with the id of another transfer: it fails before anything is reversed
  await refused('/v1/transfers/t1/amend', { id: 'fund', amount: '9.00', reason: 'x' }, 409, 'id_reused_with_different_content');
  t.equal((await h.get('/v1/transfers/t1')).json().status, 'posted', 'nothing reversed');
  t.equal((await h.post('/v1/transfers/t1/amend', { id: 'a1', amount: '9.00', reason: 'typo' }, ops)).statusCode, 201, 'after a failed amendment, another id may amend it');
  await refused('/v1/transfers/t1/amend', { id: 'a2', amount: '8.00', reason: 'again' }, 409, 'amendment_exists');
  await h.quiescent();
  t.equal((await h.get('/v1/accounts/ann')).json().total, '91.00', 'only the one amendment moved money');
});
