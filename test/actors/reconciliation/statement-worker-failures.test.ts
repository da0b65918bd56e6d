import t from 'tap';
import { gateway } from '../../helpers/gateway.js';
import { pumped } from '../../helpers/lending.js';
import { failsEachJob, misbehavingNode as node, reconcile, smallMt940 as mt940 } from '../../helpers/statement-jobs.js';

// Each case starts a worker thread, which under tap loads its TypeScript loader anew: seconds
// each on a busy 2-core machine. A longer timeout than the suite's, not a timed assertion.
t.setTimeout(300_000);

t.test('a worker that exits or throws fails its job with 503 statement_job_failed; the node goes on', async (t) => {
  const { h, time } = await node(t, { jobsRunningMax: 1, jobsWaitingMax: 0, workerHeapMiBMax: 256 });
  const cases = [
    ['exit', /stopped \(exit code 3\)/],
    ['throw', /a bug in the worker/],
  ] as const;
  await failsEachJob(t, h, time, cases);
  const fine = await pumped(reconcile(h, 'fine', mt940), time, 0);
  t.equal(fine.statusCode, 201, 'the next statement is reconciled on a fresh worker');
  t.equal(h.node.reconciliations.jobStats().idle, 1, 'whose worker is kept for the next');
  t.equal((await pumped(reconcile(h, 'fine', mt940), time, 0)).statusCode, 201, 'asked again: the same answer, on the same worker');
});

t.test('a worker that cannot even start fails the job with 503 statement_job_failed, not a 500', async (t) => {
  const h = await gateway(t, { statementWorkerUrl: new URL('./no-such-statement-worker.ts', import.meta.url) });
  const answer = await reconcile(h, 'nowhere', mt940);
  t.equal(answer.statusCode, 503);
  t.match(answer.json().error, { code: 'statement_job_failed', message: /its worker (failed|stopped|could not start)/ });
  t.same(h.node.reconciliations.jobStats(), { running: 0, waiting: 0, idle: 0, named: 0 });
});
