import { readFileSync } from 'node:fs';
import t from 'tap';
import { gateway, opsKey } from '../helpers/gateway.js';
import { repoPath } from '../helpers/repo.js';

const ops = { authorization: `Bearer ${opsKey}` };
const camt = readFileSync(repoPath('test/fixtures/statements/camt053-v02.xml'), 'utf8');

t.test('GET /ops/accounts/hot lists hot accounts with every sub-account balance; plain accounts are not listed', async (t) => {
  const h = await gateway(t);
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await h.post('/v1/accounts', { id: 'hot', kind: 'investor_wallet', subAccounts: 3 });
  await h.post('/v1/accounts', { id: 'plain', kind: 'investor_wallet' });
  for (let i = 0; i < 6; i++) await h.post('/v1/transfers', { id: `f${i}`, debit: 'bank', credit: 'hot', amount: '10.00' });
  await h.quiescent();
  const response = await h.get('/ops/accounts/hot', ops);
  t.equal(response.statusCode, 200);
  const items = response.json().items as { id: string; total: string; parts: { index: number; available: string }[] }[];
  t.same(items.map((a) => a.id), ['hot']);
  t.equal(items[0]?.total, '60.00');
  t.equal(items[0]?.parts.length, 3);
  const sum = items[0]?.parts.reduce((s, p) => s + Number(p.available.replace('.', '')), 0);
  t.equal(sum, 6000, 'the parts sum to the total');
  t.equal((await h.get('/ops/accounts/hot?limit=51', ops)).statusCode, 400);
  t.equal((await h.get('/ops/accounts/hot')).statusCode, 403, 'ops key only');
});

t.test('GET /ops/reports/latest: nothing before; then the last closed day and the last reconciliation', async (t) => {
  const h = await gateway(t, { businessClock: { mode: 'sim', startDate: '2026-06-01' } });
  t.same((await h.get('/ops/reports/latest', ops)).json(), { eod: null, reconciliation: null });

  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await h.post('/v1/accounts', { id: 'w', kind: 'investor_wallet' });
  await h.post('/v1/transfers', { id: 'd1', debit: 'bank', credit: 'w', amount: '5.00' });
  await h.quiescent();
  t.equal((await h.post('/ops/clock', { advanceDays: 2 }, ops)).statusCode, 200);
  t.equal((await h.post('/v1/eod/2026-06-01/close', undefined, ops)).statusCode, 200);
  t.equal((await h.post('/v1/eod/2026-06-02/close', undefined, ops)).statusCode, 200);
  const reconciled = await h.post('/v1/reconciliations', { id: 'rec-1', format: 'camt.053', content: camt }, ops);
  t.equal(reconciled.statusCode, 201, reconciled.body);

  const latest = (await h.get('/ops/reports/latest', ops)).json();
  t.equal(latest.eod.date, '2026-06-02', 'the latest closed day');
  t.equal(latest.eod.balanced, true);
  t.equal(latest.reconciliation.id, 'rec-1');
  t.ok(latest.reconciliation.findings >= 0 && typeof latest.reconciliation.summary === 'object');
});
