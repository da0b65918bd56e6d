import t from 'tap';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway, journalFingerprint, opsKey } from '../helpers/gateway.js';

const ops = { authorization: `Bearer ${opsKey}` };

t.test('POST /v1/investments/:id/redeem: bad input is a clear 4xx and changes nothing; at maturity 202, then GET …/redemption follows it', async (t) => {
  const h = await gateway(t, { bank: new FakeBank(), businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2 } });
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  await h.post('/v1/accounts', { id: 'alice', kind: 'investor_wallet' });
  await h.post('/v1/transfers', { id: 'fund-alice', debit: 'bank', credit: 'alice', amount: '1000.00' });
  t.equal((await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '600.00', termDays: 30 })).statusCode, 201);
  await h.quiescent();

  t.same((await h.get('/v1/accounts/alice')).json().openInvestments, ['i1'], 'the investment the wallet funded is open');
  const before = journalFingerprint(h.journal);
  const refusals: [string, unknown, number, string][] = [
    ['/v1/investments/nope/redeem', {}, 404, 'investment_not_found'],
    ['/v1/investments/i1/redeem', {}, 409, 'redemption_before_maturity'],
    ['/v1/investments/i1/redeem', { id: 'has space' }, 400, 'invalid_field'],
    ['/v1/investments/i1/redeem', { id: 'r1', extra: 1 }, 400, 'unknown_field'],
    // Part of its money is on the platform: the wallet does not close (ahead of its balance).
    ['/v1/accounts/alice/close', undefined, 409, 'account_has_open_investments'],
  ];
  for (const [url, body, status, code] of refusals) {
    const answer = await h.post(url, body);
    t.equal(answer.statusCode, status, `${url} ${JSON.stringify(body)}: ${status}`);
    t.match(answer.json(), { error: { code } });
  }
  t.match((await h.get('/v1/investments/i1/redemption')).json(), { error: { code: 'redemption_not_found' } });
  t.equal((await h.get('/v1/investments/i1/redemption')).statusCode, 404);
  await h.quiescent();
  t.equal(journalFingerprint(h.journal), before, 'the refusals changed nothing');

  await h.post('/ops/clock', { advanceDays: 30 }, ops);
  const started = await h.post('/v1/investments/i1/redeem', undefined);
  t.equal(started.statusCode, 202);
  t.match(started.json(), { id: 'rdm-i1', investmentId: 'i1', investor: 'alice', principal: '600.00', maturityDate: '2030-01-31' });
  await h.quiescent();
  const view = (await h.get('/v1/investments/i1/redemption')).json();
  t.match(view, { status: 'completed', pulledBack: '600.00', pulledBackBooked: '600.00', pullBacksRefused: [], transferred: '0.00', outstanding: '0.00', interestPaid: '0.00' });
  t.equal((await h.get('/v1/accounts/alice')).json().total, '1000.00', 'the unmatched capital came back to the wallet');
  t.match((await h.post('/v1/accounts/alice/close', undefined)).json(), { error: { code: 'account_balance_not_zero' } }, 'redeemed: the lien is gone, only the balance keeps it open');
  t.same((await h.get('/v1/accounts/alice')).json().openInvestments, [], 'none open');
  t.match((await h.post('/v1/investments/i1/redeem', { id: 'another' })).json(), { id: 'rdm-i1', status: 'completed' }, 'one redemption per investment');
});
