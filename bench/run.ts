/**
 * `npm run bench` (add `-- --quick` for a run under a minute): every workload against
 * fundcore and the baselines, each case in a fresh process, one after the other. Writes
 * bench/results/latest.{json,md,svg} and prints the table.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CaseResult, CaseSpec, SystemName } from './case.js';
import type { TransferIds } from './systems/system.js';
import { markdownTable, svgChart, type Row } from './report.js';
import { curvePrefixes, flatness, hotCurveWorkload, repaymentCurveWorkload, svgCurves } from './curves.js';
import { PostgresBaseline } from './systems/postgres.js';
import { nodeRuntimeFlags } from '../actors/runtime/node-flags.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const caseEntry = fileURLToPath(new URL('./case.js', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));

const saturationMs = quick ? 1_200 : 15_000;
const fixedMs = quick ? 1_200 : 10_000;
const hotWallets = quick ? 2_000 : 10_000;
const uniformAccounts = quick ? 2_000 : 100_000;
const batchSize = quick ? 2_000 : 8_000;

function runCase(spec: CaseSpec): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeRuntimeFlags, '--expose-gc', caseEntry, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) reject(new Error(`case ${JSON.stringify(spec)} failed (${code})`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as CaseResult);
    });
  });
}

const rows: Row[] = [];
const notes: string[] = [];

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Saturation first, then a fixed offered load at half of the peak just measured (the quick
 * run measures the fixed load only for our headline rows).
 */
async function row(workload: string, system: string, headline: boolean, spec: (offeredRate?: number) => CaseSpec, note?: string, fixedLoad = true): Promise<Row> {
  const ours = system.startsWith('fundcore');
  log(`· ${workload} · ${system}: saturation`);
  const saturation = await runCase(spec());
  const offeredRate = Math.max(1, Math.round(saturation.transfersPerSec / 2));
  const fixed = !fixedLoad || (quick && !headline) ? null : { ...(await runCase(spec(offeredRate))), offeredRate };
  log(`· ${workload} · ${system}: ${saturation.transfersPerSec}/s${fixed === null ? '' : `; fixed load at ${offeredRate}/s`}`);
  const notes = [note, costNote(saturation.extra)].filter((part): part is string => part !== undefined);
  const result: Row = { workload, system, ours, headline, saturation, fixed, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
  rows.push(result);
  return result;
}

/**
 * What a fundcore transfer cost at saturation, where the case measured it: the main thread's
 * CPU, the journal appends, and what the disk wrote (per transfer, and transfers per commit;
 * over HTTP, what the disk wrote alone).
 */
function costNote(extra: CaseResult['extra']): string | undefined {
  if (extra?.deviceKiBPerTransfer !== undefined && extra.mainThreadCpuUsPerTransfer === undefined) return `the disk wrote ${extra.deviceKiBPerTransfer} KiB per transfer`;
  if (extra?.mainThreadCpuUsPerTransfer === undefined || extra.appendsPerTransfer === undefined) return undefined;
  const cpu = `main thread ${Number(extra.mainThreadCpuUsPerTransfer).toLocaleString('en')} µs CPU and ${extra.appendsPerTransfer} journal appends per transfer`;
  if (extra.deviceKiBPerTransfer === undefined || extra.transfersPerCommit === undefined) return cpu;
  return `${cpu}; the disk wrote ${extra.deviceKiBPerTransfer} KiB per transfer, ${extra.transfersPerCommit} transfers per commit`;
}

const inProcess = (system: SystemName, workload: 'hot' | 'uniform', wallets: number, subAccounts: number, concurrency: number, transferIds: TransferIds = 'sequential') => (offeredRate?: number): CaseSpec => ({
  kind: 'in-process',
  system,
  workload,
  wallets,
  subAccounts,
  concurrency,
  durationMs: offeredRate === undefined ? saturationMs : fixedMs,
  ...(offeredRate !== undefined ? { offeredRate } : {}),
  ...(transferIds !== 'sequential' ? { transferIds } : {}),
});

const wanted = (name: string) => only === undefined || only.split(',').includes(name);

/** Which workload group a row belongs to, as `--only` names them (its place in the table). */
function groupOf(workload: string): string {
  if (workload.startsWith('(a)')) return 'hot';
  if (workload.startsWith('(b)')) return 'uniform';
  // 'Cluster: HTTP single transfer': the 2-node row of earlier runs, now measured beside the embedded HTTP row.
  if (workload.startsWith('(c)') || workload.startsWith('HTTP') || workload.startsWith('Cluster')) return 'http';
  if (workload.startsWith('(f)')) return 'repayments';
  if (workload.startsWith('(g)')) return 'redemptions';
  if (workload.startsWith('(d)')) return 'burst';
  if (workload.startsWith('(h)')) return 'statement';
  if (workload.startsWith('(i)') || workload.startsWith('(j)')) return 'curve';
  if (workload.startsWith('(k)')) return 'backup';
  if (workload.startsWith('(l)')) return 'archive';
  if (workload.startsWith('(m)')) return 'messages';
  return 'scale';
}

/** A cluster row sits beside the embedded row of its workload; `--only=cluster` measures the cluster rows alone. */
const isCluster = (row: Row) => row.system.startsWith('fundcore cluster');
const measuredNow = (row: Row) => wanted(groupOf(row.workload)) || (isCluster(row) && wanted('cluster'));

/** With --only, the rows of the other workloads are kept from the last run of the same kind. */
function mergeEarlierRows(): void {
  const file = `${resultsDir}${quick ? 'quick' : 'latest'}.json`;
  if (!existsSync(file)) return;
  const earlier = (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] }).rows.filter((r) => !measuredNow(r));
  const order = ['hot', 'uniform', 'http', 'burst', 'scale', 'repayments', 'curve', 'redemptions', 'statement', 'backup', 'archive', 'messages'];
  const all = [...earlier, ...rows];
  const workloads = [...new Set(all.map((r) => r.workload))];
  const key = (r: Row) => [order.indexOf(groupOf(r.workload)), workloads.indexOf(r.workload), isCluster(r) ? 1 : 0];
  const merged = all.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return (ka[0] as number) - (kb[0] as number) || (ka[1] as number) - (kb[1] as number) || (ka[2] as number) - (kb[2] as number);
  });
  rows.splice(0, rows.length, ...merged);
  notes.push(`Rows of ${only ?? ''} re-measured on ${new Date().toISOString().slice(0, 10)}; the others are from the previous run.`);
}

/**
 * (e) The platform's size in loans: memory with them set up and repaid, and once idle
 * (production's passivation limit in the full run). On 2026-12-06 the 100,000-loan case ran
 * out of heap at the end of its day (docs/benchmarks.md, "Memory at the platform's size"): a
 * case that does not finish is a note, not the end of the run.
 */
async function loansScaleRow(): Promise<Row | null> {
  const loans = quick ? 1_000 : 100_000;
  const idleMs = quick ? 1_000 : 60_000;
  log(`· (e) scale: ${loans} loans`);
  let result: CaseResult;
  try {
    result = await runCase({ kind: 'repayment-day', system: 'fundcore', loans, claimsPerLoan: 20, concurrency: 256, passivationIdleMs: idleMs });
  } catch (error) {
    notes.push(`(e) scale, ${loans.toLocaleString('en')} loans: the case did not finish (${error instanceof Error ? error.message : String(error)}); its output says why.`);
    return null;
  }
  const extra = result.extra ?? {};
  const n = (key: string) => Number(extra[key]).toLocaleString('en');
  return {
    workload: `(e) scale: ${loans.toLocaleString('en')} loans × 20 claims, set up and repaid`,
    system: 'fundcore',
    ours: true,
    headline: false,
    saturation: result,
    fixed: null,
    note: `payments/s; set up in ${n('setupMs')} ms: ${n('liveSetUp')} live actors, live heap ${n('heapSetUpMiB')} MiB, private RSS ${n('rssSetUpMiB')} MiB; after the day ${n('livePaid')} live, ${n('heapPaidMiB')} MiB, RSS ${n('rssPaidMiB')} MiB; idle ${idleMs.toLocaleString('en')} ms (passivation): ${n('liveAfterPassivation')} live, ${n('heapAfterPassivationMiB')} MiB, RSS ${n('rssAfterPassivationMiB')} MiB; ${restNote(extra)}`,
  };
}

/** Whether the read-side worker had ended (rested) when the idle memory was read (bench/lib/idle.ts). */
function restNote(extra: Record<string, number | string>): string {
  return Number(extra.readSideRested) === 1 ? `read-side worker rested (waited ${Number(extra.readSideRestWaitMs).toLocaleString('en')} ms more)` : 'read-side worker still running';
}

async function main(): Promise<void> {
  const postgresDown = await PostgresBaseline.unreachable();
  if (postgresDown !== null) notes.push(`PostgreSQL is not reachable (${postgresDown}): its rows are left out.`);
  const systems: [SystemName, number][] = [
    ['raw-lmdb', 2048],
    ...(postgresDown === null ? ([['postgres', 64]] as [SystemName, number][]) : []),
    ['sqlite', 1],
  ];

  if (wanted('hot')) {
    const hot = `(a) hot account, ${hotWallets.toLocaleString('en')} wallets`;
    for (const parts of quick ? [8] : [1, 8, 32]) await row(hot, `fundcore, ${parts} sub-account${parts > 1 ? 's' : ''}`, parts === 8, inProcess('fundcore', 'hot', hotWallets, parts, 2048));
    for (const [system, concurrency] of systems) await row(hot, system, false, inProcess(system, 'hot', hotWallets, 1, concurrency));
    // The same with ids as clients send them (UUID-shaped): each transfer's index entries on a page of their own.
    const randomIds = `(a) hot account, random transfer ids, ${hotWallets.toLocaleString('en')} wallets`;
    await row(randomIds, 'fundcore, 8 sub-accounts', true, inProcess('fundcore', 'hot', hotWallets, 8, 2048, 'random'), undefined, false);
    if (postgresDown === null) await row(randomIds, 'postgres', false, inProcess('postgres', 'hot', hotWallets, 1, 64, 'random'), undefined, false);
    // Batched submission: batches from the hot account to the wallets, 4 in flight, against
    // raw lmdb-js writing the same events with the same batching (saturation only).
    const batched = `(a) hot account, batches of ${batchSize.toLocaleString('en')}, ${hotWallets.toLocaleString('en')} wallets`;
    const batch = (system: SystemName, parts: number) => (): CaseSpec => ({ kind: 'in-process', system, workload: 'hot', wallets: hotWallets, subAccounts: parts, concurrency: 4, durationMs: saturationMs, batchSize });
    await row(batched, 'fundcore, 8 sub-accounts, createTransfers', false, batch('fundcore', 8), undefined, false);
    await row(batched, 'raw-lmdb', false, batch('raw-lmdb', 1), undefined, false);
  }
  if (wanted('uniform')) {
    const uniform = `(b) uniform, ${uniformAccounts.toLocaleString('en')} accounts`;
    await row(uniform, 'fundcore', true, inProcess('fundcore', 'uniform', uniformAccounts, 1, 2048));
    for (const [system, concurrency] of quick ? systems.filter(([s]) => s === 'raw-lmdb') : systems) {
      await row(uniform, system, false, inProcess(system, 'uniform', uniformAccounts, 1, concurrency));
    }
  }
  // The cluster rows: a gateway and 3 node processes on NATS (NATS_URL, or a nats-server of the bench's own).
  const natsMissing = process.env.NATS_URL === undefined && spawnSync('nats-server', ['--version']).error !== undefined;
  if (natsMissing && (wanted('http') || wanted('repayments') || wanted('cluster'))) notes.push('nats-server is not installed and NATS_URL is unset: the cluster rows are left out.');
  const clusterWanted = (group: string) => !natsMissing && (wanted(group) || wanted('cluster'));
  const clusterNote = 'gateway → NATS → 3 node processes (partitions 0-84, 85-169, 170-255), one machine';

  const http = (kind: 'http' | 'cluster', batchSize: number, connections: number) => (offeredRate?: number): CaseSpec => ({
    kind,
    workload: 'hot',
    batchSize,
    wallets: hotWallets,
    subAccounts: 8,
    connections,
    durationMs: offeredRate === undefined ? saturationMs : fixedMs,
    ...(offeredRate !== undefined ? { offeredRate } : {}),
  });
  const single = 'HTTP single transfer (hot, 8 sub-accounts)';
  if (wanted('http')) await row(single, 'fundcore over HTTP', true, http('http', 1, 256), 'server process + autocannon, 256 connections');
  // The issue's own measure: 64 connections, unique ids as clients send them (UUID-shaped).
  const singleWithRandomIds = (offeredRate?: number): CaseSpec => ({ ...(http('http', 1, 64)(offeredRate) as Extract<CaseSpec, { kind: 'http' }>), transferIds: 'random' });
  if (wanted('http')) await row(single, 'fundcore over HTTP, random transfer ids', false, singleWithRandomIds, 'server process + autocannon, 64 connections', false);
  if (clusterWanted('http')) await row(single, 'fundcore cluster', false, http('cluster', 1, 256), `${clusterNote}, autocannon, 256 connections`);
  if (wanted('http')) await row('(c) HTTP batch endpoint (hot, 8 sub-accounts)', 'fundcore over HTTP', true, http('http', 1_000, 8), 'batches of 1,000, 8 connections');
  if (wanted('burst')) {
    const burstRows: [SystemName, number][] = [['fundcore', 2048], ...(quick ? [] : systems.filter(([s]) => s === 'postgres'))];
    for (const [system, concurrency] of burstRows) {
      const peak = rows.find((r) => r.workload.startsWith('(a)') && (system === 'fundcore' ? r.ours : r.system === system))?.saturation.transfersPerSec ?? 1_000;
      const baseRate = Math.max(1, Math.round(peak / 20));
      const burstMs = quick ? 1_500 : 10_000;
      log(`· (d) burst · ${system}: base ${baseRate}/s, 10× for ${burstMs} ms`);
      const result = await runCase({
        kind: 'in-process',
        system,
        workload: 'burst',
        wallets: hotWallets,
        subAccounts: system === 'fundcore' ? 8 : 1,
        concurrency,
        durationMs: burstMs + (quick ? 1_000 : 10_000),
        burst: { baseRate, burstMs },
      });
      rows.push({
        workload: '(d) red-packet burst: 10× base for 10 s',
        system: system === 'fundcore' ? 'fundcore, 8 sub-accounts' : system,
        ours: system === 'fundcore',
        headline: system === 'fundcore',
        saturation: result,
        fixed: null,
        note: `base ${baseRate.toLocaleString('en')}/s, burst ${(baseRate * 10).toLocaleString('en')}/s; latency over the whole run`,
      });
    }
  }
  if (wanted('scale')) {
    const accounts = quick ? 10_000 : 1_000_000;
    log(`· (e) scale: ${accounts} accounts`);
    const result = await runCase({ kind: 'scale', accounts, idleMs: quick ? 1_000 : 5_000 });
    const extra = result.extra ?? {};
    rows.push({
      workload: `(e) scale: ${accounts.toLocaleString('en')} accounts touched once`,
      system: 'fundcore',
      ours: true,
      headline: true,
      saturation: result,
      fixed: null,
      note: `opened+funded ${Number(extra.openPerSec).toLocaleString('en')}/s; live heap ${extra.heapBeforeMiB} MiB before, ${extra.heapActiveMiB} MiB with ${extra.liveActive} live actors, ${extra.heapAfterPassivationMiB} MiB after passivation (${extra.liveAfterPassivation} live); private RSS ${extra.rssBeforeMiB} → ${extra.rssActiveMiB} → ${extra.rssAfterPassivationMiB} MiB; ${restNote(extra)}`,
    });
  }

  if (wanted('scale')) {
    const row = await loansScaleRow();
    if (row !== null) rows.push(row);
  }

  if (wanted('repayments') || clusterWanted('repayments')) {
    const claimsPerLoan = 20;
    // The cluster's setup goes over HTTP (one request per investment, ~400/s here; its processes hold ~1 GiB per 1,000 loans):
    // it runs a smaller day in the full run, measured first with the embedded node and PostgreSQL at its size.
    const clusterLoans = quick ? 500 : 2_000;
    for (const loans of quick ? [500] : [clusterLoans, 10_000]) {
      const workload = `(f) repayment day: ${loans.toLocaleString('en')} loans × ${claimsPerLoan} claims due the same day`;
      const systems = [
        ...(wanted('repayments') ? (postgresDown === null ? (['fundcore', 'postgres'] as const) : (['fundcore'] as const)) : []),
        ...(clusterWanted('repayments') && loans === clusterLoans ? (['fundcore-cluster'] as const) : []),
      ];
      for (const system of systems) {
        log(`· (f) repayment day, ${loans} loans · ${system}`);
        const result = await runCase({ kind: 'repayment-day', system, loans, claimsPerLoan, concurrency: system === 'postgres' ? 64 : 256 });
        const extra = result.extra ?? {};
        const settled = `${Number(extra.claimsSplitPerSec).toLocaleString('en')} claims split/s; all settled in ${Number(extra.settledMs).toLocaleString('en')} ms`;
        const setup = `setup ${Number(extra.setupMs).toLocaleString('en')} ms`;
        rows.push({
          workload,
          system: system === 'fundcore' ? 'fundcore (request → bank → split)' : system === 'postgres' ? 'postgres (split only, 1 tx per payment)' : 'fundcore cluster (request → bank → split)',
          ours: system !== 'postgres',
          headline: system === 'fundcore',
          saturation: result,
          fixed: null,
          note:
            system === 'fundcore'
              ? `payments/s; ${settled}; main thread busy ${Number(extra.mainThreadUsPerPayment).toLocaleString('en')} µs per payment (the clients and the simulated bank on it too); latency = the request (held, journaled); ${setup}`
              : system === 'postgres'
                ? `payments/s; ${settled}`
                : `payments/s; ${settled}; every journal entry in the log stream ${Number(extra.publishedMs).toLocaleString('en')} ms after the start (${Number(extra.publisherLagAtSettled).toLocaleString('en')} not yet published when settled); a fresh read side built from the stream: ${Number(extra.rebuildEntries).toLocaleString('en')} entries${extra.streamMessages === undefined ? '' : ` (${Number(extra.streamMessages).toLocaleString('en')} messages)`} in ${Number(extra.rebuildMs).toLocaleString('en')} ms, ${Number(extra.rebuildEntriesPerSec).toLocaleString('en')} entries/s; gateway + 3 node processes on NATS, bank simulator (no delay) over HTTP; latency = the HTTP request (held, journaled); ${setup} over HTTP; RSS = gateway + nodes`,
        });
      }
    }
  }

  if (wanted('curve')) await scaleCurves(postgresDown === null);

  if (wanted('redemptions')) {
    const investments = quick ? 1_000 : 10_000;
    const claimsPerLoan = 20;
    const workload = `(g) redemption wave: ${investments.toLocaleString('en')} investments maturing the same day, one claim each to transfer`;
    log('· (g) redemption wave · fundcore');
    const result = await runCase({ kind: 'redemption-wave', investments, claimsPerLoan, concurrency: 256 });
    const extra = result.extra ?? {};
    rows.push({
      workload,
      system: 'fundcore (redeem → pull back → transfer → pay out)',
      ours: true,
      headline: true,
      saturation: result,
      fixed: null,
      note: `redemptions completed/s; ${Number(extra.claimsTransferred).toLocaleString('en')} claims transferred; all completed in ${Number(extra.settledMs).toLocaleString('en')} ms; latency = the redeem request (journaled); setup ${Number(extra.setupMs).toLocaleString('en')} ms`,
    });
  }

  if (wanted('statement')) {
    const entries = quick ? 100_000 : 400_000;
    const clients = 8;
    log(`· (h) large statement · ${entries} entries`);
    const result = await runCase({ kind: 'large-statement', entries, clients, aloneMs: quick ? 2_000 : 5_000 });
    const x = result.extra ?? {};
    const ms = (key: string) => `${Number(x[key]).toLocaleString('en')} ms`;
    rows.push({
      workload: `(h) large statement: an MT940 of ${entries.toLocaleString('en')} entries (${String(x.statementMiB)} MiB) reconciled while ${clients} other clients send requests`,
      system: 'fundcore over HTTP (parse + match in a worker thread, the report journaled in chunks)',
      ours: true,
      headline: true,
      saturation: result,
      fixed: null,
      note: `statement answered in ${ms('statementMs')}; latency = the single transfers of ${clients / 2} clients meanwhile (max ${ms('maxMsMeanwhile')}; before the statement p50 / p99 / max ${x.p50MsBefore} / ${x.p99MsBefore} / ${ms('maxMsBefore')}); GET /health of ${clients / 2} more clients p99 ${ms('healthP99MsMeanwhile')} meanwhile, max ${ms('healthMaxMsMeanwhile')} (before: p99 ${ms('healthP99MsBefore')}); its ${Number(x.findingsPaged).toLocaleString('en')} findings read back in ${x.pages} pages in ${ms('pagedMs')}`,
    });
  }

  if (wanted('backup')) {
    const transfers = quick ? 20_000 : 1_000_000;
    const clients = 64;
    log(`· (k) backup while serving · ${transfers} transfers`);
    const result = await runCase({ kind: 'backup-under-load', transfers, wallets: 1_000, clients });
    const x = result.extra ?? {};
    const ms = (key: string) => `${Number(x[key]).toLocaleString('en')} ms`;
    rows.push({
      workload: `(k) backup of a journal of ${transfers.toLocaleString('en')} transfers (${String(x.journalMiB)} MiB) while ${clients} clients send transfers`,
      system: 'fundcore backup (another process: read models copied, LMDB copy, read models brought to its end)',
      ours: true,
      headline: true,
      saturation: result,
      fixed: null,
      note: `backup ${ms('backupMs')} (${ms('aloneBackupMs')} alone); the clients' transfers during it: ${result.transfersPerSec.toLocaleString('en')}/s, p99 ${result.p99Ms} ms; before, for as long: ${Number(x.rateBefore).toLocaleString('en')}/s, p99 ${String(x.p99MsBefore)} ms; filled in ${ms('fillMs')}`,
    });
  }

  if (wanted('messages')) await messageCostRows();

  if (wanted('archive')) {
    const transfers = quick ? 50_000 : 1_000_000;
    log(`· (l) archive · ${transfers} transfers over 24 months`);
    const result = await runCase({ kind: 'archive-run', transfers, wallets: 10_000 });
    const x = result.extra ?? {};
    const ms = (key: string) => `${Number(x[key]).toLocaleString('en')} ms`;
    rows.push({
      workload: `(l) archive 6 of 24 months of ${transfers.toLocaleString('en')} transfers (4 legs each, 10,000 wallets) out of the read models`,
      system: 'fundcore archiver (transfers moved/s; latency = an investor statement over a year spanning hot and archived months)',
      ours: true,
      headline: true,
      saturation: result,
      fixed: null,
      note: `${result.completed.toLocaleString('en')} transfers and ${Number(x.legsMoved).toLocaleString('en')} legs moved in ${ms('archiveMs')} (${String(x.archiveMiB)} MiB of files); statement p50 / p99 before ${ms('statementBeforeP50Ms')} / ${ms('statementBeforeP99Ms')}, after ${result.p50Ms} / ${result.p99Ms} ms; a cashflow page of 100 p50 ${ms('cashflowBeforeP50Ms')} → ${ms('cashflowAfterP50Ms')} (p99 after ${ms('cashflowAfterP99Ms')}); filled in ${ms('fillMs')}`,
    });
  }

  if (only !== undefined) mergeEarlierRows();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = markdownTable(rows);
  const heading = `${quick ? 'Quick run' : 'Full run'} on ${machine}, ${new Date().toISOString().slice(0, 10)}. Durable everywhere: fundcore acknowledges after the LMDB commit is on disk; PostgreSQL synchronous_commit=on; SQLite WAL synchronous=FULL. RSS is private (anonymous) memory: LMDB's mapped file pages are page cache, not counted.`;
  mkdirSync(resultsDir, { recursive: true });
  const name = quick ? 'quick' : 'latest';
  writeFileSync(`${resultsDir}${name}.json`, JSON.stringify({ machine, quick, date: new Date().toISOString(), notes, rows }, null, 2));
  writeFileSync(`${resultsDir}${name}.md`, `${heading}\n\n${table}\n${notes.map((n) => `\n${n}`).join('')}\n`);
  writeFileSync(`${resultsDir}${name}.svg`, svgChart(rows, `fundcore vs baselines — ${quick ? 'quick' : 'full'} run, ${machine}`));
  writeFileSync(`${resultsDir}${name}-curve.svg`, svgCurves(rows, `${quick ? 'quick' : 'full'} run, ${machine}`));
  for (const [label, prefix] of [['repayment day', curvePrefixes.repayment], ['hot account', curvePrefixes.hot]] as const) {
    for (const f of flatness(rows, prefix)) notes.push(`Scale curve, ${label}, ${f.system}: ${f.to.rate.toLocaleString('en')}/s at ${f.to.size.toLocaleString('en')} = ${f.ratio.toFixed(2)}× the rate at ${f.from.size.toLocaleString('en')} (${f.from.rate.toLocaleString('en')}/s).`);
  }
  process.stdout.write(`\n${heading}\n\n${table}\n${notes.join('\n')}\nwritten: bench/results/${name}.{json,md,svg}, ${name}-curve.svg\n`);
}

/**
 * How cost grows with the platform: the repayment day at growing loan counts (fundcore and
 * PostgreSQL's split), and the hot account at growing wallet counts (fundcore and raw lmdb-js);
 * saturation only, plotted in <name>-curve.svg.
 */
async function scaleCurves(withPostgres: boolean): Promise<void> {
  for (const loans of quick ? [250, 500, 1_000] : [1_000, 2_000, 5_000, 10_000, 20_000]) {
    for (const system of withPostgres ? (['fundcore', 'postgres'] as const) : (['fundcore'] as const)) {
      log(`· scale curve: repayment day, ${loans} loans · ${system}`);
      const result = await runCase({ kind: 'repayment-day', system, loans, claimsPerLoan: 20, concurrency: system === 'postgres' ? 64 : 256 });
      const setup = result.extra?.setupMs === undefined ? '' : `; setup ${Number(result.extra.setupMs).toLocaleString('en')} ms`;
      rows.push({ workload: repaymentCurveWorkload(loans), system: system === 'fundcore' ? 'fundcore (request → bank → split)' : 'postgres (split only)', ours: system === 'fundcore', headline: system === 'fundcore', saturation: result, fixed: null, note: `payments/s${setup}` });
    }
  }
  for (const wallets of quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]) {
    for (const [system, parts, concurrency] of [['fundcore', 8, 2048], ['raw-lmdb', 1, 2048]] as const) {
      log(`· scale curve: hot account, ${wallets} wallets · ${system}`);
      const result = await runCase(inProcess(system, 'hot', wallets, parts, concurrency)());
      rows.push({ workload: hotCurveWorkload(wallets), system: system === 'fundcore' ? 'fundcore, 8 sub-accounts' : system, ours: system === 'fundcore', headline: system === 'fundcore', saturation: result, fixed: null });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * (m) The unit every lending flow is made of: one message to an actor that journals an
 * event, the same messages spread over 10, 1,000 and 40,000 investors (how many share an
 * append shows in the note), and the same messages redelivered (answered from the dedupe
 * index, nothing journaled).
 */
async function messageCostRows(): Promise<void> {
  const messages = quick ? 20_000 : 80_000;
  for (const investors of [10, 1_000, 40_000]) {
    log(`· (m) message cost · ${messages} interest credits over ${investors} investors`);
    const result = await runCase({ kind: 'message-cost', messages, investors, concurrency: 5_000 });
    const x = result.extra ?? {};
    rows.push({
      workload: `(m) one message with one event: an interest credit, ${messages.toLocaleString('en')} over ${investors.toLocaleString('en')} investors, 5,000 in flight`,
      system: 'fundcore actor + LMDB journal (messages/s)',
      ours: true,
      headline: false,
      saturation: result,
      fixed: null,
      note: `${String(x.messagesPerAppend)} messages per append; per message ${String(x.freshMainUs)} µs main thread, ${String(x.freshCpuUs)} µs CPU (write thread included); redelivered (deduped, nothing journaled): ${Number(x.redeliveredPerSec).toLocaleString('en')}/s, ${String(x.redeliveredMainUs)} µs main, ${String(x.redeliveredCpuUs)} µs CPU`,
    });
  }
}
