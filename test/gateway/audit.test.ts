import { createHash } from 'node:crypto';
import t from 'tap';
import { apiKey, gateway, opsKey } from '../helpers/gateway.js';

const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 12);
const ops = { authorization: `Bearer ${opsKey}` };

interface AuditItem {
  actor: string;
  seq: number;
  count: number;
  at: string | null;
  who: string;
  requestId: string | null;
  orderId: string | null;
  events: string[];
}

async function audit(h: Awaited<ReturnType<typeof gateway>>, query: string): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let cursor: string | null = null;
  do {
    const res = await h.get(`/ops/audit?${query}${query.includes('limit=') ? '' : '&limit=2'}${cursor === null ? '' : `&cursor=${cursor}`}`, ops);
    if (res.statusCode !== 200) throw new Error(res.body);
    const page = res.json() as { items: AuditItem[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

t.test('given transfers by a client and an operator, when the audit trail is asked, then each actor\'s events name who, the request and the order', async (t) => {
  const h = await gateway(t);
  const client = `client:${fingerprint(apiKey)}`;
  const operator = `ops:${fingerprint(opsKey)}`;
  // Given accounts opened by the client and money moved by each key, with a request id and an idempotency key
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true }, { 'x-request-id': 'req-open-bank' });
  await h.post('/v1/accounts', { id: 'w1', kind: 'investor_wallet' });
  await h.post('/v1/accounts', { id: 'hot', kind: 'platform_revenue', subAccounts: 2 });
  t.equal((await h.post('/v1/transfers', { debit: 'bank', credit: 'w1', amount: '30.00' }, { 'idempotency-key': 'fund-w1', 'x-request-id': 'req-fund' })).statusCode, 201);
  t.equal((await h.post('/v1/transfers', { id: 'w1-hot', debit: 'w1', credit: 'hot', amount: '5.00' }, { ...ops, 'x-request-id': 'req-ops-move' })).statusCode, 201);
  const batch = await h.post('/v1/transfers/batch', { transfers: [{ id: 'b1', debit: 'bank', credit: 'w1', amount: '1.00' }, { id: 'b2', debit: 'bank', credit: 'w1', amount: '2.00' }] }, { 'x-request-id': 'req-batch' });
  t.equal(batch.statusCode, 200);
  await h.quiescent();

  // When the trail of w1 is read, page by page
  const w1 = await audit(h, 'actor=acct:w1');
  // Then: its open, the client's funding credited (the credit delivered by the outbox keeps the request's cause), the operator's debit, the batch's credit
  t.match(w1[0], { who: client, events: ['account_opened'], orderId: 'w1' });
  const funded = w1.find((item) => item.events.includes('transfer_credited') && item.orderId === 'fund-w1');
  t.match(funded, { who: client, requestId: 'req-fund', count: 1 }, 'the credit carries the cause of the debit that obliged it');
  t.match(w1.find((item) => item.events.includes('transfer_debited')), { who: operator, requestId: 'req-ops-move', orderId: 'w1-hot' });
  // Each item of a batch is its own order: one request, two order ids
  t.same(w1.filter((item) => item.requestId === 'req-batch').map((item) => [item.who, item.orderId, item.events]).sort(), [[client, 'b1', ['transfer_credited']], [client, 'b2', ['transfer_credited']]]);
  t.ok(w1.every((item) => item.at !== null && Math.abs(Date.parse(item.at) - Date.now()) < 60_000), 'each run says when');
  t.ok(w1.every((item, i) => i === 0 || (w1[i - 1] as AuditItem).at! <= item.at!), 'oldest first');

  // An account's actor filter takes its sub-accounts; who and time filter
  const hot = await audit(h, 'actor=acct:hot');
  t.ok(hot.some((item) => item.actor.startsWith('acct:hot#')) && hot.every((item) => item.actor.startsWith('acct:hot')), 'a hot account\'s sub-accounts are its trail');
  const byOperator = await audit(h, `who=${encodeURIComponent(operator)}`);
  t.ok(byOperator.length >= 2 && byOperator.every((item) => item.who === operator));
  t.ok(byOperator.some((item) => item.actor === 'tid:' + item.actor.slice(4) && item.events.includes('id_claimed')), 'the id claim of the operator\'s transfer is the operator\'s too');
  const system = await audit(h, 'who=system');
  t.ok(system.some((item) => item.actor === 'acct:sys.bank' && item.events.includes('account_opened')), 'fundcore\'s own accounts were opened by the system');
  t.same(await audit(h, 'actor=acct:w1&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z'), []);

  // Never a key in the trail
  const all = JSON.stringify(await audit(h, 'limit=500'));
  t.notOk(all.includes(apiKey) || all.includes(opsKey), 'no key appears');
});

t.test('the audit trail is for the ops key; bad filters are 400s', async (t) => {
  const h = await gateway(t);
  t.equal((await h.get('/ops/audit')).statusCode, 403, 'the client key cannot read it');
  t.equal((await h.get('/ops/audit', { authorization: 'Bearer nope' })).statusCode, 401);
  for (const [query, code] of [
    ['from=yesterday', 'invalid_field'],
    ['from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z', 'invalid_field'],
    ['cursor=bm9wZQ', 'invalid_cursor'],
    ['limit=0', 'invalid_field'],
    ['colour=red', 'unknown_field'],
  ] as const) {
    const res = await h.get(`/ops/audit?${query}`, ops);
    t.equal(res.statusCode, 400, query);
    t.equal(res.json().error.code, code, query);
  }
});
