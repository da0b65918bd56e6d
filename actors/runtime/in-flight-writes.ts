import type { ChainHead } from '../../core/audit/chain-head.js';
import type { IndexName, IndexWrite } from '../../persistence/journal.js';
import { overlayKey, removed } from './index-overlay.js';

/** Where an actor's look-ups read from: the journal's indexes, or those with writes not yet durable laid over them. */
export interface IndexSource {
  getIndex(index: IndexName, key: string): unknown;
  chainHeadOf?(actorId: string): ChainHead | null;
}

/**
 * The index writes of an actor's batches that are journaled but not yet durable, over the
 * journal: what the actor's next batch reads while they are on their way to disk (a retry
 * of a transfer debited in the batch before is then still recognised). A batch's writes
 * leave once it is durable — the journal has them then — unless a later batch in flight
 * wrote the same key.
 */
export class InFlightWrites implements IndexSource {
  private readonly writes = new Map<string, { readonly value: unknown; readonly batch: number }>();

  constructor(private readonly journal: IndexSource) {}

  getIndex(index: IndexName, key: string): unknown {
    const written = this.writes.get(overlayKey(index, key));
    if (written === undefined) return this.journal.getIndex(index, key);
    return written.value === removed ? undefined : written.value;
  }

  chainHeadOf(actorId: string): ChainHead | null {
    return this.journal.chainHeadOf?.(actorId) ?? null;
  }

  add(batch: number, writes: readonly IndexWrite[]): void {
    for (const write of writes) this.writes.set(overlayKey(write.index, write.key), { value: write.value === null ? removed : write.value, batch });
  }

  landed(batch: number, writes: readonly IndexWrite[]): void {
    for (const write of writes) {
      const key = overlayKey(write.index, write.key);
      if (this.writes.get(key)?.batch === batch) this.writes.delete(key);
    }
  }

  clear(): void {
    this.writes.clear();
  }
}
