import t from 'tap';
import { failsEachJob, misbehavingNode as node } from '../../helpers/statement-jobs.js';

// Each case starts a worker thread, which under tap loads its TypeScript loader anew: seconds
// each on a busy 2-core machine. A longer timeout than the suite's, not a timed assertion.
t.setTimeout(300_000);

t.test('a worker that talks nonsense or runs out of memory fails its job with 503 statement_job_failed; the node goes on', async (t) => {
  const { h, time } = await node(t, { jobsRunningMax: 1, jobsWaitingMax: 0, workerHeapMiBMax: 256 });
  const cases = [
    ['garbage', /it sent nonsense where fields was due/],
    ['out-of-memory', /ran out of memory \(256 MiB\)/],
  ] as const;
  await failsEachJob(t, h, time, cases);
});
