import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pacedLoad, quantile, type PacedResult } from './paced-load.js';

/**
 * `npm run bench:flood`: the flood claim, timed (so a bench, never a test assertion). One
 * key floods at 10x its sustainable rate (its rate limit) for 10 s; a second, well-behaved
 * key sends at a steady rate, first alone (the unloaded baseline), then during the flood.
 * Claim: the well-behaved key's p99 stays within 2x its unloaded value; the flood's excess
 * is refused (429/503) with no other 5xx; every accepted transfer is in the ledger.
 *
 * Flags: --limits=50,100,200 (a key's requests/s: one run each) --calm=N (the well-behaved
 * key's rate; default min(50, limit/2)) --seconds=N (default 10) --dump=prefix (every
 * latency of the well-behaved key, as JSON per row).
 */
const flag = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
/** Each a key's sustainable rate (its limit, requests/s): one run per value, each on a fresh server. */
const limitsPerSecond = (flag('limits') ?? '50,100,200').split(',').map(Number);
const durationMs = Number(flag('seconds') ?? 10) * 1000;
const floodFactor = 10;
/** The well-behaved key keeps well under its limit (a 1 s window, paced sends: jitter must not reach it). */
const calmRateFor = (limit: number) => Number(flag('calm') ?? Math.min(50, Math.floor(limit / 2)));

const keys = { flood: 'flood-key', calm: 'calm-key', ops: 'flood-bench-ops-key' } as const;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function startServer(dataDir: string, limitPerSecond: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [here('../../main.js')], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      FUNDCORE_API_KEY: 'flood-bench-admin-key',
      FUNDCORE_API_KEYS: `${keys.flood},${keys.calm}`,
      FUNDCORE_OPS_KEY: keys.ops,
      FUNDCORE_RATE_LIMIT_PER_SECOND: String(limitPerSecond),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output) ?? /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match !== null) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return { url, child };
}

async function call(url: string, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

interface FloodOutcome {
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly sent: number;
}

function flood(url: string, ratePerSecond: number): Promise<FloodOutcome> {
  return new Promise((resolve, reject) => {
    const args = [here('./flooder.js'), url, keys.flood, String(ratePerSecond), String(durationMs / 1000), 'flooded'];
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error !== null) return reject(error);
      resolve(JSON.parse(stdout) as FloodOutcome);
    });
  });
}

const calmRun = (url: string, tag: string, calmPerSecond: number) =>
  pacedLoad({ url, key: keys.calm, ratePerSecond: calmPerSecond, durationMs, request: (n) => ({ path: '/v1/transfers', body: { id: `calm-${tag}-${n}`, debit: 'bank', credit: 'calm', amount: '1.00' } }) });

async function settle(url: string): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as { relay: { backlog: number } };
    if (health.relay.backlog === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ms = (value: number) => value.toFixed(1);

interface RunResult {
  readonly limit: number;
  readonly calm: number;
  readonly alone: { p50: number; p99: number; ok: number; sent: number };
  readonly during: { p50: number; p99: number; ok: number; sent: number };
  readonly flood: FloodOutcome;
  readonly balance: string;
}

function latencyOf(results: readonly PacedResult[]) {
  const latencies = results.filter((r) => r.status === 201).map((r) => r.latencyMs);
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), ok: latencies.length, sent: results.length };
}

async function runOne(limit: number): Promise<RunResult> {
  const calm = calmRateFor(limit);
  const dataDir = mkdtempSync(join(tmpdir(), 'fundcore-flood-'));
  const { url, child } = await startServer(dataDir, limit);
  try {
    // Each key debits its own account: the well-behaved key shares the node (CPU, journal,
    // disk) with the flood, not an actor's mailbox.
    for (const id of ['bank', 'flood-bank']) await call(url, 'POST', '/v1/accounts', keys.ops, { id, kind: 'bank_settlement', overdraft: true });
    for (const id of ['flooded', 'calm']) await call(url, 'POST', '/v1/accounts', keys.ops, { id, kind: 'investor_wallet' });
    // A short warm-up, so the baseline does not pay for JIT and first activations
    await pacedLoad({ url, key: keys.calm, ratePerSecond: calm, durationMs: 2_000, request: (n) => ({ path: '/v1/transfers', body: { id: `warm-${n}`, debit: 'bank', credit: 'calm', amount: '1.00' } }) });
    const unloaded = await calmRun(url, 'alone', calm);
    await settle(url);
    const [flooded, calmFlooded] = await Promise.all([flood(url, limit * floodFactor), calmRun(url, 'flooded', calm)]);
    const dump = flag('dump');
    if (dump !== undefined) writeFileSync(`${dump}-${limit}.json`, JSON.stringify({ unloaded, calmFlooded }));
    await settle(url);
    const balance = (await call(url, 'GET', '/v1/accounts/flooded', keys.ops)).body.total as string;
    return { limit, calm, alone: latencyOf(unloaded), during: latencyOf(calmFlooded), flood: flooded, balance };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function rowOf(r: RunResult): string {
  const s = r.flood.statuses;
  const other5xx = Object.entries(s).filter(([status]) => Number(status) >= 500 && Number(status) !== 503).reduce((sum, [, n]) => sum + n, 0);
  const ratio = r.during.p99 / r.alone.p99;
  const ledger = Number(r.balance) === (s['201'] ?? 0) ? 'exact' : `MISMATCH (${r.balance})`;
  return `| ${r.limit}/s | ${r.limit * floodFactor}/s | ${r.calm}/s | ${ms(r.alone.p50)} / ${ms(r.alone.p99)} | ${ms(r.during.p50)} / ${ms(r.during.p99)} | **${ratio.toFixed(2)}×** ${ratio <= 2 ? 'holds' : 'does not hold'} | ${r.flood.sent} | ${s['201'] ?? 0} / ${s['429'] ?? 0} / ${s['503'] ?? 0} | ${other5xx} / ${r.flood.errors} | ${ledger} |`;
}

async function main(): Promise<void> {
  const results: RunResult[] = [];
  for (const limit of limitsPerSecond) {
    results.push(await runOne(limit));
    process.stderr.write(`${rowOf(results[results.length - 1] as RunResult)}\n`);
  }
  const report = [
    '# Flood bench',
    '',
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min): the cores were shared with other work.`,
    `One \`npm start\` server (LMDB, durable). Per row: a fresh server whose keys are limited to the row's rate; a well-behaved key sends single transfers alone for ${durationMs / 1000} s (the baseline), then again while another key floods at 10× the limit for ${durationMs / 1000} s from its own process (node:http, 256 keep-alive sockets, every answer awaited). Each key debits its own account. Latencies of the well-behaved key's 201s; the flood's answers are checked against the ledger (the flooded wallet's total = its 201s).`,
    '',
    '| key limit | flood | well-behaved key | p50 / p99 ms alone | p50 / p99 ms flooded | p99 flooded ÷ alone (claim ≤ 2×) | flood sent | 201 / 429 / 503 | other 5xx / no answer | ledger |',
    '|---:|---:|---:|---:|---:|---|---:|---:|---:|---|',
    ...results.map(rowOf),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  mkdirSync(here('../../../bench/results'), { recursive: true });
  writeFileSync(here('../../../bench/results/flood.md'), `${report}\n`);
}

await main();
