import t from 'tap';
import { checkStatementJobLimits, defaultStatementJobLimits } from '../../../actors/reconciliation/statement-job-limits.js';
import { configFromEnv } from '../../../gateway/config.js';

t.test('statement job limits come from the environment, checked; unset, the defaults', async (t) => {
  t.same(configFromEnv({}).statementJobs, {});
  t.same(configFromEnv({ FUNDCORE_STATEMENT_JOBS_MAX: '3', FUNDCORE_STATEMENT_JOBS_WAITING_MAX: '0', FUNDCORE_STATEMENT_JOB_TIMEOUT_MS: '60000', FUNDCORE_STATEMENT_WORKER_HEAP_MIB: '512' }).statementJobs, {
    jobsRunningMax: 3,
    jobsWaitingMax: 0,
    jobTimeoutMs: 60_000,
    workerHeapMiBMax: 512,
  });
  t.throws(() => configFromEnv({ FUNDCORE_STATEMENT_JOBS_MAX: '0' }), /FUNDCORE_STATEMENT_JOBS_MAX must be an integer in 1..64/);
  t.throws(() => configFromEnv({ FUNDCORE_STATEMENT_WORKER_HEAP_MIB: 'lots' }), /FUNDCORE_STATEMENT_WORKER_HEAP_MIB/);
});

t.test('the limits are checked at start-up: positive integers (none waiting allowed), a heap a worker can start in', async (t) => {
  t.doesNotThrow(() => checkStatementJobLimits(defaultStatementJobLimits));
  t.doesNotThrow(() => checkStatementJobLimits({ ...defaultStatementJobLimits, jobsWaitingMax: 0 }));
  t.throws(() => checkStatementJobLimits({ ...defaultStatementJobLimits, jobsRunningMax: 0 }), /jobsRunningMax must be an integer ≥ 1/);
  t.throws(() => checkStatementJobLimits({ ...defaultStatementJobLimits, chunkItemsMax: 2.5 }), /chunkItemsMax/);
  t.throws(() => checkStatementJobLimits({ ...defaultStatementJobLimits, workerHeapMiBMax: 8 }), /at least 16 MiB/);
});
