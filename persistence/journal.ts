import type { CauseRun } from '../core/audit/cause.js';
import type { ChainHead } from '../core/audit/chain-head.js';
/**
 * The journal: per actor, an append-only sequence of events (seq 1, 2, …), its latest
 * snapshot, a set of secondary indexes written in the same commit as the events, and a
 * node-wide log that orders every append (for the outbox relay and for projections).
 *
 * Two moments matter for a write, as in lmdb-js: *visible* (committed; readers see it)
 * and *durable* (flushed to disk). `append(...).durable` resolves only once the write is
 * durable; an actor acknowledges a command only after that.
 */

/**
 * Secondary indexes a journal keeps. Each is written by exactly one actor per key:
 * transfers, credits, reversals, directory (account actors) · timers (the runtime) ·
 * settings (the node settings actor: simulated business date, pool shard count) ·
 * reservations (pool shards: a loan's answered requests and how its reservations ended) ·
 * claims (loans: `<investmentId>/<claimOrderNo>` → claim) · bank_orders (bank order actors:
 * order no → summary) · depository (opening orders: `<account>/<orderNo>` → outcome) ·
 * transfer_owners, account_owners (id owners, `tid:` / `aid:<group>`: transfer id → its debit
 * account, account id → its settings) · interest_flows (interest pools: `<investor>/<flowId>` →
 * the flow's seq, so a redelivered credit or use is recognised without the pool keeping its flows) ·
 * interest_pools_left (`<investor>` → the pool its per-investor actor left, for its shard to adopt).
 */
export const indexNames = ['transfers', 'credits', 'reversals', 'directory', 'timers', 'settings', 'reservations', 'claims', 'bank_orders', 'depository', 'eod_reports', 'transfer_owners', 'account_owners', 'interest_flows', 'interest_pools_left'] as const;
export type IndexName = (typeof indexNames)[number];

/** A put (value not null) or a removal (value null) in an index, part of an append. */
export interface IndexWrite {
  readonly index: IndexName;
  readonly key: string;
  readonly value: unknown;
}

export interface AppendRequest {
  readonly actorId: string;
  /** The last seq the writer knows. The append fails with JournalConflictError if the journal's head differs. */
  readonly expectedSeq: number;
  readonly events: readonly unknown[];
  readonly indexWrites: readonly IndexWrite[];
  /** The actor's state after these events, when a snapshot is due. */
  readonly snapshot?: unknown;
  /**
   * The business date when the append was decided, kept in the log entry: end of day
   * assigns postings to days by it, the same way on every rebuild.
   */
  readonly businessDate?: string;
  /**
   * Cluster mode: the fencing epoch (the lease revision) under which the writer owns the
   * actor's partition, stamped on the log entry so the journal shows which ownership wrote
   * what. Absent in embedded mode (stamped null).
   */
  readonly epoch?: number;
  /** Who caused the events, in runs over them (the audit trail); absent: none recorded. */
  readonly causes?: readonly CauseRun[];
  /** When the append was decided (epoch ms), kept in the log entry. */
  readonly at?: number;
}

export interface AppendResult {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Position in the node-wide log, or null when the append carried no events. */
  readonly logPosition: number | null;
}

export interface PendingAppend {
  /** Assigned at once, so that the relay can hold its cursor before the write is durable. */
  readonly logPosition: number | null;
  readonly durable: Promise<AppendResult>;
}

export interface StoredEvent {
  readonly seq: number;
  readonly event: unknown;
}

export interface Snapshot {
  readonly seq: number;
  readonly state: unknown;
}

export interface LogEntry {
  readonly position: number;
  readonly actorId: string;
  readonly firstSeq: number;
  readonly count: number;
  readonly businessDate: string | null;
  /** The fencing epoch of the append (see AppendRequest.epoch), or null. */
  readonly epoch: number | null;
  /** Who caused its events (empty for an entry written before the audit trail). */
  readonly causes: readonly CauseRun[];
  /** When it was decided (null before the audit trail). */
  readonly at: number | null;
}

export interface ActorIdQuery {
  readonly prefix?: string;
  readonly after?: string;
  readonly limit: number;
}

/** What readers may do: synchronous, and they see every write that is visible. */
export interface JournalReader {
  headSeq(actorId: string): number;
  readSnapshot(actorId: string): Snapshot | undefined;
  readEvents(actorId: string, fromSeq: number): Iterable<StoredEvent>;
  getIndex(index: IndexName, key: string): unknown;
  /** Entries of an index in key order; with a prefix, only the keys that start with it. */
  scanIndex(index: IndexName, prefix?: string): Iterable<{ readonly key: string; readonly value: unknown }>;
  readLog(fromPosition: number): Iterable<LogEntry>;
  /**
   * The events of the append that starts at `firstSeq`, exactly as stored: one msgpack array
   * (self-describing: no structures shared outside the record). For a reader that passes them
   * on undecoded — the cluster's log publisher. Absent: the journal keeps no such bytes.
   */
  appendedEventBytes?(actorId: string, firstSeq: number): Uint8Array | undefined;
  /**
   * The events of the append that starts at `firstSeq`, decoded: one read of one record. Read
   * with `readEvents` instead, they cost two cursors, and a reader that stops at the append's
   * end decodes the next record to see it. Absent (or undefined): read them with `readEvents`.
   */
  appendedEvents?(actorId: string, firstSeq: number): readonly unknown[] | undefined;
  /** The last position written to the node-wide log (0 when empty). */
  lastLogPosition(): number;
  /**
   * Ids of the actors with at least one event, in id order: those whose id starts with
   * `prefix`, after `after` (exclusive), at most `limit` of them. How ops page through
   * passivated actors without loading them.
   */
  listActorIds(query: ActorIdQuery): string[];
  getMeta(key: string): unknown;
  /**
   * The last sealed link of the hash chain of the actor's partition (a journal on disk; null:
   * none yet, or a journal without a chain). Every acknowledged append is sealed.
   */
  chainHeadOf?(actorId: string): ChainHead | null;
}

export interface Journal extends JournalReader {
  append(request: AppendRequest): PendingAppend;
  /**
   * Index entries written and made durable before it returns, outside any actor's append: for
   * start-up migrations only, before any actor runs (an index a newer version keeps, filled
   * from what an older one journaled).
   */
  writeIndexesNow(writes: readonly IndexWrite[]): void;
  /** Best-effort bookkeeping (e.g. the relay cursor): durable with the next commit, never awaited. */
  putMeta(key: string, value: unknown): void;
  close(): Promise<void>;
}

export class JournalConflictError extends Error {
  override readonly name = 'JournalConflictError';
  constructor(
    readonly actorId: string,
    readonly expectedSeq: number,
  ) {
    super(`journal of ${actorId} is not at seq ${expectedSeq}: another writer appended`);
  }
}

/**
 * An append refused, nothing written: one issued before it did not land (see
 * AppendLanding), and the journal takes appends again once those in flight have settled.
 */
export class JournalInterruptedError extends Error {
  override readonly name = 'JournalInterruptedError';
  constructor(readonly actorId: string) {
    super(`not appending for ${actorId}: an earlier append did not land; appends resume once those in flight have settled`);
  }
}

export class JournalClosedError extends Error {
  override readonly name = 'JournalClosedError';
  constructor() {
    super('the journal is closed');
  }
}
