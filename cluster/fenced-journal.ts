import type { AccountDirectoryEntry } from '../core/ledger/account.js';
import type { AppendRequest, IndexName, Journal, PendingAppend } from '../persistence/journal.js';
import type { LeaseCheck } from './leases.js';
import { withFields } from '../core/with-fields.js';

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly actorId: string,
    readonly partition: number,
    reason: string,
  ) {
    super(`not writing for ${actorId}: this node does not hold partition ${partition} (${reason})`);
  }
}

/** What the fenced journal asks of the cluster. */
export interface Fence {
  partitionOf(actorId: string): number;
  check(partition: number): LeaseCheck;
}

/** Directory entries of accounts on other nodes, as replicated through NATS. */
export interface RemoteDirectory {
  get(accountId: string): AccountDirectoryEntry | undefined;
}

/**
 * The node's journal in cluster mode. Every append is fenced: the lease of the actor's
 * partition is checked first, synchronously, and the append is refused (nothing written)
 * unless this node holds it; its epoch is stamped on the log entry. Reads of the account
 * directory fall back to the replicated directory for accounts other nodes own, so the
 * actors' lookups (a credit account's currency, whether it exists) see the whole cluster.
 */
export class FencedJournal implements Journal {
  /** Appends the fence refused (nothing written), and the last log position written: for /health. */
  refused = 0;
  lastAppendPosition: number | null = null;

  constructor(
    readonly inner: Journal,
    private readonly fence: Fence,
    private readonly directory: RemoteDirectory,
  ) {}

  append(request: AppendRequest): PendingAppend {
    const partition = this.fence.partitionOf(request.actorId);
    const lease = this.fence.check(partition);
    if (!lease.ok) {
      this.refused++;
      return { logPosition: null, durable: Promise.reject(new LeaseLostError(request.actorId, partition, lease.reason)) };
    }
    const pending = this.inner.append(withFields(request, { epoch: lease.epoch }));
    if (pending.logPosition !== null) this.lastAppendPosition = pending.logPosition;
    return pending;
  }

  getIndex(index: IndexName, key: string): unknown {
    const local = this.inner.getIndex(index, key);
    if (local !== undefined || index !== 'directory') return local;
    return this.directory.get(key);
  }

  headSeq = (actorId: string) => this.inner.headSeq(actorId);
  readSnapshot = (actorId: string) => this.inner.readSnapshot(actorId);
  chainHeadOf = (actorId: string) => this.inner.chainHeadOf?.(actorId) ?? null;
  readEvents = (actorId: string, fromSeq: number) => this.inner.readEvents(actorId, fromSeq);
  scanIndex = (...args: Parameters<Journal['scanIndex']>) => this.inner.scanIndex(...args);
  readLog = (fromPosition: number) => this.inner.readLog(fromPosition);
  appendedEventBytes = (actorId: string, firstSeq: number) => this.inner.appendedEventBytes?.(actorId, firstSeq);
  appendedEvents = (actorId: string, firstSeq: number) => this.inner.appendedEvents?.(actorId, firstSeq);
  lastLogPosition = () => this.inner.lastLogPosition();
  listActorIds = (...args: Parameters<Journal['listActorIds']>) => this.inner.listActorIds(...args);
  getMeta = (key: string) => this.inner.getMeta(key);
  putMeta = (key: string, value: unknown) => this.inner.putMeta(key, value);
  writeIndexesNow = (...args: Parameters<Journal['writeIndexesNow']>) => this.inner.writeIndexesNow(...args);
  close = () => this.inner.close();
}
