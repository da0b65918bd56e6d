import { Latencies } from './stats.js';

/** One operation of a workload: resolves when the system acknowledged it (durably). */
export type Operation = (n: number) => Promise<unknown>;

export interface LoadResult {
  readonly completed: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly latencies: Latencies;
}

/**
 * Saturation: `concurrency` clients, each sending its next operation as soon as the last
 * one is acknowledged, for `durationMs` (or until `total` operations, or until `stopped()`).
 */
export async function closedLoop(op: Operation, concurrency: number, durationMs: number, total = Infinity, stopped: () => boolean = () => false): Promise<LoadResult> {
  const latencies = new Latencies();
  let next = 0;
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async () => {
    while (next < total && performance.now() < deadline && !stopped()) {
      const n = next++;
      const sent = performance.now();
      try {
        await op(n);
        completed++;
        latencies.record(performance.now() - sent);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { completed, failed, elapsedMs: performance.now() - started, latencies };
}

/**
 * A fixed offered load: operations are started on a schedule (`ratePerSec`), whatever the
 * system's pace; latency counts from the scheduled start (no coordinated omission).
 * `rateAt(elapsedMs)` may vary the rate over time (a burst).
 */
export async function openLoop(op: Operation, rateAt: (elapsedMs: number) => number, durationMs: number, inFlightMax = 200_000): Promise<LoadResult> {
  const latencies = new Latencies();
  let completed = 0;
  let failed = 0;
  let issued = 0;
  let inFlight = 0;
  const started = performance.now();
  let credit = 0;
  let last = started;
  while (performance.now() - started < durationMs) {
    const now = performance.now();
    credit += ((now - last) / 1000) * rateAt(now - started);
    last = now;
    while (credit >= 1 && inFlight < inFlightMax) {
      credit -= 1;
      const n = issued++;
      const scheduled = now;
      inFlight++;
      op(n).then(
        () => {
          completed++;
          inFlight--;
          latencies.record(performance.now() - scheduled);
        },
        () => {
          failed++;
          inFlight--;
        },
      );
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  return { completed, failed, elapsedMs: performance.now() - started, latencies };
}
