import type { JournalReader, LogEntry } from '../journal.js';
import type { Projector } from './projector.js';
import type { ReadModel } from './read-model.js';

export interface ProjectionLimits {
  /** Log entries applied in one SQLite transaction. */
  readonly entriesPerTransactionMax: number;
  /** Actor states kept between log entries (the rest are replayed from the journal when needed). */
  readonly cachedStatesMax: number;
}

export const defaultProjectionLimits: ProjectionLimits = { entriesPerTransactionMax: 2_000, cachedStatesMax: 50_000 };

interface Cached {
  readonly seq: number;
  readonly state: unknown;
}

/**
 * Applies the node log to the read model, in log order, from the position it reached. For
 * each entry it evolves the actor's state (cached, or replayed from the journal) with the
 * entry's events and hands both states to the actor type's projector.
 */
export class ProjectionRunner {
  private readonly byType: Map<string, Projector>;
  private readonly states = new Map<string, Cached>();

  constructor(
    private readonly journal: JournalReader,
    private readonly model: ReadModel,
    projectors: readonly Projector[],
    private readonly limits: ProjectionLimits = defaultProjectionLimits,
  ) {
    this.byType = new Map(projectors.map((p) => [p.actorType, p]));
  }

  /**
   * Applies what the log holds beyond the read model's position, at most `entriesMax`
   * entries (so a long backlog is worked off in steps between other work); returns how many.
   */
  catchUp(entriesMax = Number.POSITIVE_INFINITY): number {
    let applied = 0;
    while (applied < entriesMax) {
      const from = this.model.position() + 1;
      const entries: LogEntry[] = [];
      const room = Math.min(this.limits.entriesPerTransactionMax, entriesMax - applied);
      for (const entry of this.journal.readLog(from)) {
        entries.push(entry);
        if (entries.length >= room) break;
      }
      if (entries.length === 0) return applied;
      this.model.db.transaction(() => {
        for (const entry of entries) this.apply(entry);
        this.model.setPosition((entries[entries.length - 1] as { position: number }).position);
      })();
      applied += entries.length;
    }
    return applied;
  }

  /** Log positions not applied yet. */
  lag(): number {
    return Math.max(0, this.journal.lastLogPosition() - this.model.position());
  }

  private apply(entry: { position: number; actorId: string; firstSeq: number; count: number; businessDate: string | null }): void {
    const type = entry.actorId.slice(0, entry.actorId.indexOf(':'));
    const projector = this.byType.get(type);
    if (projector === undefined) return;
    const before = this.stateBefore(projector, entry.actorId, entry.firstSeq);
    const events: unknown[] = [];
    let after = before;
    let seq = entry.firstSeq - 1;
    for (const stored of this.journal.readEvents(entry.actorId, entry.firstSeq)) {
      if (stored.seq >= entry.firstSeq + entry.count) break;
      events.push(stored.event);
      after = projector.evolve(after, stored.event);
      seq = stored.seq;
    }
    this.remember(entry.actorId, { seq, state: after });
    projector.project(this.model.db, { position: entry.position, actorId: entry.actorId, firstSeq: entry.firstSeq, businessDate: entry.businessDate, events, before, after });
  }

  /** The actor's state just before `firstSeq`: from the cache, or replayed from its journal. */
  private stateBefore(projector: Projector, actorId: string, firstSeq: number): unknown {
    const cached = this.states.get(actorId);
    if (cached !== undefined && cached.seq === firstSeq - 1) return cached.state;
    let state = projector.initialState(actorId);
    for (const stored of this.journal.readEvents(actorId, 1)) {
      if (stored.seq >= firstSeq) break;
      state = projector.evolve(state, stored.event);
    }
    return state;
  }

  private remember(actorId: string, cached: Cached): void {
    this.states.delete(actorId);
    this.states.set(actorId, cached);
    if (this.states.size > this.limits.cachedStatesMax) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
  }
}
