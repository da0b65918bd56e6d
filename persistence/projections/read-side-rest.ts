/**
 * When a read-side worker may end while its node is idle, and when it must start again.
 *
 * A worker thread is a whole V8 isolate: besides the states it caches (dropped after the node's
 * passivation idle time, projection-states.ts) it keeps its heap's young generation committed,
 * 272 MiB under `npm start`'s semi-space flag, and V8 does not give that back while the thread
 * lives. An idle node's read side therefore rests: its worker applies what is left and ends;
 * the next query, or the next entry of its feed, starts another, which resumes from the
 * position the read models committed with their rows.
 */
export interface ReadSideRestOptions {
  /** Rest once nothing was asked and nothing new was written for this long (the node's passivation idle time). */
  readonly idleMs: number;
  /** The feed's last position, as this thread reads it (the node's journal). */
  readonly written: () => number;
  readonly now: () => number;
}

/** How often, at most, this thread looks whether its worker may rest or must wake. */
export const readSideRestCheckMsMax = 1_000;

export type RestDecision = 'rest' | 'wake' | 'stay';

/** What the read side is doing when it is looked at. */
export interface ReadSideActivity {
  /** Its worker is running (not resting, not being started again). */
  readonly running: boolean;
  /** Asks waiting for the worker's answer. */
  readonly asking: number;
  /** The read models' position (what the worker has applied and committed). */
  readonly applied: number;
}

/** The policy alone, apart from the worker's life cycle (threaded-read-side.ts runs it). */
export class ReadSideRest {
  private lastUsedMs: number;
  private lastWritten: number;

  constructor(private readonly options: ReadSideRestOptions) {
    this.lastUsedMs = options.now();
    this.lastWritten = options.written();
  }

  get idleMs(): number {
    return this.options.idleMs;
  }

  get checkEveryMs(): number {
    return Math.max(1, Math.min(readSideRestCheckMsMax, this.options.idleMs));
  }

  /** Something asked the read side: it is in use now. */
  used(): void {
    this.lastUsedMs = this.options.now();
  }

  /**
   * Resting, a feed written past what was applied wakes the worker; running, a worker with
   * nothing asked, nothing left to apply and nothing newly written for the idle time rests.
   */
  decide(activity: ReadSideActivity, resting: boolean): RestDecision {
    const written = this.options.written();
    const newlyWritten = written !== this.lastWritten;
    this.lastWritten = written;
    const behind = written > activity.applied;
    if (resting) {
      if (!behind) return 'stay';
      this.used();
      return 'wake';
    }
    if (!activity.running || activity.asking > 0 || behind || newlyWritten) {
      this.used();
      return 'stay';
    }
    return this.options.now() - this.lastUsedMs >= this.options.idleMs ? 'rest' : 'stay';
  }
}
