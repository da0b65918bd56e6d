import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ActorRuntimeError } from '../../actors/runtime/errors.js';
import { silentLogger, systemTimers, type Logger, type TimerHandle, type Timers } from '../../actors/runtime/clock.js';
import type { ArchiveOutcome, ArchivePlan } from '../archive/archive-plan.js';
import type { JournalReader } from '../journal.js';
import type { FromReadSideWorker, ReadSideWorkerData, ToReadSideWorker } from './read-side-protocol.js';
import type { ReadModel } from './read-model.js';
import { queryCatchUpEntriesMax, type ReadSide } from './read-side.js';

/** The worker's entry next to this file: .ts under the tests' TypeScript loader, .js from dist/. */
export const readSideWorkerUrl = new URL(`./read-side-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface WorkerReadSideOptions {
  /** The node's read models (this thread's connection: queries read it, the worker writes it). */
  readonly model: ReadModel;
  readonly readModelPath: string;
  /** The node's journal (this thread reads its last log position for `lag`). */
  readonly journal: JournalReader;
  readonly journalPath: string;
  readonly journalNoSync: boolean;
  readonly partitionCount: number;
  /** How often the worker catches up by itself; 0: only when asked. */
  readonly stepMs: number;
  readonly stepEntriesMax: number;
  readonly timers?: Timers;
  readonly logger?: Logger;
  readonly workerUrl?: URL;
}

/** After the worker died, how long before another is started (a worker that dies at once is not restarted in a loop). */
export const readSideWorkerRestartMs = 1_000;

/**
 * Embedded, with a journal on disk: the read models follow the log in a worker thread, so
 * the node's event loop only decides and journals (projection was 41 % of its time on the hot
 * path). Read your writes holds as in the thread: `catchUp` asks the worker to apply what the
 * log holds when it asks — every write acknowledged before then is committed, so visible to
 * the worker's next read — and resolves once it has. A worker that dies fails the waiting
 * asks with `read_model_behind` (503, retry) and is started again; the read models resume from
 * the position they committed with their rows.
 */
export class WorkerReadSide implements ReadSide {
  readonly model: ReadModel;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private stopped: Promise<void> | null = null;
  private restart: TimerHandle | null = null;
  private readonly timers: Timers;
  private readonly logger: Logger;

  constructor(private readonly options: WorkerReadSideOptions) {
    this.model = options.model;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? silentLogger;
    this.worker = this.startWorker();
  }

  async catchUp(): Promise<void> {
    await this.ask(false);
  }

  async catchUpFully(): Promise<void> {
    await this.ask(true);
  }

  position(): number {
    return this.model.position();
  }

  lag(): number {
    return Math.max(0, this.options.journal.lastLogPosition() - this.model.position());
  }

  /** The worker applies what is left, closes its handles and ends. */
  stop(): Promise<void> {
    this.stopped ??= this.stopWorker();
    return this.stopped;
  }

  /** The worker applies everything, then runs the plan (it is the read models' one writer). */
  archive(plan: ArchivePlan): Promise<ArchiveOutcome> {
    return this.ask((id) => ({ type: 'archive', id, plan })) as Promise<ArchiveOutcome>;
  }

  private ask(message: boolean | ((id: number) => ToReadSideWorker)): Promise<unknown> {
    const worker = this.worker;
    if (this.stopped !== null) return Promise.reject(new ActorRuntimeError('system_stopped', 'the read side is stopping'));
    if (worker === null) return Promise.reject(behind('the read-side worker is being restarted'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(typeof message === 'boolean' ? ({ type: 'catch_up', id, full: message } satisfies ToReadSideWorker) : message(id));
    });
  }

  private startWorker(): Worker {
    const { options } = this;
    const workerData: ReadSideWorkerData = {
      journalPath: options.journalPath,
      journalNoSync: options.journalNoSync,
      readModelPath: options.readModelPath,
      partitionCount: options.partitionCount,
      stepMs: options.stepMs,
      stepEntriesMax: options.stepEntriesMax,
      queryEntriesMax: queryCatchUpEntriesMax,
    };
    const worker = new Worker(options.workerUrl ?? readSideWorkerUrl, { workerData });
    worker.on('message', (message: FromReadSideWorker) => this.received(message));
    worker.on('error', (error) => this.logger.error({ err: error }, 'the read-side worker failed'));
    worker.on('exit', (code) => this.exited(worker, code));
    return worker;
  }

  private received(message: FromReadSideWorker): void {
    switch (message.type) {
      case 'caught_up':
        return this.settle(message.id, null, undefined);
      case 'archived':
        return this.settle(message.id, null, message.outcome);
      case 'catch_up_failed':
        return this.settle(message.id, behind(`the read models could not catch up: ${message.message}`), undefined);
      case 'step_failed':
        return this.logger.error({ reason: message.message }, 'projection step failed; retried at the next step');
      case 'stopped':
        return;
    }
  }

  private settle(id: number, error: Error | null, value: unknown): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (error === null) waiter?.resolve(value);
    else waiter?.reject(error);
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    const error = behind(`the read-side worker ended (exit code ${code}) before it answered`);
    for (const waiter of pending) waiter.reject(error);
    if (this.stopped !== null) return;
    this.logger.error({ exitCode: code }, 'the read-side worker ended; starting another');
    this.restart = this.timers.after(readSideWorkerRestartMs, () => {
      this.restart = null;
      if (this.stopped === null) this.worker = this.startWorker();
    });
  }

  private async stopWorker(): Promise<void> {
    this.restart?.cancel();
    const worker = this.worker;
    if (worker === null) return;
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToReadSideWorker);
    await ended;
  }
}

function behind(message: string): ActorRuntimeError {
  return new ActorRuntimeError('read_model_behind', message);
}
