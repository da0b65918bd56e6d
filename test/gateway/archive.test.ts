import t, { type Test } from 'tap';
import { dataSourceHeader } from '../../gateway/routes/read-models.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { apiKey } from '../helpers/gateway.js';
import { opsHeaders as ops, repayingLoan, until } from '../helpers/repaying-loan.js';

async function repayPeriod(h: Awaited<ReturnType<typeof repayingLoan>>, id: string, day: string) {
  await h.post('/ops/clock', { date: day }, ops);
  t.equal((await h.post('/v1/loans/L1/repayments', { id })).statusCode, 202);
  await until(h, async () => h.bank.pending('repayment').length === 1);
  const orderNo = h.bank.pending('repayment')[0]?.orderNo as string;
  await h.node.bank.handleCallback(h.bank.complete(orderNo, 'succeeded'));
  await until(h, async () => (await h.get(`/v1/loans/L1/repayments/${id}`)).json().status === 'succeeded');
}

/** Every answer the archive must not change, with the header that says where each came from. */
async function answers(h: GatewayHarness) {
  const urls = [
    '/v1/investors/alice/statement?from=2030-01-01&to=2031-12-31',
    '/v1/investors/bob/statement?from=2030-03-01&to=2030-06-30',
    '/v1/accounts/alice/cashflow?limit=2',
    '/v1/accounts/alice/cashflow?fromDay=2030-02-01&toDay=2030-12-31',
    `/v1/accounts/alice/balance?at=${encodeURIComponent('2031-06-01T00:00:00Z')}`,
    '/v1/claims?investor=alice',
    '/v1/claims?loan=L1&status=finished',
    '/v1/claims/L1%2Fc1/lineage',
    '/v1/transfers?account=bob',
    '/v1/transfers?status=reversed',
  ];
  const bodies: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const url of urls) {
    const reply = await h.get(url);
    t.equal(reply.statusCode, 200, url);
    const { asOfPosition: _position, ...body } = reply.json() as Record<string, unknown>;
    bodies[url] = body;
    sources[url] = String(reply.headers[dataSourceHeader]);
  }
  return { bodies, sources };
}

async function archiveNow(t: Test, h: GatewayHarness) {
  const reply = await h.post('/ops/archive', {}, ops);
  t.equal(reply.statusCode, 200);
  return reply.json();
}

t.test('a settled loan archived after 18 months: every query answers the same, the header says the archive; a reversal brings a transfer back', async (t) => {
  const h = await repayingLoan(t);
  t.equal((await h.post('/v1/transfers', { id: 'gift-bob', debit: 'bank', credit: 'bob', amount: '10.00' })).statusCode, 201);
  // Given L1 repaid to the end (settled on 2030-04-01) and the days closed
  await repayPeriod(h, 'r1', '2030-02-01');
  await repayPeriod(h, 'r2', '2030-03-01');
  await repayPeriod(h, 'r3', '2030-04-01');
  t.equal((await h.get('/v1/loans/L1')).json().status, 'settled');
  await h.post('/ops/clock', { date: '2030-04-02' }, ops);
  t.equal((await h.post('/v1/eod/2030-04-01/close', undefined, ops)).statusCode, 200);
  // When archiving runs before 18 months have passed, nothing moves
  t.match(await archiveNow(t, h), { archivedBefore: '2028-10-01', moved: [] });
  // And 19 months on, with the days closed
  await h.post('/ops/clock', { date: '2031-11-02' }, ops);
  t.equal((await h.post('/v1/eod/2031-11-01/close', undefined, ops)).statusCode, 200);
  await h.quiescent();
  const before = await answers(h);
  t.ok(Object.values(before.sources).every((source) => source === 'hot'), 'all hot before');
  const report = await archiveNow(t, h);
  // Then what ended before 2030-05 moved: legs, transfers, the claims, the loan with its periods, the capitals matched whole
  t.equal(report.archivedBefore, '2030-05-01');
  const moved = new Set((report.moved as { table: string }[]).map((m) => m.table));
  t.same([...moved].sort(), ['capitals', 'claims', 'legs', 'loans', 'transfers']);
  // And every answer is the same, body for body; the header says where it came from
  const after = await answers(h);
  t.same(after.bodies, before.bodies);
  t.equal(after.sources['/v1/claims?investor=alice'], 'archive');
  t.equal(after.sources['/v1/claims/L1%2Fc1/lineage'], 'archive');
  t.equal(after.sources['/v1/investors/alice/statement?from=2030-01-01&to=2031-12-31'], 'hot, archive');
  t.equal(after.sources['/v1/accounts/alice/cashflow?limit=2'], 'archive');
  // When a transfer archived long ago is reversed
  t.equal((await h.post('/v1/transfers/gift-bob/reverse', {})).statusCode, 201);
  await h.quiescent();
  // Then it answers as reversed (brought back to the hot rows), never as posted twice
  const reversed = (await h.get('/v1/transfers?status=reversed')).json().items.map((x: { id: string }) => x.id);
  t.same(reversed, ['gift-bob']);
  const posted = (await h.get('/v1/transfers?account=bob&status=posted')).json().items.map((x: { id: string }) => x.id);
  t.notOk(posted.includes('gift-bob'));
  t.equal((await h.get('/v1/transfers?orderNo=gift-bob')).json().items.length, 1);
  // The client key may not archive
  t.equal((await h.post('/ops/archive', {}, { authorization: `Bearer ${apiKey}` })).statusCode, 403);
  t.equal((await h.post('/ops/archive', { before: '2031-01-01' }, ops)).json().error.code, 'unknown_field');
});
