import { partitionOfActor } from '../../core/ledger/partition.js';
import type { FeedEntry, LogFeed } from './log-feed.js';
import { alreadyApplied, cachedStateIdleMsDefault, type ProjectionStates } from './projection-states.js';
import { everyActor, type ProjectedEntry, type Projector } from './projector.js';
import type { ReadModel } from './read-model.js';

export interface ProjectionLimits {
  /** Log entries applied in one SQLite transaction. */
  readonly entriesPerTransactionMax: number;
  /** Actor states kept between log entries (the rest are replayed from the journal, or read from the read database, when needed). */
  readonly cachedStatesMax: number;
  /** A cached state unused this long is dropped (projection-states.ts). */
  readonly cachedStateIdleMs: number;
}

export const defaultProjectionLimits: ProjectionLimits = { entriesPerTransactionMax: 2_000, cachedStatesMax: 50_000, cachedStateIdleMs: cachedStateIdleMsDefault };

/**
 * Applies a committed log feed to the read model, in feed order, from the position it
 * reached. For each entry it evolves the actor's state with the entry's events and hands the
 * states before and after, and the entry's partition, to the actor type's projector.
 */
export class ProjectionRunner {
  private readonly byType: Map<string, Projector>;
  /** Projectors of every entry (the audit trail): stateless, and idempotent per entry themselves. */
  private readonly ofEveryActor: readonly Projector[];

  constructor(
    private readonly feed: LogFeed,
    private readonly model: ReadModel,
    projectors: readonly Projector[],
    private readonly states: ProjectionStates,
    private readonly partitionCount: number,
    private readonly limits: ProjectionLimits = defaultProjectionLimits,
  ) {
    this.byType = new Map(projectors.filter((p) => p.actorType !== everyActor).map((p) => [p.actorType, p]));
    this.ofEveryActor = projectors.filter((p) => p.actorType === everyActor);
  }

  /**
   * Applies what the feed holds beyond the read model's position, at most `entriesMax`
   * entries (so a long backlog is worked off in steps between other work); returns how many.
   */
  catchUp(entriesMax = Number.POSITIVE_INFINITY): number {
    // Called on every step, idle or not: this is where an idle read side lets its states go.
    this.states.sweep();
    let applied = 0;
    while (applied < entriesMax) {
      const room = Math.min(this.limits.entriesPerTransactionMax, entriesMax - applied);
      const entries = this.feed.entriesAfter(this.model.position(), room);
      if (entries.length === 0) return applied;
      this.applyBatch(entries);
      applied += entries.length;
    }
    return applied;
  }

  /** Actor states cached now (what an idle read side lets go). */
  get cachedStates(): number {
    return this.states.cachedCount;
  }

  /** Entries the feed holds beyond the read model's position. */
  lag(): number {
    return Math.max(0, this.feed.lastPosition() - this.model.position());
  }

  /** One transaction: the entries' rows, the states they leave, the position they reach. */
  private applyBatch(entries: readonly FeedEntry[]): void {
    try {
      this.model.db.transaction(() => {
        for (const entry of entries) this.apply(entry);
        this.states.flush(this.model.db);
        this.model.setPosition((entries[entries.length - 1] as FeedEntry).position);
      })();
    } catch (error) {
      this.states.discard();
      throw error;
    }
  }

  private apply(entry: FeedEntry): void {
    for (const projector of this.ofEveryActor) projector.project(this.model.db, this.projected(entry, null, null));
    const type = entry.actorId.slice(0, entry.actorId.indexOf(':'));
    const projector = this.byType.get(type);
    if (projector === undefined) return;
    const before = this.states.before(projector, entry.actorId, entry.firstSeq);
    if (before === alreadyApplied) return;
    let after = before;
    for (const event of entry.events) after = projector.evolve(after, event);
    this.states.remember(entry.actorId, { seq: entry.firstSeq + entry.events.length - 1, state: after });
    projector.project(this.model.db, this.projected(entry, before, after));
  }

  private projected(entry: FeedEntry, before: unknown, after: unknown): ProjectedEntry {
    return {
      position: entry.position,
      partition: partitionOfActor(entry.actorId, this.partitionCount),
      actorId: entry.actorId,
      firstSeq: entry.firstSeq,
      businessDate: entry.businessDate,
      events: entry.events,
      causes: entry.causes,
      at: entry.at,
      before,
      after,
    };
  }
}
