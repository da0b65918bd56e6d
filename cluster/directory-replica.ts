import type { KV } from '@nats-io/kv';
import type { AccountDirectoryEntry } from '../core/ledger/account.js';
import type { Logger } from '../actors/runtime/clock.js';
import type { JournalReader } from '../persistence/journal.js';
import type { RemoteDirectory } from './fenced-journal.js';
import { decode, encode } from './wire.js';

/** KV keys are subject tokens: an account id (any string) travels base64url-encoded. */
export function directoryKey(accountId: string): string {
  return Buffer.from(accountId, 'utf8').toString('base64url') || '_';
}

function accountIdOfKey(key: string): string {
  return key === '_' ? '' : Buffer.from(key, 'base64url').toString('utf8');
}

/**
 * The account directory of the whole cluster: every node publishes the entries its own
 * accounts write (open, close) to a KV bucket and watches the bucket into a local cache,
 * so its actors can look up accounts that live elsewhere synchronously. An open or close
 * is answered only after its entry is in the bucket, and a cache miss is read from the
 * bucket before a command that needs it is decided (`ensure`), so a client that opened an
 * account can use it at once from anywhere. A stale cache can only say "open" for an
 * account that closed meanwhile: the credit then reaches the closed account's node, which
 * refuses it, and the money comes back as a return (DESIGN §3).
 */
export class DirectoryReplica implements RemoteDirectory {
  private readonly cache = new Map<string, AccountDirectoryEntry>();
  private watching: Promise<void> | null = null;
  private stopWatch: (() => void) | null = null;
  /** The highest bucket revision the watch delivered: the cache is caught up to it. */
  private seenRevision = 0;

  constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const watch = await this.kv.watch();
    this.stopWatch = () => watch.stop();
    this.watching = (async () => {
      for await (const entry of watch) {
        const accountId = accountIdOfKey(entry.key);
        this.seenRevision = Math.max(this.seenRevision, entry.revision);
        if (entry.operation === 'PUT') this.cache.set(accountId, decode<AccountDirectoryEntry>(entry.value));
        else this.cache.delete(accountId);
      }
    })().catch((error: unknown) => this.logger.error({ err: error }, 'directory watch ended'));
  }

  get(accountId: string): AccountDirectoryEntry | undefined {
    return this.cache.get(accountId);
  }

  /** Makes sure a lookup of these accounts sees the bucket: reads the misses from it. */
  async ensure(accountIds: Iterable<string>, local: JournalReader): Promise<void> {
    const misses = [...new Set(accountIds)].filter((id) => !this.cache.has(id) && local.getIndex('directory', id) === undefined);
    await Promise.all(
      misses.map(async (id) => {
        const entry = await this.kv.get(directoryKey(id));
        if (entry !== null && entry.operation === 'PUT') this.cache.set(id, decode<AccountDirectoryEntry>(entry.value));
      }),
    );
  }

  /**
   * Publishes this node's current entry for the account (read now, so concurrent publishes
   * in issue order carry the latest truth last). Throws when NATS cannot take it.
   */
  async publish(accountId: string, local: JournalReader): Promise<void> {
    const entry = local.getIndex('directory', accountId) as AccountDirectoryEntry | undefined;
    if (entry === undefined) return;
    await this.kv.put(directoryKey(accountId), encode(entry));
    this.cache.set(accountId, entry);
  }

  /**
   * After a restart: publishes the entries journaled here whose publication a crash cut
   * off. Compares against the cache once the watch has caught up with the bucket.
   */
  async reconcile(local: JournalReader, isMine: (accountId: string) => boolean, catchUpMs: number): Promise<number> {
    const status = await this.kv.status();
    const lastRevision = status.streamInfo.state.last_seq;
    const deadline = Date.now() + catchUpMs;
    while (this.seenRevision < lastRevision && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    let published = 0;
    for (const { key, value } of local.scanIndex('directory')) {
      if (!isMine(key)) continue;
      const cached = this.cache.get(key);
      if (cached !== undefined && sameEntry(cached, value as AccountDirectoryEntry)) continue;
      await this.kv.put(directoryKey(key), encode(value));
      this.cache.set(key, value as AccountDirectoryEntry);
      published++;
    }
    return published;
  }

  async stop(): Promise<void> {
    this.stopWatch?.();
    await this.watching;
  }
}

function sameEntry(a: AccountDirectoryEntry, b: AccountDirectoryEntry): boolean {
  return a.id === b.id && a.closed === b.closed && a.currency === b.currency && a.kind === b.kind && a.subAccounts === b.subAccounts && a.overdraft === b.overdraft && a.bufferCredits === b.bufferCredits;
}
