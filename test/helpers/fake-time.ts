import type { Clock, TimerHandle, Timers } from '../../actors/runtime/clock.js';

interface Scheduled {
  at: number;
  seq: number;
  callback: () => void;
  intervalMs: number | null;
  cancelled: boolean;
}

/** A clock and timers that move only when told to: `advance(ms)` runs what falls due, in order. */
export class FakeTime implements Clock, Timers {
  private nowMs: number;
  private seq = 0;
  private scheduled: Scheduled[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  after(delayMs: number, callback: () => void): TimerHandle {
    return this.schedule(delayMs, callback, null);
  }

  every(intervalMs: number, callback: () => void): TimerHandle {
    return this.schedule(intervalMs, callback, intervalMs);
  }

  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const due = this.scheduled.filter((s) => !s.cancelled && s.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.nowMs = Math.max(this.nowMs, due.at);
      if (due.intervalMs === null) due.cancelled = true;
      else due.at += due.intervalMs;
      due.callback();
    }
    this.nowMs = until;
    this.scheduled = this.scheduled.filter((s) => !s.cancelled);
  }

  /** When the next timer falls due, or null when none is scheduled. */
  nextTimerAt(): number | null {
    let next: number | null = null;
    for (const s of this.scheduled) if (!s.cancelled && (next === null || s.at < next)) next = s.at;
    return next;
  }

  /** Is a timer due now (scheduled at or before the current time, not yet run)? */
  hasDue(): boolean {
    return this.scheduled.some((s) => !s.cancelled && s.at <= this.nowMs);
  }

  private schedule(delayMs: number, callback: () => void, intervalMs: number | null): TimerHandle {
    const entry: Scheduled = { at: this.nowMs + Math.max(delayMs, 0), seq: this.seq++, callback, intervalMs, cancelled: false };
    this.scheduled.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }
}

/** Lets pending promise callbacks and setImmediate work run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
