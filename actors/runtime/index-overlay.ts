import type { IndexName, IndexWrite, JournalReader } from '../../persistence/journal.js';
import type { ChainHead } from '../../core/audit/chain-head.js';
import type { IndexLookup } from './behavior.js';

const removed = Symbol('removed');

/**
 * The journal's indexes as one batch sees them: the writes of messages already decided in
 * this batch (not yet durable) over what the journal holds. A duplicate of a command
 * decided earlier in the same batch is recognised as one.
 */
export class IndexOverlay implements IndexLookup {
  /** Created on the first write: most batches of one message never need it. */
  private writes: Map<string, unknown> | null = null;

  constructor(
    private readonly journal: JournalReader,
    private readonly actorId: string,
  ) {}

  chainHead(): ChainHead | null {
    return this.journal.chainHeadOf?.(this.actorId) ?? null;
  }

  get(index: IndexName, key: string): unknown {
    if (this.writes === null) return this.journal.getIndex(index, key);
    const written = this.writes.get(overlayKey(index, key));
    if (written === removed) return undefined;
    return written !== undefined ? written : this.journal.getIndex(index, key);
  }

  apply(writes: readonly IndexWrite[]): void {
    if (writes.length === 0) return;
    this.writes ??= new Map();
    for (const write of writes) this.writes.set(overlayKey(write.index, write.key), write.value === null ? removed : write.value);
  }
}

function overlayKey(index: IndexName, key: string): string {
  return `${index}\u0000${key}`;
}
