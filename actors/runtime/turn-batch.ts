import { runAsCaptured } from './cause.js';

/**
 * Items one at a time in, decided together: every item added in one event-loop turn (the
 * requests one I/O poll delivered) joins one batch, decided once the turn is over — or at
 * once when the batch reaches its limit. Each item's promise settles with its own reply;
 * a failure of the whole decision (a bug) rejects every item of the batch.
 */
export class TurnBatch<Item, Reply> {
  private open: OpenBatch<Item, Reply> | null = null;

  constructor(
    /** Per item, in order, its reply: a rejected one rejects that item alone. */
    private readonly decide: (items: readonly Item[]) => Promise<readonly Promise<Reply>[]>,
    /** The most items one batch takes (a named limit: the next item starts another batch). */
    private readonly itemsMax: number,
  ) {}

  add(item: Item): Promise<Reply> {
    const batch = this.open ?? this.opened();
    const reply = new Promise<Reply>((resolve, reject) => batch.waiting.push({ resolve, reject }));
    batch.items.push(item);
    if (batch.items.length >= this.itemsMax) this.close(batch);
    return reply;
  }

  private opened(): OpenBatch<Item, Reply> {
    const batch: OpenBatch<Item, Reply> = { items: [], waiting: [], closed: false };
    this.open = batch;
    // Scheduled outside any request: the batch is no one request's (each item carries its own).
    runAsCaptured(undefined, () => setImmediate(() => this.close(batch)));
    return batch;
  }

  private close(batch: OpenBatch<Item, Reply>): void {
    if (this.open === batch) this.open = null;
    if (batch.closed) return;
    batch.closed = true;
    const failAll = (error: unknown) => batch.waiting.forEach(({ reject }) => reject(error));
    let decided: Promise<readonly Promise<Reply>[]>;
    try {
      decided = this.decide(batch.items);
    } catch (error) {
      // A decider that throws before it returns (a bug) fails its batch, not the process.
      failAll(error);
      return;
    }
    decided.then((replies) => batch.waiting.forEach(({ resolve }, i) => resolve(replies[i] as Promise<Reply>)), failAll);
  }
}

interface OpenBatch<Item, Reply> {
  readonly items: Item[];
  readonly waiting: { resolve: (reply: Reply | Promise<Reply>) => void; reject: (error: unknown) => void }[];
  closed: boolean;
}
