import { performance } from 'node:perf_hooks';
import { HttpClient } from './http-client.js';

/** One request of a paced load: what it sent and how it ended (status 0: no HTTP answer). */
export interface PacedResult {
  readonly n: number;
  readonly id: string;
  readonly status: number;
  readonly latencyMs: number;
  readonly retryAfter: string | null;
}

export interface PacedLoadOptions {
  readonly url: string;
  readonly key: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** The n-th request: its path and JSON body (the body's `id` names it). */
  readonly request: (n: number) => { readonly path: string; readonly body: { readonly id: string } & Record<string, unknown> };
  /** Longest wait for one answer before it counts as no answer. */
  readonly requestTimeoutMs?: number;
  /** Sockets to the server (keep-alive); requests beyond wait for one, client-side. */
  readonly socketsMax?: number;
}

/** How often the pacer wakes to send what is due: requests go out in small bursts at this step. */
const pacerStepMs = 2;

/**
 * Open-loop load: requests are issued at a fixed rate whatever the answers (a flood does not
 * wait for the server), over a bounded pool of sockets, each timed from issue to answer
 * (a wait for a free socket included). Resolves with every result once
 * the last answer is in.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedResult[]> {
  const client = new HttpClient(options.url, options.socketsMax ?? 64);
  try {
    const started = performance.now();
    const inFlight: Promise<PacedResult>[] = [];
    const total = Math.floor((options.ratePerSecond * options.durationMs) / 1000);
    while (inFlight.length < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * options.ratePerSecond) / 1000));
      while (inFlight.length < due) inFlight.push(send(client, options, inFlight.length));
      await new Promise((resolve) => setTimeout(resolve, pacerStepMs));
    }
    return await Promise.all(inFlight);
  } finally {
    client.close();
  }
}

async function send(client: HttpClient, options: PacedLoadOptions, n: number): Promise<PacedResult> {
  const { path, body } = options.request(n);
  const sentAt = performance.now();
  try {
    const answer = await client.send('POST', path, options.key, body, options.requestTimeoutMs ?? 30_000);
    const retryAfter = answer.headers['retry-after'];
    return { n, id: body.id, status: answer.status, latencyMs: performance.now() - sentAt, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
  } catch {
    return { n, id: body.id, status: 0, latencyMs: performance.now() - sentAt, retryAfter: null };
  }
}

/** The q-quantile (0..1) of the values, nearest rank; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** How many results had each status. */
export function statusCounts(results: readonly PacedResult[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}
