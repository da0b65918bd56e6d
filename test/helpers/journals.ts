import type { AppendRequest, Journal, PendingAppend } from '../../persistence/journal.js';

/**
 * Wraps a journal to count appends and inject failures. `failNext` fails the next append
 * before writing (nothing durable) or after writing (`written: true`: durable, yet the
 * caller is told it failed — the outcome a client must treat as unknown). `hold` parks
 * every append until `release()`.
 */
export class InstrumentedJournal implements Journal {
  appends: AppendRequest[] = [];
  private failures: { written: boolean }[] = [];
  private held: (() => void)[] | null = null;

  constructor(readonly inner: Journal) {}

  failNext(options: { written: boolean } = { written: false }): void {
    this.failures.push(options);
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const resume of held) resume();
  }

  append(request: AppendRequest): PendingAppend {
    this.appends.push(request);
    const failure = this.failures.shift();
    if (failure !== undefined && !failure.written) return { logPosition: null, durable: Promise.reject(new Error('injected journal failure')) };
    const pending = this.inner.append(request);
    const gate = this.held === null ? Promise.resolve() : new Promise<void>((resume) => this.held?.push(resume));
    const durable = gate
      .then(() => pending.durable)
      .then((result) => {
        if (failure !== undefined) throw new Error('injected journal failure after the write');
        return result;
      });
    return { logPosition: pending.logPosition, durable };
  }

  headSeq = (actorId: string) => this.inner.headSeq(actorId);
  readSnapshot = (actorId: string) => this.inner.readSnapshot(actorId);
  readEvents = (actorId: string, fromSeq: number) => this.inner.readEvents(actorId, fromSeq);
  getIndex = (...args: Parameters<Journal['getIndex']>) => this.inner.getIndex(...args);
  scanIndex = (...args: Parameters<Journal['scanIndex']>) => this.inner.scanIndex(...args);
  readLog = (fromPosition: number) => this.inner.readLog(fromPosition);
  lastLogPosition = () => this.inner.lastLogPosition();
  listActorIds = (...args: Parameters<Journal['listActorIds']>) => this.inner.listActorIds(...args);
  getMeta = (key: string) => this.inner.getMeta(key);
  putMeta = (key: string, value: unknown) => this.inner.putMeta(key, value);
  writeIndexesNow = (...args: Parameters<Journal['writeIndexesNow']>) => this.inner.writeIndexesNow(...args);
  close = () => this.inner.close();
}
