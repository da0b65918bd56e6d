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
 * Flags: --limit=N (a key's requests/s, default 200) --calm=N (the well-behaved rate, default 50)
 * --seconds=N (default 10).
 */
const flag = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const limitPerSecond = flag('limit', 200);
const calmPerSecond = flag('calm', 50);
const durationMs = flag('seconds', 10) * 1000;
const floodFactor = 10;

const keys = { flood: 'flood-key', calm: 'calm-key', ops: 'flood-bench-ops-key' } as const;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
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

function flood(url: string): Promise<FloodOutcome> {
  return new Promise((resolve, reject) => {
    const args = [here('./flooder.js'), url, keys.flood, String(limitPerSecond * floodFactor), String(durationMs / 1000), 'flooded'];
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error !== null) return reject(error);
      resolve(JSON.parse(stdout) as FloodOutcome);
    });
  });
}

const calmRun = (url: string, tag: string) =>
  pacedLoad({ url, key: keys.calm, ratePerSecond: calmPerSecond, durationMs, request: (n) => ({ path: '/v1/transfers', body: { id: `calm-${tag}-${n}`, debit: 'bank', credit: 'calm', amount: '1.00' } }) });

async function settle(url: string): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${url}/health`)).json()) as { relay: { backlog: number } };
    if (health.relay.backlog === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ms = (value: number) => value.toFixed(1);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundcore-flood-'));
  const { url, child } = await startServer(dataDir);
  try {
    // Each key debits its own account: the well-behaved key shares the node (CPU, journal,
    // disk) with the flood, not an actor's mailbox.
    await call(url, 'POST', '/v1/accounts', keys.ops, { id: 'bank', kind: 'bank_settlement', overdraft: true });
    await call(url, 'POST', '/v1/accounts', keys.ops, { id: 'flood-bank', kind: 'bank_settlement', overdraft: true });
    await call(url, 'POST', '/v1/accounts', keys.ops, { id: 'flooded', kind: 'investor_wallet' });
    await call(url, 'POST', '/v1/accounts', keys.ops, { id: 'calm', kind: 'investor_wallet' });
    // A short warm-up, so the baseline does not pay for JIT and first activations
    await pacedLoad({ url, key: keys.calm, ratePerSecond: calmPerSecond, durationMs: 2_000, request: (n) => ({ path: '/v1/transfers', body: { id: `warm-${n}`, debit: 'bank', credit: 'calm', amount: '1.00' } }) });

    const unloaded = await calmRun(url, 'alone');
    await settle(url);
    const [flooded, calmFlooded] = await Promise.all([flood(url), calmRun(url, 'flooded')]);
    const dump = process.argv.find((a) => a.startsWith('--dump='))?.slice('--dump='.length);
    if (dump !== undefined) writeFileSync(dump, JSON.stringify({ unloaded, calmFlooded }));
    await settle(url);

    const floodCounts = flooded.statuses;
    const accepted = floodCounts['201'] ?? 0;
    const balance = (await call(url, 'GET', '/v1/accounts/flooded', keys.ops)).body.total as string;
    const lost = Number(balance) !== accepted;
    const other5xx = Object.entries(floodCounts).filter(([s]) => Number(s) >= 500 && Number(s) !== 503).reduce((sum, [, n]) => sum + n, 0);
    const noAnswer = flooded.errors;
    const row = (name: string, results: PacedResult[]) => {
      const latencies = results.filter((r) => r.status === 201).map((r) => r.latencyMs);
      return { name, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: quantile(latencies, 1), ok: latencies.length, sent: results.length };
    };
    const alone = row('well-behaved key alone (baseline)', unloaded);
    const during = row(`well-behaved key during the flood`, calmFlooded);
    const ratio = during.p99 / alone.p99;

    const lines = [
      `# Flood bench`,
      '',
      `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; one \`npm start\` server (LMDB, durable), keys limited to ${limitPerSecond} requests/s each.`,
      `Load average when it ended: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min) on ${cpus().length} cores shared with other work.`,
      `Flood: one key at ${limitPerSecond * floodFactor}/s (10× its limit) for ${durationMs / 1000} s (node:http, 256 keep-alive sockets, its own process; each key debits its own account). Well-behaved key: ${calmPerSecond}/s, single transfers (open loop, fetch). Client and server share the machine.`,
      '',
      '| run | sent | 201 | p50 ms | p99 ms | max ms |',
      '|---|---:|---:|---:|---:|---:|',
      ...[alone, during].map((r) => `| ${r.name} | ${r.sent} | ${r.ok} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} |`),
      '',
      `| flood | sent | 201 | 429 | 503 | other 5xx | no answer |`,
      '|---|---:|---:|---:|---:|---:|---:|',
      `| one key at 10× its limit | ${flooded.sent} | ${accepted} | ${floodCounts['429'] ?? 0} | ${floodCounts['503'] ?? 0} | ${other5xx} | ${noAnswer} |`,
      '',
      `- p99 of the well-behaved key, flooded ÷ alone: **${ratio.toFixed(2)}×** (claim: ≤ 2×) — ${ratio <= 2 ? 'holds' : 'DOES NOT HOLD'}`,
      `- accepted flood transfers ${accepted}, the flooded wallet's total ${balance}: ${lost ? 'MISMATCH' : 'every accepted transfer is in the ledger, nothing refused is'}`,
      `- other 5xx: ${other5xx}; requests without an answer: ${noAnswer}`,
    ];
    const report = lines.join('\n');
    process.stdout.write(`${report}\n`);
    mkdirSync(here('../../../bench/results'), { recursive: true });
    writeFileSync(here('../../../bench/results/flood.md'), `${report}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
