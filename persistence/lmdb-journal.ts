import { IF_EXISTS, open, type Database, type DatabaseOptions, type RootDatabase } from 'lmdb';
import { AppendLanding } from './append-landing.js';
import {
  indexNames,
  JournalClosedError,
  JournalConflictError,
  JournalInterruptedError,
  type ActorIdQuery,
  type AppendRequest,
  type AppendResult,
  type IndexName,
  type IndexWrite,
  type Journal,
  type LogEntry,
  type PendingAppend,
  type Snapshot,
  type StoredEvent,
} from './journal.js';
import { ChainSealer, verifyChain, type ChainHead, type ChainStore, type ChainVerification } from './journal-chain.js';
import { partitionCountDefault, partitionOfActor } from '../core/ledger/partition.js';

export interface LmdbJournalOptions {
  /** Directory of the LMDB environment. */
  readonly path: string;
  /** Skip fsync (benchmarks of the non-durable ceiling only; never in production). */
  readonly noSync?: boolean;
  /**
   * lmdb-js's overlappingSync: commit first, fsync after, in parallel with later commits
   * (then a write is durable only at `flushed`). Off by default: measured on this
   * machine's hot-account workload, committing with the fsync inside was ~40% faster, and
   * a resolved write is then already on disk.
   */
  readonly overlappingSync?: boolean;
  /**
   * A reader of another process's or thread's journal (the read-side worker, the CLI): it
   * seals nothing and writes nothing at open.
   */
  readonly readOnly?: boolean;
  /** The deployment's partition count: each partition's journal is a hash chain of its own. */
  readonly partitionCount?: number;
}

type Key = string | number | (string | number)[];

/**
 * The element count a msgpack array header states (fixarray, array 16, array 32), or null
 * when the bytes do not start with one. Exported for its test.
 */
export function msgpackArrayLengthOf(bytes: Uint8Array): number | null {
  const first = bytes[0];
  if (first === undefined) return null;
  if (first >= 0x90 && first <= 0x9f) return first & 0x0f;
  if (first === 0xdc && bytes.length >= 3) return ((bytes[1] as number) << 8) | (bytes[2] as number);
  if (first === 0xdd && bytes.length >= 5) return (((bytes[1] as number) << 24) >>> 0) + (((bytes[2] as number) << 16) | ((bytes[3] as number) << 8) | (bytes[4] as number));
  return null;
}

/**
 * msgpackr's bigint extension keeps every bigint a bigint (without it, one that fits in
 * int64 comes back as a number, one that does not throws). Child databases do not inherit
 * the root's encoder, so each gets it explicitly.
 */
const bigintEncoder = { useBigIntExtension: true };

function databaseOptions(name: string, extra: DatabaseOptions = {}): DatabaseOptions & { name: string } {
  return { name, ...extra, encoder: bigintEncoder } as DatabaseOptions & { name: string };
}

/** A log entry as stored: fields added by later versions are absent from older entries. */
type StoredLogEntry = Pick<LogEntry, 'actorId' | 'firstSeq' | 'count'> & {
  readonly epoch?: number | null;
  readonly businessDate?: string | null;
  readonly causes?: LogEntry['causes'];
  readonly at?: number | null;
};

/** A value's stored bytes without a copy: a view of lmdb-js's shared read buffer, valid until the next read. */
function fastBytes(db: Database<any, any>, key: Key): Uint8Array | undefined {
  const bytes = db.getBinaryFast(key);
  return bytes === undefined ? undefined : bytes.subarray(0, (db as unknown as { lastSize: number }).lastSize);
}

const chainPartitionsKey = 'chain.partitionCount';

/**
 * How many writes of one event turn lmdb-js queues before it starts its write thread on them
 * mid-turn (its default: 1,000). Started mid-turn, the thread catches up with the turn and
 * waits, and every later write of the turn must wake it: a futex wake each — 30,653 wakes,
 * 0.9 s of the main thread in a 9 s batched run. Never mid-turn, the thread starts at the
 * turn's end and finds all of its writes queued (the same transaction either way).
 */
const writerStartWritesMax = 2 ** 30;

/** 32 GiB of address space for the map (the file grows only with the data). */
const mapSizeBytes = 2 ** 35;

/** Highest seq we ever look for: the end of an actor's key range. */
const seqEnd = Number.MAX_SAFE_INTEGER;
/** How many actors' heads an LmdbJournal remembers before it starts over (see knownHeadSeq). */
const headsRememberedMax = 100_000;

/**
 * The journal on LMDB (lmdb-js), one environment per node:
 *
 * - `events`    [actorId, firstSeq] → the events of one append (one record per batch).
 *               Every append is a conditional write (`ifNoExists`) on the key
 *               [actorId, expectedSeq + 1]: writers always append right after the head
 *               they know, so once anyone appended after it, that key exists and a stale
 *               writer writes nothing. The head is the last record's end.
 * - `snapshots` actorId → { seq, state }
 * - `log`       position → { actorId, firstSeq, count, epoch }: the node-wide order of appends
 *               (epoch: the fencing epoch of cluster mode, null in embedded mode)
 * - one database per index (transfers, credits, …), and `meta`
 *
 * lmdb-js batches every write issued in one event turn into one transaction (group
 * commit across actors). Its write promise resolves when the commit is *visible*;
 * `flushed` when it is on disk. We open the environment without overlappingSync, so a
 * commit includes its fsync and the two moments coincide; with overlappingSync on,
 * `durable` waits for `flushed` too. Either way an append is acknowledged on disk.
 */
export class LmdbJournal implements Journal {
  private readonly root: RootDatabase;
  private readonly events: Database<unknown[], Key>;
  private readonly snapshots: Database<Snapshot, string>;
  private readonly log: Database<StoredLogEntry, number>;
  private readonly meta: Database<unknown, string>;
  private readonly indexes: Map<IndexName, Database<unknown, string>>;
  private readonly chain: Database<Uint8Array, number>;
  private readonly sealer: ChainSealer | null;
  /** Why sealing stopped (it resumes at the next start), or null. */
  sealingFailed: unknown = null;
  readonly partitionCount: number;
  private logHead: number;
  /** Appends land in the order issued, each only if the one before it did (see AppendLanding). */
  private readonly landing: AppendLanding;
  /** Each actor's head seq as this journal last appended it (see knownHeadSeq). */
  private readonly heads = new Map<string, number>();
  private readonly overlappingSync: boolean;
  private closed = false;

  /** The environment's directory and whether it syncs: what another thread opens it with. */
  readonly path: string;
  readonly noSync: boolean;

  constructor(options: LmdbJournalOptions) {
    this.path = options.path;
    this.noSync = options.noSync ?? false;
    this.overlappingSync = options.overlappingSync ?? false;
    this.root = open({
      path: options.path,
      maxDbs: 32,
      encoder: bigintEncoder,
      noSync: options.noSync ?? false,
      // Address space, not disk: a map that must grow stops every transaction while it remaps.
      mapSize: mapSizeBytes,
      overlappingSync: this.overlappingSync,
      // Read by lmdb-js, not declared in its types.
      ...{ batchStartThreshold: writerStartWritesMax },
    });
    this.events = this.root.openDB(databaseOptions('events'));
    this.snapshots = this.root.openDB(databaseOptions('snapshots'));
    this.log = this.root.openDB(databaseOptions('log'));
    this.meta = this.root.openDB(databaseOptions('meta'));
    // The directory is read on every transfer and rarely written: cached (write-through).
    this.indexes = new Map(indexNames.map((name) => [name, this.root.openDB(databaseOptions(`index.${name}`, name === 'directory' ? { cache: true } : {}))]));
    this.logHead = this.lastKeyOfLog();
    this.landing = new AppendLanding(this.logHead);
    this.chain = this.root.openDB({ name: 'chain', encoding: 'binary' }) as Database<Uint8Array, number>;
    try {
      this.partitionCount = this.chainPartitionCount(options);
    } catch (error) {
      void this.root.close();
      throw error;
    }
    this.sealer = options.readOnly === true ? null : new ChainSealer(this.chainStore(), this.partitionCount);
    // Seals what a crash left unsealed, or a whole journal written before the chain existed.
    if (this.sealer !== null) this.root.transactionSync(() => (this.sealer as ChainSealer).resume());
  }

  /** The partition count the chain was started with; a journal keeps its own. */
  private chainPartitionCount(options: LmdbJournalOptions): number {
    const stored = this.meta.get(chainPartitionsKey) as number | undefined;
    const wanted = options.partitionCount ?? partitionCountDefault;
    if (stored !== undefined && stored !== wanted && options.partitionCount !== undefined) {
      throw new Error(`the journal at ${options.path} is chained by ${stored} partitions; this node runs ${wanted} (a deployment's partition count never changes)`);
    }
    if (stored === undefined && options.readOnly !== true) this.meta.putSync(chainPartitionsKey, wanted);
    return stored ?? wanted;
  }

  private chainStore(): ChainStore {
    const decoder = (this.log as unknown as { decoder: unknown }).decoder as { decode(bytes: Uint8Array): { actorId: string; firstSeq: number } };
    return {
      // Fast reads (no copy): the bytes are hashed before the next read overwrites them.
      entryAt: (position, known) => {
        const bytes = fastBytes(this.log, position);
        if (bytes === undefined) return undefined;
        const { actorId, firstSeq } = known ?? decoder.decode(bytes);
        return { bytes, actorId, firstSeq };
      },
      eventBytesAt: (actorId, firstSeq) => fastBytes(this.events, [actorId, firstSeq]),
      hashAt: (position) => this.chain.getBinary(position),
      // Unconditional writes share their commit's promise, which rejects if the commit fails:
      // handled here (sealing stops until the next start, which seals from where it stopped),
      // never left to take the process down as an unhandled rejection.
      putHash: (position, hash) => void this.chain.put(position, hash).then(undefined, (error: unknown) => (this.sealingFailed ??= error)),
      lastLogPosition: () => this.lastKeyOfLog(),
      positionsFrom: (from) => this.log.getKeys({ start: from }) as Iterable<number>,
    };
  }

  /**
   * A sealing that fails must not fail the append (it is durable): sealing stops until the
   * next start, which seals from where it stopped.
   */
  private seal(position: number): void {
    if (this.sealer === null || this.sealingFailed !== null) return;
    try {
      this.sealer.sealThrough(position);
    } catch (error) {
      this.sealingFailed = error;
    }
  }

  /** Every partition's chain recomputed from its genesis and compared with what was sealed (`fundcore verify`). */
  verifyChain(throughPosition?: number): ChainVerification {
    return verifyChain(this.chainStore(), this.partitionCount, throughPosition);
  }

  /** Resolves once the links issued so far are on disk (a link is written in the commit after its entry's). */
  async linksWritten(): Promise<void> {
    await this.root.flushed;
  }

  chainHeadOf(actorId: string): ChainHead | null {
    return this.sealer?.headOf(partitionOfActor(actorId, this.partitionCount)) ?? null;
  }

  /** Where each partition's chain ends now (sealed entries). */
  chainHeads(): Map<number, ChainHead> {
    return this.sealer?.headsByPartition() ?? this.verifyChain().heads;
  }

  append(request: AppendRequest): PendingAppend {
    if (this.closed) return { logPosition: null, durable: Promise.reject(new JournalClosedError()) };
    const { actorId, expectedSeq, events } = request;
    if (!this.landing.mayIssue(() => this.lastKeyOfLog())) return { logPosition: null, durable: Promise.reject(new JournalInterruptedError(actorId)) };
    // A writer ahead of the head (a gap) is refused here; one behind it, atomically below.
    if (this.knownHeadSeq(actorId) !== expectedSeq) return { logPosition: null, durable: Promise.reject(new JournalConflictError(actorId, expectedSeq)) };
    const firstSeq = expectedSeq + 1;
    const lastSeq = expectedSeq + events.length;
    const logPosition = events.length > 0 ? ++this.logHead : null;
    if (logPosition !== null) this.sealer?.appended(logPosition, { actorId, firstSeq });
    const writeAll = (): void => {
      if (logPosition !== null) {
        this.events.put([actorId, firstSeq], events as unknown[]);
        this.log.put(logPosition, {
          actorId,
          firstSeq,
          count: events.length,
          businessDate: request.businessDate ?? null,
          epoch: request.epoch ?? null,
          causes: request.causes ?? [],
          at: request.at ?? null,
        });
      }
      if (request.snapshot !== undefined) this.snapshots.put(actorId, { seq: lastSeq, state: request.snapshot });
      for (const write of request.indexWrites) this.applyIndexWrite(write);
    };
    // A snapshot-only append is guarded the same way: nothing was appended after its seq.
    const committed = this.landed(this.landing.issued(logPosition), () => this.events.ifNoExists([actorId, firstSeq], writeAll));
    const result: AppendResult = { firstSeq, lastSeq, logPosition };
    const durable = committed.then(async (written) => {
      // A snapshot-only append takes no position: later appends do not depend on it.
      this.landing.settled(written || logPosition === null);
      if (!written) {
        this.heads.delete(actorId);
        throw new JournalConflictError(actorId, expectedSeq);
      }
      // Remembered once written, so two appends racing from one head both reach the conditional write.
      this.rememberHead(actorId, lastSeq);
      if (logPosition !== null) this.seal(logPosition);
      if (this.overlappingSync) await this.root.flushed;
      return result;
    }, (error: unknown) => {
      this.landing.settled(false);
      // Not written: the head is read again next time.
      this.heads.delete(actorId);
      throw error;
    });
    return { logPosition, durable };
  }

  /**
   * The append's conditional write, itself conditioned on the log entry at `after` (the
   * append issued before it) existing when the writer reaches it; true once both held and
   * the writes are durable. lmdb-js resolves a nested block true even when the outer
   * condition failed and skipped it: the outer result decides.
   */
  private landed(after: number | null, write: () => Promise<boolean>): Promise<boolean> {
    if (after === null) return write();
    let inner: Promise<boolean> = Promise.resolve(false);
    const outer = this.log.ifVersion(after, IF_EXISTS, () => {
      inner = write();
    });
    return outer.then((held) => (held ? inner : false));
  }

  /**
   * The last record's first seq and its event count. Read on every append: the count comes
   * from the record's msgpack array header, not from decoding the record (a hot account's
   * last record may hold hundreds of events).
   */
  /**
   * The head an append is checked against: as this journal last wrote it, else read. This
   * process is the journal's only writer, so what it wrote is the head until an append
   * fails (then forgotten, and read again). Bounded: past headsRememberedMax actors the memory
   * starts over (a read per actor again), so a million actors cost no million entries.
   */
  private knownHeadSeq(actorId: string): number {
    return this.heads.get(actorId) ?? this.headSeq(actorId);
  }

  private rememberHead(actorId: string, seq: number): void {
    if (this.heads.size >= headsRememberedMax && !this.heads.has(actorId)) this.heads.clear();
    this.heads.set(actorId, seq);
  }

  headSeq(actorId: string): number {
    for (const key of this.events.getKeys({ start: [actorId, seqEnd], end: [actorId, 0], reverse: true, limit: 1 })) {
      return (key as [string, number])[1] + this.eventCountAt(key) - 1;
    }
    return 0;
  }

  private eventCountAt(key: Key): number {
    const raw = this.events.getBinaryFast(key);
    const counted = raw === undefined ? null : msgpackArrayLengthOf(raw);
    return counted ?? this.events.get(key)?.length ?? 0;
  }

  /**
   * A copy of the record's bytes (the read buffer is reused by the next read). Self-describing
   * because this environment shares no msgpack structures between records: each defines its
   * own. test/cluster/log-stream.test.ts checks that the cluster's read side reads
   * them as the journal does; sharing structures would break that, and the log stream with it.
   */
  appendedEventBytes(actorId: string, firstSeq: number): Uint8Array | undefined {
    return this.events.getBinary([actorId, firstSeq]);
  }

  appendedEvents(actorId: string, firstSeq: number): readonly unknown[] | undefined {
    return this.events.get([actorId, firstSeq]);
  }

  readSnapshot(actorId: string): Snapshot | undefined {
    return this.snapshots.get(actorId);
  }

  *readEvents(actorId: string, fromSeq: number): Iterable<StoredEvent> {
    const from = Math.max(fromSeq, 1);
    // The record holding `from` may start before it: begin at the last record at or below it.
    let start: Key = [actorId, from];
    for (const key of this.events.getKeys({ start: [actorId, from], end: [actorId, 0], reverse: true, limit: 1 })) start = key as Key;
    for (const { key, value } of this.events.getRange({ start, end: [actorId, seqEnd] })) {
      const recordFirstSeq = (key as [string, number])[1];
      for (let i = 0; i < value.length; i++) {
        const seq = recordFirstSeq + i;
        if (seq >= from) yield { seq, event: value[i] };
      }
    }
  }

  getIndex(index: IndexName, key: string): unknown {
    return this.indexDb(index).get(key);
  }

  *scanIndex(index: IndexName, prefix = ''): Iterable<{ key: string; value: unknown }> {
    const range = prefix === '' ? {} : { start: prefix };
    for (const { key, value } of this.indexDb(index).getRange(range)) {
      if (!key.startsWith(prefix)) break;
      yield { key, value };
    }
  }

  *readLog(fromPosition: number): Iterable<LogEntry> {
    // Entries written before epochs (or business dates) existed have none: null.
    // (and before the audit trail, no causes and no time).
    for (const { key, value } of this.log.getRange({ start: fromPosition })) {
      yield { position: key, actorId: value.actorId, firstSeq: value.firstSeq, count: value.count, businessDate: value.businessDate ?? null, epoch: value.epoch ?? null, causes: value.causes ?? [], at: value.at ?? null };
    }
  }

  lastLogPosition(): number {
    return this.lastKeyOfLog();
  }

  /**
   * The environment's last transaction id: how many commits it has made since it was created.
   * What a commit costs is its fsync, which grows with the pages it writes: commits per
   * transfer and bytes per commit are what bound a durable transfer on a slow disk.
   */
  commitsSoFar(): number {
    return (this.root.getStats() as { lastTxnId: number }).lastTxnId;
  }

  /** Skips from actor to actor: one key lookup each, past the end of the previous actor's seq range. */
  listActorIds({ prefix = '', after = '', limit }: ActorIdQuery): string[] {
    const ids: string[] = [];
    let start: Key = after > prefix ? [after, seqEnd] : [prefix, 0];
    while (ids.length < limit) {
      let next: string | undefined;
      for (const key of this.events.getKeys({ start, limit: 1 })) next = (key as [string, number])[0];
      if (next === undefined || !next.startsWith(prefix)) break;
      if (next > after) ids.push(next);
      start = [next, seqEnd];
    }
    return ids;
  }

  writeIndexesNow(writes: readonly IndexWrite[]): void {
    if (this.closed) throw new JournalClosedError();
    this.root.transactionSync(() => {
      for (const write of writes) this.applyIndexWrite(write);
    });
  }

  /**
   * The next read sees every commit made so far. lmdb-js keeps a thread's read snapshot until
   * its next macrotask, and renews it by itself after this thread's own commits; a thread
   * that only reads what another commits (the read-side worker) asks for it before it looks.
   */
  refreshReads(): void {
    this.root.resetReadTxn();
  }

  getMeta(key: string): unknown {
    return this.meta.get(key);
  }

  /**
   * Written with the next commit. A commit that fails leaves the value as it was (the appends
   * of that commit report the failure); its shared promise is handled here, not left as an
   * unhandled rejection that would take the process down.
   */
  putMeta(key: string, value: unknown): void {
    if (!this.closed) void this.meta.put(key, value).then(undefined, () => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root.flushed;
    await this.root.close();
  }

  private applyIndexWrite(write: IndexWrite): void {
    const db = this.indexDb(write.index);
    if (write.value === null) db.remove(write.key);
    else db.put(write.key, write.value);
  }

  private indexDb(index: IndexName): Database<unknown, string> {
    const db = this.indexes.get(index);
    if (db === undefined) throw new Error(`unknown index ${index}`);
    return db;
  }

  private lastKeyOfLog(): number {
    for (const key of this.log.getKeys({ reverse: true, limit: 1 })) return key;
    return 0;
  }
}
