import { readFileSync } from 'node:fs';

/** Latency samples in milliseconds, and the percentiles the report shows. */
export class Latencies {
  private samples = new Float64Array(1 << 16);
  private count = 0;

  record(ms: number): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = ms;
  }

  get size(): number {
    return this.count;
  }

  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.count).sort();
    const at = (q: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0));
    return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), p999Ms: round(at(0.999)), maxMs: round(at(1)) };
  }
}

export interface LatencySummary {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Private (anonymous) resident memory of a process, in MiB. Not plain RSS: LMDB maps its
 * file, and every page it touched counts as resident though it is the OS page cache,
 * shared and reclaimable; that file part would make memory look like it follows the data.
 */
export function rssAnonMiB(pid: number | 'self' = 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /RssAnon:\s+(\d+) kB/.exec(status);
    if (match !== null) return Math.round(Number(match[1]) / 1024);
  } catch {
    // Not Linux: fall back to RSS.
  }
  return pid === 'self' ? Math.round(process.memoryUsage().rss / 2 ** 20) : 0;
}

export const rssMiB = (): number => rssAnonMiB('self');

/** Live JS heap after a full GC (run the process with --expose-gc), in MiB. */
export function liveHeapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}
