import t from 'tap';
import { pumped } from '../../helpers/lending.js';
import { jobsAre, misbehavingNode as node, ops, reconcile, smallMt940 as mt940 } from '../../helpers/statement-jobs.js';

// Each case starts a worker thread, which under tap loads its TypeScript loader anew: seconds
// each on a busy 2-core machine. A longer timeout than the suite's, not a timed assertion.
t.setTimeout(300_000);

t.test('over the limit of statement jobs: 503 reconciliation_busy at once; a job whose worker never answers fails at its timeout, never hangs; then the node reconciles again', async (t) => {
  const { h, time } = await node(t, { jobsRunningMax: 1, jobsWaitingMax: 1 });
  const stuck = reconcile(h, 'stuck', 'silent');
  await jobsAre(h, 1);
  const waiting = reconcile(h, 'waiting', mt940);
  await jobsAre(h, 1, 1);
  const refused = await reconcile(h, 'third', mt940);
  t.equal(refused.statusCode, 503);
  t.equal(refused.json().error.code, 'reconciliation_busy');
  t.equal(refused.headers['retry-after'], '1', 'a 503 says when to retry');

  time.advance(60_000);
  const failed = await stuck;
  t.equal(failed.statusCode, 503);
  t.match(failed.json().error, { code: 'statement_job_failed', message: /longer than 60 s/ });
  const served = await pumped(waiting, time, 0);
  t.equal(served.statusCode, 201, 'the waiting job gets the slot, on a fresh worker');
  t.equal(h.node.reconciliations.jobStats().running, 0);
  t.equal((await h.get('/v1/reconciliations/stuck', ops)).json().error.code, 'reconciliation_not_found', 'nothing was recorded of the stuck one');
});

t.test('no waiting room: the second job is refused while the first runs; the same id twice at once is refused too', async (t) => {
  const { h, time } = await node(t, { jobsRunningMax: 2, jobsWaitingMax: 0 });
  const stalled = reconcile(h, 'same', 'stall-after-fields');
  await jobsAre(h, 1, 0, 1);
  const again = await reconcile(h, 'same', mt940);
  t.equal(again.statusCode, 503);
  t.match(again.json().error, { code: 'reconciliation_busy', message: /reconciliation same is under way/ });
  const other = reconcile(h, 'other', 'silent');
  await jobsAre(h, 2);
  t.equal((await reconcile(h, 'third', mt940)).json().error.code, 'reconciliation_busy', 'two running, none may wait');
  time.advance(60_000);
  t.equal((await stalled).json().error.code, 'statement_job_failed');
  t.equal((await other).json().error.code, 'statement_job_failed');
});
