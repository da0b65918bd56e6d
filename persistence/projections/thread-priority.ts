import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How many nice steps a read-side worker thread runs below the thread that started it, by
 * default. The read models follow the journal; on a machine with few cores their worker
 * otherwise takes CPU from the thread that decides and journals (measured: the repayment day
 * at 2,000 loans on two cores, 527 → 584 payments/s at 10, docs/benchmarks.md).
 */
export const readSideNiceDefault = 10;

/** The lowest priority a thread can have (the highest nice value). */
export const niceMax = 19;

export type ThreadPriorityOutcome =
  | { readonly applied: true; readonly nice: number }
  | { readonly applied: false; readonly reason: string };

/**
 * Lowers the calling thread's CPU priority by `steps` nice steps (capped at niceMax). On
 * Linux a nice value belongs to one thread, whose kernel id `/proc/thread-self` names; where
 * that is not so (another OS, no /proc, a refusal), nothing changes and the outcome says why:
 * the read side then runs as before, only without the priority.
 */
export function lowerThisThreadPriority(steps: number): ThreadPriorityOutcome {
  if (!Number.isInteger(steps) || steps < 0 || steps > niceMax) return { applied: false, reason: `nice steps must be 0..${niceMax}, got ${steps}` };
  if (process.platform !== 'linux') return { applied: false, reason: `per-thread priority is set on Linux only (this is ${process.platform})` };
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return { applied: false, reason: 'no thread id in /proc/thread-self' };
    const nice = Math.min(niceMax, getPriority(threadId) + steps);
    setPriority(threadId, nice);
    return { applied: true, nice };
  } catch (error) {
    return { applied: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
