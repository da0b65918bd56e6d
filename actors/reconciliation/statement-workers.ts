import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger, Timers } from '../runtime/clock.js';
import type { StatementJobCode, StatementJobLimits } from './statement-job-limits.js';
import type { FromWorker, ToWorker } from './statement-job-protocol.js';

/** The worker's entry next to this file: .ts under the tests' TypeScript loader, .js from dist/. */
export const statementWorkerUrl = new URL(`./statement-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** A job that did not run, or did not end: refused, or its worker failed. An operating error, answered with its code. */
export class StatementJobFailure extends Error {
  override readonly name = 'StatementJobFailure';
  constructor(
    readonly code: StatementJobCode | 'system_stopped',
    message: string,
  ) {
    super(message);
  }
}

/** One worker lent to one job: its messages in order; its death, or the job's timeout, as a failure. */
export class WorkerLease {
  private readonly inbox: FromWorker[] = [];
  private waiting: { resolve: (message: FromWorker) => void; reject: (error: StatementJobFailure) => void } | null = null;
  private failure: StatementJobFailure | null = null;
  private ended = false;

  constructor(private readonly worker: Worker) {}

  /** Sends a message, handing over the buffers listed (they are gone from this thread). */
  send(message: ToWorker, handOver: readonly ArrayBuffer[] = []): void {
    if (this.failure === null) this.worker.postMessage(message, [...handOver]);
  }

  /** The worker's next message; rejects once the job failed (worker dead, out of memory, out of time). */
  receive(): Promise<FromWorker> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const queued = this.inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The conversation ended as the protocol says: the worker may serve another job. */
  end(): void {
    this.ended = true;
  }

  get reusable(): boolean {
    return this.ended && this.failure === null;
  }

  deliver(message: FromWorker): void {
    if (this.failure !== null) return;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting === null) this.inbox.push(message);
    else waiting.resolve(message);
  }

  fail(failure: StatementJobFailure): void {
    if (this.failure !== null) return;
    this.failure = failure;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(failure);
  }
}

interface Pooled {
  readonly worker: Worker;
  lease: WorkerLease | null;
  /** Why it died, once it did. */
  death: string | null;
}

/**
 * Worker threads for statement jobs: at most `jobsRunningMax` jobs at once, `jobsWaitingMax`
 * waiting their turn, any more refused (reconciliation_busy). A job's worker that dies, runs
 * out of memory or out of time (`jobTimeoutMs`, on the node's timers) is stopped and fails the
 * job (statement_job_failed); the node goes on and the next job gets a fresh worker. A worker
 * that ended its job as the protocol says is kept for the next one (idle, it does not keep
 * the process alive).
 */
export class StatementWorkers {
  private readonly idle: Pooled[] = [];
  private readonly all = new Set<Pooled>();
  private readonly waiters: { resolve: () => void; reject: (error: StatementJobFailure) => void }[] = [];
  private running = 0;
  private stopped = false;

  constructor(
    private readonly limits: StatementJobLimits,
    private readonly timers: Timers,
    private readonly logger: Logger,
    private readonly workerUrl: URL = statementWorkerUrl,
  ) {}

  stats(): { running: number; waiting: number; idle: number } {
    return { running: this.running, waiting: this.waiters.length, idle: this.idle.length };
  }

  /** Runs `job` on a worker of its own; throws StatementJobFailure when refused or when the worker fails. */
  async run<T>(job: (lease: WorkerLease) => Promise<T>): Promise<T> {
    await this.slot();
    let pooled: Pooled | null = null;
    let timer: { cancel(): void } | null = null;
    try {
      pooled = this.idle.pop() ?? this.spawn();
      const lease = new WorkerLease(pooled.worker);
      const lent = pooled;
      lent.lease = lease;
      lent.worker.ref();
      timer = this.timers.after(this.limits.jobTimeoutMs, () => {
        lease.fail(new StatementJobFailure('statement_job_failed', `the statement's job took longer than ${this.limits.jobTimeoutMs / 1000} s and was stopped; the report was not recorded`));
        void lent.worker.terminate();
      });
      return await job(lease);
    } finally {
      timer?.cancel();
      if (pooled !== null) this.giveBack(pooled);
      this.freeSlot();
    }
  }

  /** Stops every worker: running jobs fail, waiting ones are refused (system_stopped). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new StatementJobFailure('system_stopped', 'the node is stopping'));
    const workers = [...this.all];
    for (const pooled of workers) pooled.lease?.fail(new StatementJobFailure('system_stopped', 'the node is stopping'));
    this.idle.splice(0);
    await Promise.all(workers.map((pooled) => pooled.worker.terminate()));
  }

  private async slot(): Promise<void> {
    if (this.stopped) throw new StatementJobFailure('system_stopped', 'the node is stopping');
    if (this.running < this.limits.jobsRunningMax) {
      this.running++;
      return;
    }
    if (this.waiters.length >= this.limits.jobsWaitingMax) {
      throw new StatementJobFailure('reconciliation_busy', `${this.running} statement jobs are running and ${this.waiters.length} waiting, the most there may be; retry shortly`);
    }
    // The slot passes from the job that frees it to this one (freeSlot): running stays the same.
    await new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private freeSlot(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next.resolve();
    else this.running--;
  }

  private spawn(): Pooled {
    let worker: Worker;
    try {
      worker = new Worker(this.workerUrl, { resourceLimits: { maxOldGenerationSizeMb: this.limits.workerHeapMiBMax } });
    } catch (error) {
      this.logger.error({ err: error }, 'statement worker could not start');
      throw new StatementJobFailure('statement_job_failed', `the statement's job failed: its worker could not start (${error instanceof Error ? error.message : String(error)})`);
    }
    const pooled: Pooled = { worker, lease: null, death: null };
    this.all.add(pooled);
    worker.on('message', (message: FromWorker) => pooled.lease?.deliver(message));
    worker.on('messageerror', (error) => this.died(pooled, `a message from its worker could not be read (${error.message})`));
    worker.on('error', (error: Error & { code?: string }) =>
      this.died(pooled, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `its worker ran out of memory (${this.limits.workerHeapMiBMax} MiB)` : `its worker failed (${error.message})`),
    );
    worker.on('exit', (code) => this.died(pooled, `its worker stopped (exit code ${code})`));
    return pooled;
  }

  private died(pooled: Pooled, why: string): void {
    if (pooled.death === null) {
      pooled.death = why;
      if (!this.stopped) this.logger.error({ why }, 'statement worker died');
      void pooled.worker.terminate();
    }
    pooled.lease?.fail(new StatementJobFailure('statement_job_failed', `the statement's job failed: ${pooled.death}; the report was not recorded`));
    this.all.delete(pooled);
    const at = this.idle.indexOf(pooled);
    if (at >= 0) this.idle.splice(at, 1);
  }

  private giveBack(pooled: Pooled): void {
    const lease = pooled.lease;
    pooled.lease = null;
    if (lease?.reusable === true && pooled.death === null && !this.stopped) {
      pooled.worker.unref();
      this.idle.push(pooled);
      return;
    }
    this.all.delete(pooled);
    void pooled.worker.terminate();
  }
}
