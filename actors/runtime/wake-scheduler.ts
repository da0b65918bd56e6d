import type { Clock, TimerHandle, Timers } from './clock.js';
import { MinHeap } from './min-heap.js';

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
  private readonly heap = new MinHeap<Entry>((entry) => entry.at);
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
    this.heap.push({ at, actorId });
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
    for (let entry = this.heap.peek(); entry !== undefined && entry.at <= now; entry = this.heap.peek()) {
      this.heap.pop();
      if (this.wanted.get(entry.actorId) !== entry.at) continue;
      this.wanted.delete(entry.actorId);
      this.wake(entry.actorId);
    }
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    let next = this.heap.peek();
    while (next !== undefined && this.wanted.get(next.actorId) !== next.at) {
      this.heap.pop();
      next = this.heap.peek();
    }
    if (next === undefined) return;
    this.timer?.cancel();
    this.armedAt = next.at;
    const delayMs = Math.min(Math.max(next.at - this.clock.now(), 0), this.timerMaxMs);
    this.timer = this.timers.after(delayMs, () => this.fire());
  }
}
