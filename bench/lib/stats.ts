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

export function rssMiB(): number {
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}
