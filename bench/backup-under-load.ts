/**
 * (k) A backup while the node serves: a node's journal holding `transfers` transfers is backed
 * up by `fundcore backup` (another process: LMDB's copy, then the read models rebuilt from the
 * copy, then the manifest) while `clients` clients send single transfers in closed loops.
 * Measured: the backup's time, and the clients' latency and rate during it against a run of
 * the same length without it, before.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoop } from './lib/load.js';
import { round, rssMiB } from './lib/stats.js';
import { FundcoreInProcess, input } from './systems/fundcore-in-process.js';
import { uniformLeg } from './workloads.js';
import type { CaseResult } from './case.js';

export interface BackupUnderLoadSpec {
  readonly kind: 'backup-under-load';
  readonly transfers: number;
  readonly wallets: number;
  readonly clients: number;
}

const bin = fileURLToPath(new URL('../../bin/fundcore.js', import.meta.url));
const fillBatch = 4_000;

/** The journal filled with `transfers` transfers among the wallets, by batches (two in flight). */
async function fill(system: FundcoreInProcess, spec: BackupUnderLoadSpec): Promise<void> {
  let next = 0;
  const filler = async () => {
    while (next < spec.transfers) {
      const from = next;
      next = Math.min(spec.transfers, next + fillBatch);
      const items = Array.from({ length: next - from }, (_, i) => {
        const { debit, credit, amountMinor } = uniformLeg(from + i, spec.wallets);
        return input(`fill-${from + i}`, debit, credit, amountMinor);
      });
      const replies = await system.node.ledger.createTransfers(items);
      const refused = replies.find((reply) => !reply.ok);
      if (refused !== undefined) throw new Error(`fill refused: ${JSON.stringify(refused)}`);
    }
  };
  await Promise.all([filler(), filler()]);
  await system.settle();
}

function backup(dataDir: string, out: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, 'backup', '--data-dir', dataDir, '--out', out], { timeout: 3_600_000 }, (error, _stdout, stderr) => {
      if (error !== null) reject(new Error(`backup failed: ${stderr}`));
      else resolve(performance.now() - started);
    });
  });
}

export async function backupUnderLoad(spec: BackupUnderLoadSpec): Promise<CaseResult> {
  const system = new FundcoreInProcess('fundcore');
  await system.setup({ wallets: spec.wallets, walletFundingMinor: 1_000_000_000_00n });
  const fillStarted = performance.now();
  await fill(system, spec);
  const fillMs = performance.now() - fillStarted;
  let n = 0;
  const op = async () => {
    const { debit, credit, amountMinor } = uniformLeg(spec.transfers + n++, spec.wallets);
    await system.transfer(n, debit, credit, amountMinor);
  };
  const scratch = mkdtempSync(join(tmpdir(), 'fundcore-bench-backup-'));
  try {
    // The backup first, alone, only to know how long the loads should run; then without and with.
    const aloneMs = await backup(system.dataDir, join(scratch, 'alone'));
    const before = await closedLoop(op, spec.clients, aloneMs);
    let done = false;
    const during = backup(system.dataDir, join(scratch, 'during')).finally(() => (done = true));
    const meanwhile = await closedLoop(op, spec.clients, 3_600_000, Infinity, () => done);
    const backupMs = await during;
    const journalMiB = round(statSync(join(system.dataDir, 'journal', 'data.mdb')).size / 2 ** 20);
    const rate = (load: typeof before) => Math.round((load.completed / load.elapsedMs) * 1000);
    const beforeSummary = before.latencies.summary();
    return {
      transfersPerSec: rate(meanwhile),
      ...meanwhile.latencies.summary(),
      rssMiB: rssMiB(),
      completed: meanwhile.completed,
      failed: meanwhile.failed,
      extra: { backupMs: round(backupMs), aloneBackupMs: round(aloneMs), rateBefore: rate(before), p99MsBefore: beforeSummary.p99Ms, p999MsBefore: beforeSummary.p999Ms, journalMiB, fillMs: round(fillMs) },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await system.teardown();
  }
}
