/** A binary min-heap of items ordered by a number (`keyOf`); ties leave in no particular order. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly keyOf: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  /** The item with the least key, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const { items, keyOf } = this;
    const key = keyOf(item);
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keyOf(items[parent] as T) <= key) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  /** Takes the item with the least key; undefined when empty. */
  pop(): T | undefined {
    const { items, keyOf } = this;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const lastKey = keyOf(last);
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && keyOf(items[right] as T) < keyOf(items[left] as T) ? right : left;
      if (keyOf(items[child] as T) >= lastKey) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
