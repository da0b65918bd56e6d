import { runArchivePlan, type ArchiveOutcome, type ArchivePlan } from '../archive/archive-plan.js';
import type { JournalReader } from '../journal.js';
import { JournalLogFeed } from './log-feed.js';
import { JournalReplayStates } from './projection-states.js';
import { allProjectors } from './projectors.js';
import type { ReadModel } from './read-model.js';
import { defaultProjectionLimits, ProjectionRunner, type ProjectionLimits } from './runner.js';

/**
 * The read models and how far they reached. Queries, statements, end of day and
 * reconciliation read through one; embedded it follows the node's journal, in a cluster the
 * stream every node publishes to (cluster/log-stream-read-side.ts).
 */
export interface ReadSide {
  readonly model: ReadModel;
  /**
   * Read your writes: applies what was acknowledged before the call. A long backlog (after a
   * restart) is worked off in steps, so an answer may stand at an earlier position (it says which).
   */
  catchUp(): Promise<void>;
  /** As catchUp, all the way: for what is kept for good (a day's close, a reconciliation). */
  catchUpFully(): Promise<void>;
  /** The position the read models reached, and how many entries the feed holds beyond it. */
  position(): number;
  lag(): number;
  /** Stops following the log (embedded: after applying what is left). */
  stop(): Promise<void>;
  /** Applies everything, then moves ended records to the archive and removes what retention lets go (persistence/archive). */
  archive(plan: ArchivePlan): Promise<ArchiveOutcome>;
}

/** The read models following a node's own journal: in the node's thread (LocalReadSide) or in its read-side worker. */
export function journalProjectionRunner(journal: JournalReader, model: ReadModel, partitionCount: number, limits: ProjectionLimits = defaultProjectionLimits, now?: () => number): ProjectionRunner {
  const states = new JournalReplayStates(journal, limits.cachedStatesMax, { idleMs: limits.cachedStateIdleMs, now });
  return new ProjectionRunner(new JournalLogFeed(journal), model, allProjectors, states, partitionCount, limits);
}

/** Entries a client query applies before it answers (the rest are worked off by the timer). */
export const queryCatchUpEntriesMax = 50_000;

/**
 * Embedded, in the node's thread: the read models follow the node's own journal between the
 * actors' turns. For a journal in memory (tests) and a cluster node, whose read models are
 * only caught up when asked; a node on disk uses the worker (worker-read-side.ts).
 */
export class LocalReadSide implements ReadSide {
  readonly runner: ProjectionRunner;

  constructor(
    readonly model: ReadModel,
    journal: JournalReader,
    partitionCount: number,
    limits: ProjectionLimits = defaultProjectionLimits,
    /** The clock a cached state's idle time is read from: the node's (fake in tests). */
    now?: () => number,
  ) {
    this.runner = journalProjectionRunner(journal, model, partitionCount, limits, now);
  }

  async catchUp(): Promise<void> {
    this.runner.catchUp(queryCatchUpEntriesMax);
  }

  async catchUpFully(): Promise<void> {
    this.runner.catchUp();
  }

  position(): number {
    return this.model.position();
  }

  lag(): number {
    return this.runner.lag();
  }

  async stop(): Promise<void> {
    this.runner.catchUp();
  }

  async archive(plan: ArchivePlan): Promise<ArchiveOutcome> {
    this.runner.catchUp();
    return runArchivePlan(this.model, plan);
  }
}
