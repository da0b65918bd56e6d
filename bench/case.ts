/**
 * One benchmark case, run in a process of its own (so memory and GC of one case never
 * weigh on another): `node dist/bench/case.js '<json spec>'`. Prints `RESULT <json>`.
 */
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import { FundcoreInProcess } from './systems/fundcore-in-process.js';
import { FundcoreCluster } from './systems/fundcore-cluster.js';
import { FundcoreServer, benchApiKey } from './systems/fundcore-http.js';
import { PostgresBaseline } from './systems/postgres.js';
import { RawLmdbBaseline } from './systems/raw-lmdb.js';
import { SqliteBaseline } from './systems/sqlite.js';
import { transferIdOf, type AccountPlan, type TransferIds, type TransferSystem } from './systems/system.js';
import { closedLoop, openLoop, type LoadResult } from './lib/load.js';
import { readSideRest } from './lib/idle.js';
import { liveHeapMiB, round, rssMiB } from './lib/stats.js';
import { deviceWritesWindow } from './lib/device-writes.js';
import { journalCostWindow, perTransfer } from './lib/journal-cost.js';
import { threadCostWindow } from './lib/thread-cost.js';
import { profileWindow } from './lib/profile-window.js';
import { hotLeg, payoutLeg, uniformLeg, type Leg } from './workloads.js';
import { redemptionWave, type RedemptionWaveSpec } from './redemption-wave.js';
import { repaymentDay, type RepaymentDaySpec } from './repayment-day.js';
import { largeStatement, type LargeStatementSpec } from './large-statement.js';
import { backupUnderLoad, type BackupUnderLoadSpec } from './backup-under-load.js';
import { archiveRun, type ArchiveRunSpec } from './archive-run.js';
import { messageCost, type MessageCostSpec } from './message-cost.js';

export type SystemName = 'fundcore' | 'postgres' | 'sqlite' | 'raw-lmdb';
export type WorkloadName = 'hot' | 'uniform' | 'burst';

export type CaseSpec =
  | {
      readonly kind: 'in-process';
      readonly system: SystemName;
      readonly workload: WorkloadName;
      readonly wallets: number;
      readonly subAccounts: number;
      readonly concurrency: number;
      readonly durationMs: number;
      /** Absent: saturation (closed loop). A number: a fixed offered rate (open loop). */
      readonly offeredRate?: number;
      /** For the burst: the base rate; the burst is 10× for `burstMs` in the middle. */
      readonly burst?: { readonly baseRate: number; readonly burstMs: number };
      /** Batched submission: each operation is a batch of this many transfers (`concurrency` batches in flight). */
      readonly batchSize?: number;
      /** How transfers are named (absent: sequential). */
      readonly transferIds?: TransferIds;
    }
  | {
      readonly kind: 'http';
      readonly workload: 'hot' | 'uniform';
      readonly batchSize: number;
      readonly wallets: number;
      readonly subAccounts: number;
      readonly connections: number;
      readonly durationMs: number;
      readonly offeredRate?: number;
      /** How transfers are named (absent: sequential, `h<n>`). */
      readonly transferIds?: TransferIds;
    }
  /** The same as 'http', against a cluster: gateway → NATS → 3 node processes. */
  | {
      readonly kind: 'cluster';
      readonly workload: 'hot' | 'uniform';
      readonly batchSize: number;
      readonly wallets: number;
      readonly subAccounts: number;
      readonly connections: number;
      readonly durationMs: number;
      readonly offeredRate?: number;
    }
  | { readonly kind: 'scale'; readonly accounts: number; readonly idleMs: number }
  | RepaymentDaySpec
  | RedemptionWaveSpec
  | LargeStatementSpec
  | BackupUnderLoadSpec
  | ArchiveRunSpec
  | MessageCostSpec;

export interface CaseResult {
  readonly transfersPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly rssMiB: number;
  readonly completed: number;
  readonly failed: number;
  readonly extra?: Record<string, number | string>;
}

const legOf = (workload: WorkloadName, wallets: number): ((n: number) => Leg) =>
  workload === 'hot' ? (n) => hotLeg(n, wallets) : workload === 'uniform' ? (n) => uniformLeg(n, wallets) : (n) => payoutLeg(n, wallets);

function planOf(workload: WorkloadName, wallets: number, subAccounts: number, expectedTransfers: number): AccountPlan {
  const funding = 1_000_000_00n;
  const needsHot = workload !== 'uniform';
  return {
    wallets,
    walletFundingMinor: funding,
    ...(needsHot ? { hot: { subAccounts, fundingMinor: BigInt(expectedTransfers) * 100n * 2n + funding } } : {}),
  };
}

function systemOf(name: SystemName, spec: Extract<CaseSpec, { kind: 'in-process' }>): TransferSystem {
  const ids = spec.transferIds ?? 'sequential';
  switch (name) {
    case 'fundcore':
      return new FundcoreInProcess('fundcore', {}, ids);
    case 'postgres':
      return new PostgresBaseline(Math.min(spec.concurrency, 64), ids);
    case 'sqlite':
      return new SqliteBaseline(ids);
    case 'raw-lmdb':
      return new RawLmdbBaseline(ids);
  }
}

function summarize(load: LoadResult, rss: number, extra?: Record<string, number | string>): CaseResult {
  return {
    transfersPerSec: Math.round((load.completed / load.elapsedMs) * 1000),
    ...load.latencies.summary(),
    rssMiB: rss,
    completed: load.completed,
    failed: load.failed,
    ...(extra !== undefined ? { extra } : {}),
  };
}

/** Batch `b` of `size` transfers: legs b·size … b·size + size − 1. */
async function batchOf(system: TransferSystem, leg: (n: number) => Leg, b: number, size: number): Promise<void> {
  const transfers = Array.from({ length: size }, (_, i) => ({ n: b * size + i, ...leg(b * size + i) }));
  if (system.transferBatch !== undefined) await system.transferBatch(transfers);
  else await Promise.all(transfers.map(({ n, debit, credit, amountMinor }) => system.transfer(n, debit, credit, amountMinor)));
}

async function inProcess(spec: Extract<CaseSpec, { kind: 'in-process' }>): Promise<CaseResult> {
  const system = systemOf(spec.system, spec);
  const leg = legOf(spec.workload, spec.wallets);
  await system.setup(planOf(spec.workload, spec.wallets, spec.subAccounts, 20_000_000));
  const batchSize = spec.batchSize ?? 1;
  const op =
    batchSize === 1
      ? (n: number) => {
          const { debit, credit, amountMinor } = leg(n);
          return system.transfer(n, debit, credit, amountMinor);
        }
      : (n: number) => batchOf(system, leg, n, batchSize);
  let load: LoadResult;
  const stopProfile = await profileWindow(`in-process-${spec.workload}-${spec.system}-${batchSize}`);
  const threadCost = threadCostWindow();
  const journalCost = system instanceof FundcoreInProcess ? journalCostWindow(system.node.journal, system.dataDir) : null;
  if (spec.burst !== undefined) {
    const { baseRate, burstMs } = spec.burst;
    const quiet = (spec.durationMs - burstMs) / 2;
    load = await openLoop(op, (t) => (t >= quiet && t < quiet + burstMs ? baseRate * 10 : baseRate), spec.durationMs);
  } else if (spec.offeredRate !== undefined) {
    const rate = spec.offeredRate;
    load = await openLoop(op, () => rate, spec.durationMs);
  } else {
    load = await closedLoop(op, spec.concurrency, spec.durationMs);
  }
  const cost = threadCost(load.completed * batchSize);
  const journaled = journalCost === null ? {} : perTransfer(journalCost(load.completed * batchSize));
  await stopProfile();
  const settleStarted = performance.now();
  await system.settle();
  const settleMs = performance.now() - settleStarted;
  // A batch's latency is the batch's; throughput counts its transfers.
  const counted = { ...load, completed: load.completed * batchSize, failed: load.failed * batchSize };
  const costs = { mainThreadBusyUsPerTransfer: cost.mainThreadBusyUsPerOp, ...(cost.mainThreadCpuUsPerOp === null ? {} : { mainThreadCpuUsPerTransfer: cost.mainThreadCpuUsPerOp }), ...journaled };
  const result = summarize(counted, system.rssMiB(), { settleMs: round(settleMs), ...costs, ...(batchSize > 1 ? { batchSize, batches: load.completed } : {}) });
  await system.teardown();
  return result;
}

async function overHttp(spec: Extract<CaseSpec, { kind: 'http' | 'cluster' }>): Promise<CaseResult> {
  const server = spec.kind === 'cluster' ? new FundcoreCluster() : new FundcoreServer();
  await server.start();
  try {
    await server.setup(planOf(spec.workload, spec.wallets, spec.subAccounts, 20_000_000));
    const leg = spec.workload === 'hot' ? (n: number) => hotLeg(n, spec.wallets) : (n: number) => uniformLeg(n, spec.wallets);
    let n = 0;
    const random = spec.kind === 'http' && spec.transferIds === 'random';
    const item = () => {
      const { debit, credit } = leg(n);
      const id = random ? transferIdOf(n, 'random') : `h${n}`;
      n++;
      return { id, debit, credit, amount: '1.00' };
    };
    const single = spec.batchSize === 1;
    // The servers' data directories are made under tmpdir: its device is their journals'.
    const writtenSince = deviceWritesWindow(tmpdir());
    const result = await autocannon({
      url: `${server.url}${single ? '/v1/transfers' : '/v1/transfers/batch'}`,
      method: 'POST',
      connections: spec.connections,
      duration: spec.durationMs / 1000,
      headers: { authorization: `Bearer ${benchApiKey}`, 'content-type': 'application/json' },
      ...(spec.offeredRate !== undefined ? { overallRate: Math.max(1, Math.round(spec.offeredRate / spec.batchSize)) } : {}),
      requests: [
        {
          setupRequest: (request: Record<string, unknown>) => ({
            ...request,
            body: JSON.stringify(single ? item() : { transfers: Array.from({ length: spec.batchSize }, item) }),
          }),
        },
      ],
    } as unknown as autocannon.Options);
    const written = writtenSince();
    // The cluster's settle includes its nodes' journals reaching the log stream.
    const settleStarted = performance.now();
    await server.settle();
    const settleMs = performance.now() - settleStarted;
    const ok = result['2xx'];
    const transfers = ok * spec.batchSize;
    return {
      transfersPerSec: Math.round(transfers / (spec.durationMs / 1000)),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      p999Ms: (result.latency as unknown as Record<string, number>).p99_9 ?? result.latency.max,
      rssMiB: server.rssMiB(),
      completed: transfers,
      failed: result.non2xx + result.errors,
      extra: {
        requestsPerSec: Math.round(result.requests.average),
        settleMs: round(settleMs),
        ...(written === null ? {} : { deviceKiBPerTransfer: round(written / Math.max(transfers, 1), 1) }),
      },
    };
  } finally {
    await server.stop();
  }
}

/** (e) Many accounts touched once, then idle: does memory follow the active set? */
async function scale(spec: Extract<CaseSpec, { kind: 'scale' }>): Promise<CaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const system = new FundcoreInProcess('fundcore', { idleBeforePassivationMs: spec.idleMs, passivationSweepMs: 250, liveActorsMax: 10_000_000 });
  const { ledger } = system.node;
  await ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
  gc();
  const rssBefore = rssMiB();
  const heapBefore = liveHeapMiB();
  const started = performance.now();
  const load = await closedLoop(
    async (n) => {
      const id = `acct-${n}`;
      const opened = await ledger.openAccount({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false });
      if (!opened.ok) throw new Error(opened.code);
      const paid = await ledger.createTransfer({ id: `touch-${n}`, debit: 'bank', credit: id, amount: '1.00', pending: false, timeoutMs: null, memo: null });
      if (!paid.ok) throw new Error(paid.code);
    },
    2_048,
    Number.MAX_SAFE_INTEGER,
    spec.accounts,
  );
  await system.settle();
  const openedMs = performance.now() - started;
  const heapActive = liveHeapMiB();
  const rssActive = rssMiB();
  const liveActive = system.node.system.stats().live;
  await new Promise((resolve) => setTimeout(resolve, spec.idleMs + 1_500));
  const rest = await readSideRest(system.node);
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const heapIdle = liveHeapMiB();
  const rssIdle = rssMiB();
  const liveIdle = system.node.system.stats().live;
  await system.teardown();
  return {
    ...summarize(load, rssActive),
    transfersPerSec: Math.round((spec.accounts / openedMs) * 1000),
    extra: {
      accounts: spec.accounts,
      openPerSec: Math.round((spec.accounts / openedMs) * 1000),
      rssBeforeMiB: rssBefore,
      rssActiveMiB: rssActive,
      rssAfterPassivationMiB: rssIdle,
      heapBeforeMiB: heapBefore,
      heapActiveMiB: heapActive,
      heapAfterPassivationMiB: heapIdle,
      liveActive,
      liveAfterPassivation: liveIdle,
      ...rest,
    },
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as CaseSpec;
  const result =
    spec.kind === 'in-process' ? await inProcess(spec) : spec.kind === 'http' || spec.kind === 'cluster' ? await overHttp(spec) : spec.kind === 'repayment-day' ? await repaymentDay(spec) : spec.kind === 'redemption-wave' ? await redemptionWave(spec) : spec.kind === 'large-statement' ? await largeStatement(spec) : spec.kind === 'backup-under-load' ? await backupUnderLoad(spec) : spec.kind === 'archive-run' ? await archiveRun(spec) : spec.kind === 'message-cost' ? await messageCost(spec) : await scale(spec);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`case failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
