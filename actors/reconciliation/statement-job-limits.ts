/** Codes a statement job is refused with besides the statement's own (statement-error.ts); each is in gateway/errors.ts and docs/errors.md. */
export const statementJobCodes = ['reconciliation_busy', 'statement_job_failed'] as const;

export type StatementJobCode = (typeof statementJobCodes)[number];

/** Statement jobs: parse and match in worker threads, the report journaled in chunks (statement-workers.ts). */
export interface StatementJobLimits {
  /** Jobs parsing and matching at once, each in a worker thread of its own (a core each, the event loop keeps another). */
  readonly jobsRunningMax: number;
  /** Jobs waiting for a worker; one more is refused reconciliation_busy. Each holds its statement (up to 16 MiB) meanwhile. */
  readonly jobsWaitingMax: number;
  /** From getting a worker to the report recorded; past it the worker is stopped and the job fails (statement_job_failed), never hangs. */
  readonly jobTimeoutMs: number;
  /** A worker's old-generation heap: beyond it the worker runs out of memory (statement_job_failed), not the node. */
  readonly workerHeapMiBMax: number;
  /** Statements or findings in one journaled chunk (one event of the reconciliation actor). */
  readonly chunkItemsMax: number;
  /** Chunks sent to the reconciliation actor before the oldest of them is acknowledged. */
  readonly chunksInFlightMax: number;
  /** Orders (or order numbers) in one answer of the main thread to a worker: the main thread's step. */
  readonly answerOrdersMax: number;
}

export const defaultStatementJobLimits: StatementJobLimits = {
  jobsRunningMax: 1,
  jobsWaitingMax: 2,
  jobTimeoutMs: 300_000,
  workerHeapMiBMax: 2_048,
  chunkItemsMax: 1_000,
  chunksInFlightMax: 4,
  answerOrdersMax: 1_000,
};

/** Checked at start-up: every limit a positive integer, and a worker's heap enough to start one. */
export function checkStatementJobLimits(limits: StatementJobLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    const least = name === 'jobsWaitingMax' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) throw new RangeError(`statement job limit ${name} must be an integer ≥ ${least}, got ${String(value)}`);
  }
  if (limits.workerHeapMiBMax < 16) throw new RangeError(`workerHeapMiBMax must be at least 16 MiB (a worker starts with a few), got ${limits.workerHeapMiBMax}`);
}
