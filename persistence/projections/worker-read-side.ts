import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock, type Logger, type Timers } from '../../actors/runtime/clock.js';
import type { JournalReader } from '../journal.js';
import type { ReadSideWorkerData } from './read-side-protocol.js';
import type { ReadModel } from './read-model.js';
import { queryCatchUpEntriesMax } from './read-side.js';
import { ThreadedReadSide } from './threaded-read-side.js';
import { cachedStateIdleMsDefault } from './projection-states.js';
import { readSideNiceDefault } from './thread-priority.js';

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
  /** A cached actor state unused this long is dropped; cachedStateIdleMsDefault by default (the node passes its passivation idle time). */
  readonly cachedStateIdleMs?: number;
  /** Nice steps below this thread the worker runs at; readSideNiceDefault by default, 0: the same priority. */
  readonly threadNice?: number;
  /** The worker ends after this long with nothing asked or written, and starts again on the next (absent: it runs while the node does). */
  readonly restAfterIdleMs?: number;
  /** The clock `restAfterIdleMs` is counted on (the node's). */
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly logger?: Logger;
  readonly workerUrl?: URL;
}

/**
 * Embedded, with a journal on disk: the read models follow the log in a worker thread, so
 * the node's event loop only decides and journals (projection was 41 % of its time on the hot
 * path). Read your writes holds as in the thread: `catchUp` asks the worker to apply what the
 * log holds when it asks — every write acknowledged before then is committed, so visible to
 * the worker's next read — and resolves once it has. A worker that dies fails the waiting
 * asks with `read_model_behind` (503, retry) and is started again; the read models resume from
 * the position they committed with their rows. After `restAfterIdleMs` with nothing asked
 * and nothing journaled the worker ends, and its isolate's memory with it; the next query, or
 * the next entry this thread sees in the journal, starts another (read-side-rest.ts).
 */
export class WorkerReadSide extends ThreadedReadSide {
  constructor(private readonly journalOptions: WorkerReadSideOptions) {
    const data: ReadSideWorkerData = {
      journalPath: journalOptions.journalPath,
      journalNoSync: journalOptions.journalNoSync,
      readModelPath: journalOptions.readModelPath,
      partitionCount: journalOptions.partitionCount,
      stepMs: journalOptions.stepMs,
      stepEntriesMax: journalOptions.stepEntriesMax,
      queryEntriesMax: queryCatchUpEntriesMax,
      threadNice: journalOptions.threadNice ?? readSideNiceDefault,
      cachedStateIdleMs: journalOptions.cachedStateIdleMs ?? cachedStateIdleMsDefault,
    };
    super({
      model: journalOptions.model,
      worker: { url: journalOptions.workerUrl ?? readSideWorkerUrl, data },
      ...(journalOptions.restAfterIdleMs !== undefined ? { rest: { idleMs: journalOptions.restAfterIdleMs, written: () => journalOptions.journal.lastLogPosition(), now: () => (journalOptions.clock ?? systemClock).now() } } : {}),
      ...(journalOptions.timers !== undefined ? { timers: journalOptions.timers } : {}),
      ...(journalOptions.logger !== undefined ? { logger: journalOptions.logger } : {}),
    });
  }

  override lag(): number {
    return Math.max(0, this.journalOptions.journal.lastLogPosition() - this.model.position());
  }
}
