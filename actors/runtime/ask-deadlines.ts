import type { Clock, TimerHandle, Timers } from './clock.js';

interface Entry {
  readonly onTimeout: () => void;
}

export interface Deadline {
  /** The answer came in time: forget this deadline. */
  clear(): void;
}

/**
 * Timeouts of asks, coarse on purpose: one ticking sweep over buckets of `tickMs` instead
 * of a timer per ask (a Node timer per message costs more than the message). A deadline
 * fires at most one tick late, never early.
 */
export class AskDeadlines {
  private readonly buckets = new Map<number, Set<Entry>>();
  private timer: TimerHandle | null = null;
  private outstanding = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly tickMs = 25,
  ) {}

  add(timeoutMs: number, onTimeout: () => void): Deadline {
    const slice = Math.ceil((this.clock.now() + timeoutMs) / this.tickMs);
    let bucket = this.buckets.get(slice);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(slice, bucket);
    }
    const entry: Entry = { onTimeout };
    bucket.add(entry);
    this.outstanding++;
    this.timer ??= this.timers.every(this.tickMs, () => this.sweep());
    const owner = bucket;
    return {
      clear: () => {
        if (owner.delete(entry)) this.outstanding--;
      },
    };
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private sweep(): void {
    const nowSlice = Math.floor(this.clock.now() / this.tickMs);
    for (const [slice, bucket] of this.buckets) {
      if (slice > nowSlice) continue;
      this.buckets.delete(slice);
      for (const entry of bucket) {
        this.outstanding--;
        entry.onTimeout();
      }
    }
    if (this.outstanding === 0 && this.buckets.size === 0) this.stop();
  }
}
