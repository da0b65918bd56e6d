import {
  JournalClosedError,
  JournalConflictError,
  type AppendRequest,
  type ActorIdQuery,
  type AppendResult,
  type IndexName,
  type IndexWrite,
  type Journal,
  type LogEntry,
  type PendingAppend,
  type Snapshot,
  type StoredEvent,
} from './journal.js';

interface ActorLog {
  events: unknown[];
  snapshot: Snapshot | undefined;
}

/**
 * A journal in memory, for unit tests and simulation. Values are structured-cloned on the
 * way in and out, so nothing is shared with the caller, as with a real store. A write is
 * visible at once and durable one macrotask later.
 */
export class MemoryJournal implements Journal {
  private readonly actors = new Map<string, ActorLog>();
  private readonly indexes = new Map<IndexName, Map<string, unknown>>();
  private readonly log: LogEntry[] = [];
  private readonly meta = new Map<string, unknown>();
  private logHead = 0;
  private closed = false;

  append(request: AppendRequest): PendingAppend {
    if (this.closed) return { logPosition: null, durable: Promise.reject(new JournalClosedError()) };
    const actor = this.actorLog(request.actorId);
    if (actor.events.length !== request.expectedSeq) {
      return { logPosition: null, durable: Promise.reject(new JournalConflictError(request.actorId, request.expectedSeq)) };
    }
    const firstSeq = request.expectedSeq + 1;
    const lastSeq = request.expectedSeq + request.events.length;
    const logPosition = request.events.length > 0 ? ++this.logHead : null;
    actor.events.push(...request.events.map((event) => structuredClone(event)));
    if (logPosition !== null) {
      this.log.push({ position: logPosition, actorId: request.actorId, firstSeq, count: request.events.length, businessDate: request.businessDate ?? null, epoch: request.epoch ?? null, causes: structuredClone(request.causes ?? []), at: request.at ?? null });
    }
    if (request.snapshot !== undefined) actor.snapshot = { seq: lastSeq, state: structuredClone(request.snapshot) };
    for (const write of request.indexWrites) {
      const index = this.index(write.index);
      if (write.value === null) index.delete(write.key);
      else index.set(write.key, structuredClone(write.value));
    }
    const result: AppendResult = { firstSeq, lastSeq, logPosition };
    return { logPosition, durable: new Promise((resolve) => setImmediate(() => resolve(result))) };
  }

  headSeq(actorId: string): number {
    return this.actors.get(actorId)?.events.length ?? 0;
  }

  readSnapshot(actorId: string): Snapshot | undefined {
    const snapshot = this.actors.get(actorId)?.snapshot;
    return snapshot === undefined ? undefined : structuredClone(snapshot);
  }

  *readEvents(actorId: string, fromSeq: number): Iterable<StoredEvent> {
    const events = this.actors.get(actorId)?.events ?? [];
    for (let seq = Math.max(fromSeq, 1); seq <= events.length; seq++) {
      yield { seq, event: structuredClone(events[seq - 1]) };
    }
  }

  getIndex(index: IndexName, key: string): unknown {
    const value = this.index(index).get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  *scanIndex(index: IndexName, prefix = ''): Iterable<{ key: string; value: unknown }> {
    const keys = [...this.index(index).keys()].filter((key) => key.startsWith(prefix)).sort();
    for (const key of keys) yield { key, value: structuredClone(this.index(index).get(key)) };
  }

  *readLog(fromPosition: number): Iterable<LogEntry> {
    for (const entry of this.log) if (entry.position >= fromPosition) yield entry;
  }

  lastLogPosition(): number {
    return this.log[this.log.length - 1]?.position ?? 0;
  }

  listActorIds({ prefix = '', after = '', limit }: ActorIdQuery): string[] {
    const ids = [...this.actors].filter(([id, actor]) => actor.events.length > 0 && id.startsWith(prefix) && id > after).map(([id]) => id);
    return ids.sort().slice(0, limit);
  }

  writeIndexesNow(writes: readonly IndexWrite[]): void {
    if (this.closed) throw new JournalClosedError();
    for (const write of writes) {
      if (write.value === null) this.index(write.index).delete(write.key);
      else this.index(write.index).set(write.key, structuredClone(write.value));
    }
  }

  getMeta(key: string): unknown {
    return this.meta.get(key);
  }

  putMeta(key: string, value: unknown): void {
    this.meta.set(key, structuredClone(value));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** A second view of the same store, as a process restart would see it. */
  reopen(): MemoryJournal {
    this.closed = true;
    const reopened = new MemoryJournal();
    for (const [id, actor] of this.actors) reopened.actors.set(id, { events: [...actor.events], snapshot: actor.snapshot });
    for (const [name, index] of this.indexes) reopened.indexes.set(name, new Map(index));
    reopened.log.push(...this.log);
    for (const [key, value] of this.meta) reopened.meta.set(key, value);
    reopened.logHead = this.logHead;
    return reopened;
  }

  private actorLog(actorId: string): ActorLog {
    let actor = this.actors.get(actorId);
    if (actor === undefined) {
      actor = { events: [], snapshot: undefined };
      this.actors.set(actorId, actor);
    }
    return actor;
  }

  private index(name: IndexName): Map<string, unknown> {
    let index = this.indexes.get(name);
    if (index === undefined) {
      index = new Map();
      this.indexes.set(name, index);
    }
    return index;
  }
}
