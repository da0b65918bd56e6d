import type { ArchiveOutcome, ArchivePlan } from '../archive/archive-plan.js';
import type { ThreadPriorityOutcome } from './thread-priority.js';

/**
 * What the node's thread and its read-side worker say to each other
 * (worker-read-side.ts ↔ read-side-worker.ts).
 */

/** Where the worker finds the journal and the read models, and how it steps. */
export interface ReadSideWorkerData {
  readonly journalPath: string;
  readonly journalNoSync: boolean;
  readonly readModelPath: string;
  readonly partitionCount: number;
  /** How often it catches up by itself (0: only when asked). */
  readonly stepMs: number;
  /** Entries one step or one query applies at most (the rest at the next). */
  readonly stepEntriesMax: number;
  readonly queryEntriesMax: number;
  /** Nice steps below the node's thread the worker runs at (thread-priority.ts). */
  readonly threadNice: number;
  /** A cached actor state unused this long is dropped: the node's idle time before passivation. */
  readonly cachedStateIdleMs: number;
}

export type ToReadSideWorker =
  /** Apply what the log holds now (at most the query bound, or all of it); answer with the position reached. */
  | { readonly type: 'catch_up'; readonly id: number; readonly full: boolean }
  /** Apply everything, then run an archiving plan; answer `archived`. */
  | { readonly type: 'archive'; readonly id: number; readonly plan: ArchivePlan }
  /** Apply everything, close, answer `stopped`. */
  | { readonly type: 'stop' };

export type FromReadSideWorker =
  | { readonly type: 'caught_up'; readonly id: number; readonly position: number }
  | { readonly type: 'catch_up_failed'; readonly id: number; readonly message: string }
  | { readonly type: 'archived'; readonly id: number; readonly outcome: ArchiveOutcome }
  /** How far behind its feed the worker is now (a cluster gateway's worker says so after each batch). */
  | { readonly type: 'lag'; readonly lag: number }
  /** A step of its own failed (retried at the next): for the node's log. */
  | { readonly type: 'step_failed'; readonly message: string }
  | { readonly type: 'stopped' }
  /** Sent once at start: whether the worker runs at a lower CPU priority than the node's thread, or why not. */
  | { readonly type: 'priority'; readonly outcome: ThreadPriorityOutcome };
