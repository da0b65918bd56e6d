import { Packr } from 'msgpackr';
import type { JournalReader } from '../journal.js';
import type { Projector } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** What `before` answers for an entry applied already (a feed delivers at least once). */
export const alreadyApplied: unique symbol = Symbol('alreadyApplied');

/** An actor's state as the read side last evolved it, and the seq it reached. */
export interface KnownState {
  readonly seq: number;
  readonly state: unknown;
}

/**
 * Where a runner finds an actor's state before an entry: the projectors write rows from the
 * state before and after it. Embedded, a miss is replayed from the node's journal; a read
 * side without the journal (a cluster's gateway) keeps the states in its own database.
 */
export interface ProjectionStates {
  /** The state right before `firstSeq`, or `alreadyApplied` for a duplicate delivery. */
  before(projector: Projector, actorId: string, firstSeq: number): unknown;
  remember(actorId: string, known: KnownState): void;
  /** Called in the transaction that applies a batch, before it commits. */
  flush(db: ReadDatabase): void;
  /** The batch's transaction rolled back: forget what it remembered. */
  discard(): void;
  /** Forgets the cached states unused for the cache's idle time (they are found again when needed). */
  sweep(): void;
  /** States cached now. */
  readonly cachedCount: number;
}

/** An entry whose actor's earlier entries never arrived: a feed that lost something (a bug, not input). */
export class FeedGapError extends Error {
  override readonly name = 'FeedGapError';
}

/**
 * A cached state unused this long is dropped (the node's own idle time before passivation,
 * where the node says): an idle node gives back what its read side held, as its actors do.
 */
export const cachedStateIdleMsDefault = 60_000;

const monotonicNowMs = (): number => performance.now();

/**
 * A bounded cache of states, least recently used dropped first, and dropped once unused for
 * `idleMs`. The map is in order of use, so a sweep looks at the oldest entries only.
 */
class StateCache {
  private readonly states = new Map<string, { known: KnownState; usedAtMs: number }>();
  constructor(
    private readonly sizeMax: number,
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  clear(): void {
    this.states.clear();
  }

  get(actorId: string): KnownState | undefined {
    return this.states.get(actorId)?.known;
  }

  set(actorId: string, known: KnownState): void {
    this.states.delete(actorId);
    this.states.set(actorId, { known, usedAtMs: this.now() });
    if (this.states.size > this.sizeMax) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
  }

  /** Drops the states unused for `idleMs`: O(1) when none is, O(dropped) otherwise. */
  sweep(): void {
    const since = this.now() - this.idleMs;
    for (const [actorId, { usedAtMs }] of this.states) {
      if (usedAtMs > since) return;
      this.states.delete(actorId);
    }
  }

  get size(): number {
    return this.states.size;
  }
}

/** How long a cached state may go unused, and the clock that says (fake in tests). */
export interface StateCacheIdle {
  readonly idleMs: number;
  /** Absent: this thread's monotonic clock. */
  readonly now?: () => number;
}

const defaultIdle: StateCacheIdle = { idleMs: cachedStateIdleMsDefault };

function cacheOf(sizeMax: number, idle: StateCacheIdle): StateCache {
  return new StateCache(sizeMax, idle.idleMs, idle.now ?? monotonicNowMs);
}

/** Embedded: a state not cached is replayed from the journal (the log has no duplicates). */
export class JournalReplayStates implements ProjectionStates {
  private readonly cache: StateCache;
  constructor(
    private readonly journal: JournalReader,
    cachedStatesMax: number,
    idle: StateCacheIdle = defaultIdle,
  ) {
    this.cache = cacheOf(cachedStatesMax, idle);
  }

  get cachedCount(): number {
    return this.cache.size;
  }

  sweep(): void {
    this.cache.sweep();
  }

  before(projector: Projector, actorId: string, firstSeq: number): unknown {
    const cached = this.cache.get(actorId);
    if (cached !== undefined && cached.seq === firstSeq - 1) return cached.state;
    // Nothing to replay: reading the actor's whole history here made each miss O(history);
    // nor for an actor's first entry (a sixth of a repayment day's entries), which would
    // position two cursors and decode the entry's own record only to find nothing before it.
    if (projector.stateless === true || firstSeq === 1) return projector.initialState(actorId);
    let state = projector.initialState(actorId);
    for (const stored of this.journal.readEvents(actorId, 1)) {
      if (stored.seq >= firstSeq) break;
      state = projector.evolve(state, stored.event);
    }
    return state;
  }

  remember(actorId: string, known: KnownState): void {
    this.cache.set(actorId, known);
  }

  flush(): void {}

  discard(): void {
    // A cached state past the rolled-back position is not used again: its seq does not follow.
  }
}

/** States keep their Maps, Sets and bigints through the database. */
const statePackr = new Packr({ structuredClone: true, useBigIntExtension: true, moreTypes: true });


/**
 * A read side with no journal beside it: every actor's latest state is kept in the read
 * database, written in the same transaction as the rows and the position, so after a crash
 * the states and the rows agree. The seq stored makes a redelivered entry a no-op.
 */
export class StoredStates implements ProjectionStates {
  private readonly cache: StateCache;
  private readonly dirty = new Map<string, KnownState>();

  constructor(
    private readonly db: ReadDatabase,
    cachedStatesMax: number,
    idle: StateCacheIdle = defaultIdle,
  ) {
    this.cache = cacheOf(cachedStatesMax, idle);
    // Beside the rows: dropped with them when the projectors' schema changes (projection starts over).
    db.exec('create table if not exists projection_states (actor_id text primary key, seq integer not null, state blob not null)');
  }

  before(projector: Projector, actorId: string, firstSeq: number): unknown {
    const known = this.dirty.get(actorId) ?? this.cache.get(actorId) ?? this.load(actorId) ?? { seq: 0, state: projector.initialState(actorId) };
    if (firstSeq <= known.seq) return alreadyApplied;
    if (firstSeq !== known.seq + 1) throw new FeedGapError(`${actorId}: entry from seq ${firstSeq} after seq ${known.seq}; the entries between never arrived`);
    return known.state;
  }

  remember(actorId: string, known: KnownState): void {
    this.dirty.set(actorId, known);
    this.cache.set(actorId, known);
  }

  flush(db: ReadDatabase): void {
    const upsert = prepared(db, 'insert into projection_states (actor_id, seq, state) values (?, ?, ?) on conflict(actor_id) do update set seq = excluded.seq, state = excluded.state');
    for (const [actorId, known] of this.dirty) upsert.run(actorId, BigInt(known.seq), statePackr.pack(known.state));
    this.dirty.clear();
  }

  discard(): void {
    this.dirty.clear();
    this.cache.clear();
  }

  get cachedCount(): number {
    return this.cache.size;
  }

  /** Only the cache: the states not yet flushed stay until their batch commits or rolls back. */
  sweep(): void {
    this.cache.sweep();
  }

  private load(actorId: string): KnownState | undefined {
    const row = prepared(this.db, 'select seq, state from projection_states where actor_id = ?').get(actorId) as { seq: bigint; state: Buffer } | undefined;
    return row === undefined ? undefined : { seq: Number(row.seq), state: statePackr.unpack(row.state) };
  }
}
