import { Worker } from 'node:worker_threads';
import { ActorRuntimeError } from '../../actors/runtime/errors.js';
import { silentLogger, systemTimers, type Logger, type TimerHandle, type Timers } from '../../actors/runtime/clock.js';
import type { ArchiveOutcome, ArchivePlan } from '../archive/archive-plan.js';
import type { FromReadSideWorker, ToReadSideWorker } from './read-side-protocol.js';
import type { ReadModel } from './read-model.js';
import { ReadSideRest, type ReadSideRestOptions } from './read-side-rest.js';
import type { ReadSide } from './read-side.js';
import type { ThreadPriorityOutcome } from './thread-priority.js';

export interface ThreadedReadSideOptions {
  /** The read models as this thread reads them (queries); the worker is their one writer. */
  readonly model: ReadModel;
  /** The worker's entry and what it is started with. */
  readonly worker: { readonly url: URL; readonly data: unknown };
  /** When set, the worker ends while nothing is asked or written, and starts again when something is (read-side-rest.ts). */
  readonly rest?: ReadSideRestOptions;
  readonly timers?: Timers;
  readonly logger?: Logger;
}

/** After the worker died, how long before another is started (a worker that dies at once is not restarted in a loop). */
export const readSideWorkerRestartMs = 1_000;

/**
 * Read models written by a worker thread, read here: `catchUp` asks the worker to apply what
 * its feed holds when it asks and resolves once it has (read your writes). A worker that dies
 * fails the waiting asks with `read_model_behind` (503, retry) and is started again; the read
 * models resume from the position they committed with their rows. The embedded node's worker
 * follows its journal (WorkerReadSide), a cluster gateway's the cluster's log stream.
 * With `rest`, an idle worker ends and the next ask or entry starts another: an ask then
 * waits for the start (read-side-rest.ts says why).
 */
export class ThreadedReadSide implements ReadSide {
  readonly model: ReadModel;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private stopped: Promise<void> | null = null;
  /** How far behind the worker last said it was. */
  private reportedLag = 0;
  private restart: TimerHandle | null = null;
  private readonly rest: ReadSideRest | null;
  private restCheck: TimerHandle | null = null;
  /** The worker ended for rest; no other runs until it has closed its handles. */
  private resting: { readonly ended: Promise<void> } | null = null;
  /** Another worker is started once the resting one has ended; asks wait for it. */
  private waking: Promise<void> | null = null;
  private workerStarts = 0;
  private priority: ThreadPriorityOutcome | null = null;
  private readonly timers: Timers;
  private readonly logger: Logger;

  constructor(private readonly options: ThreadedReadSideOptions) {
    this.model = options.model;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? silentLogger;
    this.rest = options.rest === undefined ? null : new ReadSideRest(options.rest);
    this.worker = this.startWorker();
    if (this.rest !== null) this.restCheck = this.timers.every(this.rest.checkEveryMs, () => this.checkRest());
  }

  /** Whether the worker is resting (ended while idle; started again by the next ask or entry). */
  get isResting(): boolean {
    return this.resting !== null;
  }

  /** Resolves once a resting worker has ended (at once when none rests). */
  async rested(): Promise<void> {
    await this.resting?.ended;
  }

  /** How many workers this read side has started: the first, and one per wake or restart. */
  get startedWorkers(): number {
    return this.workerStarts;
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

  /** As the worker last said (a worker that follows a feed this thread can read says nothing; see WorkerReadSide). */
  lag(): number {
    return this.reportedLag;
  }

  /** What the worker said of its CPU priority at its start (null: not yet). */
  threadPriority(): ThreadPriorityOutcome | null {
    return this.priority;
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
    this.rest?.used();
    if (this.resting !== null || this.waking !== null) return this.wake().then(() => this.ask(message));
    if (worker === null) return Promise.reject(behind('the read-side worker is being restarted'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(typeof message === 'boolean' ? ({ type: 'catch_up', id, full: message } satisfies ToReadSideWorker) : message(id));
    });
  }

  private startWorker(): Worker {
    const { url, data } = this.options.worker;
    const worker = new Worker(url, { workerData: data });
    this.workerStarts += 1;
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
      case 'lag':
        this.reportedLag = message.lag;
        return;
      case 'priority':
        this.priority = message.outcome;
        if (message.outcome.applied) this.logger.info({ nice: message.outcome.nice }, 'read-side worker runs at a lower CPU priority than the node');
        else this.logger.warn({ reason: message.outcome.reason }, 'read-side worker runs at the node\'s CPU priority');
        return;
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

  private checkRest(): void {
    if (this.rest === null || this.stopped !== null) return;
    let decision;
    try {
      const activity = { running: this.worker !== null, asking: this.waiting.size, applied: this.model.position() };
      decision = this.rest.decide(activity, this.resting !== null);
    } catch (error) {
      // A timer's callback: a read that fails here is logged and looked at again next time, not thrown into the process.
      return this.logger.error({ err: error }, 'the read side could not tell whether it may rest; it looks again at its next check');
    }
    if (decision === 'rest') this.retire();
    else if (decision === 'wake') void this.wake();
  }

  /** The worker applies what is left and ends; `exited` ignores it (it is no longer `this.worker`). */
  private retire(): void {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    this.resting = { ended: stopped(worker) };
    this.logger.info({ idleMs: this.rest?.idleMs }, 'the read side rests: its worker ended while idle; the next query or entry starts another');
  }

  private wake(): Promise<void> {
    const resting = this.resting;
    if (this.waking !== null || resting === null) return this.waking ?? Promise.resolve();
    this.resting = null;
    this.waking = resting.ended.then(() => {
      this.waking = null;
      if (this.stopped === null) this.worker = this.startWorker();
    });
    return this.waking;
  }

  private async stopWorker(): Promise<void> {
    this.restart?.cancel();
    this.restCheck?.cancel();
    // A resting worker has ended or is ending: wait for it, so its handles are closed when this resolves.
    await this.waking;
    await this.resting?.ended;
    if (this.worker !== null) await stopped(this.worker);
  }
}

/** Asks a worker to apply what is left and end; resolves once it has exited. */
function stopped(worker: Worker): Promise<void> {
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ type: 'stop' } satisfies ToReadSideWorker);
  return ended;
}

function behind(message: string): ActorRuntimeError {
  return new ActorRuntimeError('read_model_behind', message);
}
