import type { Clock, TimerHandle, Timers } from './clock.js';

interface Entry {
  readonly at: number;
  readonly actorId: string;
}

/**
 * Wakes actors at the time they asked for (pending transfers timing out, …), including
 * passivated ones: one timer for the earliest entry of a min-heap. Entries superseded by a
 * later `set` are skipped lazily when they reach the top.
 */
export class WakeScheduler {
  private readonly heap: Entry[] = [];
  private readonly wanted = new Map<string, number>();
  private timer: TimerHandle | null = null;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly timerMaxMs: number,
    private readonly wake: (actorId: string) => void,
  ) {}

  /** Asks for `actorId` to be woken at `at` (or never, with null). Replaces an earlier wish. */
  set(actorId: string, at: number | null): void {
    if (at === null) {
      this.wanted.delete(actorId);
      return;
    }
    if (this.wanted.get(actorId) === at) return;
    this.wanted.set(actorId, at);
    this.push({ at, actorId });
    if (at < this.armedAt) this.arm();
  }

  get size(): number {
    return this.wanted.size;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.armedAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length > 0 && (this.heap[0]?.at ?? Infinity) <= now) {
      const entry = this.pop();
      if (this.wanted.get(entry.actorId) !== entry.at) continue;
      this.wanted.delete(entry.actorId);
      this.wake(entry.actorId);
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    while (this.heap.length > 0 && this.wanted.get(this.heap[0]?.actorId ?? '') !== this.heap[0]?.at) this.pop();
    const next = this.heap[0];
    if (next === undefined) return;
    this.timer?.cancel();
    this.armedAt = next.at;
    const delayMs = Math.min(Math.max(next.at - this.clock.now(), 0), this.timerMaxMs);
    this.timer = this.timers.after(delayMs, () => this.fire());
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).at <= entry.at) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0] as Entry;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && (heap[right] as Entry).at < (heap[left] as Entry).at ? right : left;
        if ((heap[child] as Entry).at >= last.at) break;
        heap[i] = heap[child] as Entry;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
