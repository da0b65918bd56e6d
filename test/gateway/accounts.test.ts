import t from 'tap';
import { gateway } from '../helpers/gateway.js';

t.test('open: 201; the same again answers the same status and body; the Idempotency-Key may name it', async (t) => {
  const h = await gateway(t);
  const first = await h.post('/v1/accounts', { id: 'w1', kind: 'investor_wallet' });
  t.equal(first.statusCode, 201);
  t.match(first.json(), { id: 'w1', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 1 });
  const again = await h.post('/v1/accounts', { id: 'w1', kind: 'investor_wallet' });
  t.equal(again.statusCode, 201);
  t.equal(again.body, first.body, 'byte for byte');
  const byHeader = await h.post('/v1/accounts', { kind: 'guarantee', currency: 'USD' }, { 'idempotency-key': 'g1' });
  t.equal(byHeader.statusCode, 201);
  t.equal(byHeader.json().id, 'g1');
});

t.test('read: balances as decimal strings; close needs zero balance and no holds', async (t) => {
  const h = await gateway(t);
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await h.post('/v1/accounts', { id: 'w1', kind: 'investor_wallet' });
  await h.post('/v1/accounts', { id: 'w2', kind: 'investor_wallet' });
  await h.post('/v1/transfers', { id: 'd1', debit: 'bank', credit: 'w1', amount: '12.34' });
  await h.quiescent();
  await h.post('/v1/transfers', { id: 'h1', debit: 'w1', credit: 'w2', amount: '2.34', pending: true });
  const w1 = (await h.get('/v1/accounts/w1')).json();
  t.match(w1, { available: '10.00', frozen: '2.34', total: '12.34', pendingTransfers: 1, closed: false });
  t.equal((await h.get('/v1/accounts/bank')).json().total, '-12.34', 'the bank mirror overdraws');
  t.equal((await h.post('/v1/accounts/w1/close')).json().error.code, 'account_has_pending_transfers');
  await h.post('/v1/transfers/h1/void');
  t.equal((await h.post('/v1/accounts/w1/close')).json().error.code, 'account_balance_not_zero');
  await h.post('/v1/transfers', { id: 'back', debit: 'w1', credit: 'bank', amount: '12.34' });
  await h.quiescent();
  const closed = await h.post('/v1/accounts/w1/close');
  t.equal(closed.statusCode, 200);
  t.match(closed.json(), { closed: true, total: '0.00' });
  const refused = await h.post('/v1/transfers', { id: 'late', debit: 'bank', credit: 'w1', amount: '1.00' });
  t.equal(refused.json().error.code, 'credit_account_closed');
});

t.test('a hot account over HTTP: subAccounts at opening, reads as one account with its parts', async (t) => {
  const h = await gateway(t);
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  const opened = await h.post('/v1/accounts', { id: 'platform', kind: 'platform_revenue', subAccounts: 8 });
  t.equal(opened.statusCode, 201);
  t.match(opened.json(), { subAccounts: 8, bufferCredits: false });
  t.equal((await h.post('/v1/accounts', { id: 'platform', kind: 'platform_revenue', subAccounts: 4 })).json().error.code, 'id_reused_with_different_content');
  t.equal((await h.post('/v1/accounts', { id: 'x', kind: 'platform_revenue', subAccounts: 65 })).json().error.code, 'invalid_field');
  for (let i = 0; i < 20; i++) await h.post('/v1/transfers', { id: `in-${i}`, debit: 'bank', credit: 'platform', amount: '5.00' });
  await h.quiescent();
  const account = (await h.get('/v1/accounts/platform')).json();
  t.equal(account.total, '100.00');
  t.equal(account.parts.length, 8);
  t.equal(account.parts.reduce((sum: number, p: { total: string }) => sum + Number(p.total), 0), 100, 'the parts add up');
});

t.test('a non-real-time account over HTTP shows its buffered part', async (t) => {
  const h = await gateway(t);
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  t.match((await h.post('/v1/accounts', { id: 'fees', kind: 'platform_revenue', bufferCredits: true })).json(), { bufferCredits: true });
  await h.post('/v1/transfers', { id: 'f1', debit: 'bank', credit: 'fees', amount: '3.00' });
  await new Promise((resolve) => setTimeout(resolve, 5));
  t.match((await h.get('/v1/accounts/fees')).json(), { total: '0.00', buffered: '3.00', bufferedCredits: 1 });
  await h.quiescent();
  t.match((await h.get('/v1/accounts/fees')).json(), { total: '3.00', buffered: '0.00', bufferedCredits: 0 });
});
