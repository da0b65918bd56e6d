/**
 * A first-in first-out queue whose `shift` is O(1): a plain array's `shift` moves every
 * element once the array is large (V8), and the relay's queue holds up to
 * `relayBacklogMax` deliveries — shifting it cost time that grew with the backlog. The
 * array is compacted once more than half of it has been taken.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1_024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
