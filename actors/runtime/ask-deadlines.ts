import type { Clock, TimerHandle, Timers } from './clock.js';
import { MinHeap } from './min-heap.js';

/** What waits for a deadline: told on timeout; `bucket` is where it waits (set by add, null once gone). */
export interface DeadlineEntry {
  onTimeout(): void;
  bucket: Set<DeadlineEntry> | null;
}

/**
 * Timeouts of asks, coarse on purpose: one ticking sweep over buckets of `tickMs` instead
 * of a timer per ask (a Node timer per message costs more than the message). A deadline
 * fires at most one tick late, never early. The sweep takes the due buckets from a heap of
 * their slices: it costs what is due, not every bucket (a ten-minute ask timeout kept 24,000
 * buckets, and walking them every tick took 5 % of the main thread in a 100,000-loan setup).
 */
export class AskDeadlines {
  private readonly buckets = new Map<number, Set<DeadlineEntry>>();
  /** The slices of `buckets`, each once, earliest first. */
  private readonly slices = new MinHeap<number>((slice) => slice);
  private timer: TimerHandle | null = null;
  private outstanding = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly tickMs = 25,
  ) {}

  /** The entry waits for its deadline: no timer and no closure of its own (an ask makes one entry). */
  add(timeoutMs: number, entry: DeadlineEntry): void {
    const slice = Math.ceil((this.clock.now() + timeoutMs) / this.tickMs);
    let bucket = this.buckets.get(slice);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(slice, bucket);
      this.slices.push(slice);
    }
    bucket.add(entry);
    entry.bucket = bucket;
    this.outstanding++;
    this.timer ??= this.timers.every(this.tickMs, () => this.sweep());
  }

  /** The answer came in time: the entry no longer waits. */
  clear(entry: DeadlineEntry): void {
    if (entry.bucket?.delete(entry) === true) this.outstanding--;
    entry.bucket = null;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private sweep(): void {
    const nowSlice = Math.floor(this.clock.now() / this.tickMs);
    for (let slice = this.slices.peek(); slice !== undefined && slice <= nowSlice; slice = this.slices.peek()) {
      this.slices.pop();
      const bucket = this.buckets.get(slice);
      this.buckets.delete(slice);
      for (const entry of bucket ?? []) {
        this.outstanding--;
        entry.bucket = null;
        entry.onTimeout();
      }
    }
    if (this.outstanding === 0 && this.buckets.size === 0) this.stop();
  }
}
