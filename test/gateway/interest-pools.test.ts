import t from 'tap';
import { interestPoolActorId, type InterestPoolMessage } from '../../actors/lending/interest-pool-messages.js';
import { gateway } from '../helpers/gateway.js';

const credit = (investor: string, flowId: string, amount: bigint, investRepayDate = '2031-01-01'): InterestPoolMessage => ({
  type: 'credit_interest',
  data: { investor, flowId, kind: 'repayment', amount, ref: `claim-${flowId}`, source: { investmentId: 'i1', investRepayDate } },
});

t.test('interest pool over HTTP: flows typed as the seed, paged; the switch; a reinvestment moves money and makes interest capital', async (t) => {
  const h = await gateway(t, { businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2 } });
  await h.post('/v1/accounts', { id: 'alice', kind: 'investor_wallet' });

  const empty = await h.get('/v1/investors/alice/interest-pool');
  t.equal(empty.statusCode, 200);
  t.match(empty.json(), { investor: 'alice', balance: '0.00', reinvestOn: true, flows: [], next: null });
  t.equal((await h.get('/v1/investors/nobody/interest-pool')).json().error.code, 'account_not_found');

  const off = await h.post('/v1/investors/alice/interest-pool/reinvest-switch', { on: false });
  t.equal(off.statusCode, 200);
  t.equal(off.json().reinvestOn, false);
  for (const [i, amount] of [60_00n, 50_00n, 1_23n].entries()) await h.node.system.ask(interestPoolActorId('alice'), credit('alice', `f${i}`, amount));
  await h.node.system.ask(interestPoolActorId('alice'), credit('alice', 'f0', 60_00n));
  const held = await h.get('/v1/investors/alice/interest-pool?limit=2');
  t.match(held.json(), { balance: '111.23', reinvestOn: false, flowCount: 3, next: 2 }, 'switch off: no reinvestment; a redelivered flow counted once');
  t.same(held.json().flows.map((f: { type: number; amount: string }) => [f.type, f.amount]), [[11, '60.00'], [11, '50.00']]);
  t.same((await h.get('/v1/investors/alice/interest-pool?after=2')).json().flows.map((f: { seq: number }) => f.seq), [3]);
  t.equal((await h.get('/v1/investors/alice/interest-pool?limit=501')).statusCode, 400);

  await h.post('/v1/investors/alice/interest-pool/reinvest-switch', { on: true });
  await h.node.system.ask(interestPoolActorId('alice'), credit('alice', 'f9', 1n));
  await h.quiescent();
  const after = (await h.get('/v1/investors/alice/interest-pool?after=3')).json();
  t.match(after, { balance: '0.00', reinvestOn: true });
  t.same(after.flows.map((f: { type: number; amount: string }) => [f.type, f.amount]), [[11, '0.01'], [21, '-111.24']]);
  const ipool = (await h.get('/v1/accounts/sys.ipool')).json();
  const pool = (await h.get('/v1/accounts/sys.pool')).json();
  t.equal(ipool.total, '-111.24', 'the reinvestment left the pooled interest account (nobody credited it in this test)');
  t.equal(pool.total, '111.24', 'and reached the capital pool');
  const capitals = await h.node.system.ask('pool:0', { type: 'get_capital', data: { capitalId: 'ir.alice.1' } });
  const other = await h.node.system.ask('pool:1', { type: 'get_capital', data: { capitalId: 'ir.alice.1' } });
  const capital = capitals.ok ? capitals.value : other.ok ? other.value : null;
  t.match(capital, { id: 'ir.alice.1', investor: 'alice', principal: 111_24n, property: 'interest', source: 'interest_reinvest', investmentId: 'i1' });
});
