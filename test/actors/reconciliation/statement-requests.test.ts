import t from 'tap';
import { pumped } from '../../helpers/lending.js';
import { misbehavingNode as node, ops, smallMt940 as mt940 } from '../../helpers/statement-jobs.js';

// Each case starts a worker thread, which under tap loads its TypeScript loader anew: seconds
// each on a busy 2-core machine. A longer timeout than the suite's, not a timed assertion.
t.setTimeout(300_000);

t.test('a statement the worker refuses answers the same 400 codes as ever; a bad body, the same codes as any route', async (t) => {
  const { h, time } = await node(t, { jobsRunningMax: 1, jobsWaitingMax: 0 });
  const cases: [string, object | string, number, string][] = [
    ['malformed XML', { id: 'r1', format: 'camt.053', content: '<Document><BkToCstmrStmt>' }, 400, 'statement_malformed'],
    ['no MT940 message', { id: 'r1', format: 'mt940', content: 'hello' }, 400, 'statement_unreadable'],
    ['not JSON', '{"id": "r1", "format": ', 400, 'malformed_json'],
    ['prototype poisoning', '{"id":"r1","format":"mt940","content":"x","__proto__":{"a":1}}', 400, 'malformed_json'],
    ['JSON null', 'null', 400, 'empty_body'],
    ['an unknown field', { id: 'r1', format: 'mt940', content: 'x', extra: 1 }, 400, 'unknown_field'],
    ['no content', { id: 'r1', format: 'mt940' }, 400, 'missing_field'],
    ['an empty content', { id: 'r1', format: 'mt940', content: '' }, 400, 'invalid_field'],
    ['no id', { format: 'mt940', content: 'x' }, 400, 'missing_id'],
    ['a window of 100 days', { id: 'r1', format: 'mt940', content: 'x', dateWindowDays: 100 }, 400, 'invalid_field'],
  ];
  for (const [name, body, status, code] of cases) {
    const answer = await pumped(h.call({ method: 'POST', url: '/v1/reconciliations', headers: { ...ops, 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) }), time, 0);
    t.equal(answer.statusCode, status, `${name}: ${answer.body}`);
    t.equal(answer.json().error.code, code, name);
  }
  const empty = await pumped(h.call({ method: 'POST', url: '/v1/reconciliations', headers: { ...ops, 'content-type': 'application/json' } }), time, 0);
  t.equal(empty.json().error.code, 'empty_body');
  const mismatch = await pumped(h.call({ method: 'POST', url: '/v1/reconciliations', headers: { ...ops, 'idempotency-key': 'k2' }, payload: { id: 'k1', format: 'mt940', content: mt940 } }), time, 0);
  t.equal(mismatch.json().error.code, 'idempotency_key_mismatch');
  const byHeader = await pumped(h.call({ method: 'POST', url: '/v1/reconciliations', headers: { ...ops, 'idempotency-key': 'k3' }, payload: { format: 'mt940', content: mt940 } }), time, 0);
  t.equal(byHeader.statusCode, 201, 'named by its Idempotency-Key');
  t.equal(byHeader.json().id, 'k3');
  t.same(h.node.reconciliations.jobStats(), { running: 0, waiting: 0, idle: 1, named: 0 }, 'every refusal ended its job cleanly: one worker, kept');
});
