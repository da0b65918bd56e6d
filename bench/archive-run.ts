/**
 * (l) Archiving at scale: read models holding `transfers` transfers (four legs each, two
 * wallets and the transit account) over 24 months; the six months older than 18 are moved
 * to their monthly files. Measured: the move's time, and an investor's statement and a
 * cashflow page before and after (the statement's year spans hot and archived months).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../core/calendar/business-date.js';
import { archiveEndedBefore } from '../persistence/archive/archiver.js';
import { allProjectors } from '../persistence/projections/projectors.js';
import { ReadModelQueries } from '../persistence/projections/queries.js';
import { prepared, ReadModel } from '../persistence/projections/read-model.js';
import { round, rssMiB } from './lib/stats.js';
import type { CaseResult } from './case.js';

export interface ArchiveRunSpec {
  readonly kind: 'archive-run';
  readonly transfers: number;
  readonly wallets: number;
}

const firstDay = '2024-01-01';
const days = 730;

function fill(model: ReadModel, spec: ArchiveRunSpec): void {
  const db = model.db;
  const leg = prepared(db, 'insert into legs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const transfer = prepared(db, `insert into transfers (id, debit, credit, amount, currency, status, pending, created_at, updated_at, credited_at, business_date) values (?, ?, ?, ?, 'CNY', 'posted', 0, ?, ?, ?, ?)`);
  const wallet = (n: number) => `w${n % spec.wallets}`;
  for (let w = 0; w < spec.wallets; w++) prepared(db, "insert into account_parts values (?, ?, 'investor_wallet', 'CNY', 0, 1, 0, 0, null, 0, 0, 0, 0, 0)").run(wallet(w), wallet(w));
  const batch = 20_000;
  for (let from = 0; from < spec.transfers; from += batch) {
    db.transaction(() => {
      for (let n = from; n < Math.min(spec.transfers, from + batch); n++) {
        const day = addDays(firstDay, Math.floor((n * days) / spec.transfers));
        const at = BigInt(Date.parse(`${day}T10:00:00Z`));
        const [debit, credit, id] = [wallet(n * 7), wallet(n * 13 + 1), `t${n}`];
        transfer.run(id, debit, credit, 100n, at, at, at, day);
        const position = BigInt(2 * n + 1);
        leg.run(position, 0n, debit, id, 'debit', 100n, 'CNY', at, day, day);
        leg.run(position, 1n, '~transit', id, 'credit', 100n, 'CNY', at, day, day);
        leg.run(position + 1n, 0n, '~transit', id, 'debit', 100n, 'CNY', at, day, day);
        leg.run(position + 1n, 1n, credit, id, 'credit', 100n, 'CNY', at, day, day);
      }
    })();
  }
}

/** p50 and p99 of `run` over `count` calls, in ms. */
function latencies(count: number, run: (i: number) => void): { p50: number; p99: number } {
  const took: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    run(i);
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  return { p50: round(took[Math.floor(count * 0.5)] ?? 0), p99: round(took[Math.floor(count * 0.99)] ?? 0) };
}

export async function archiveRun(spec: ArchiveRunSpec): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-bench-archive-'));
  const model = new ReadModel(join(dir, 'read-models.db'), allProjectors);
  try {
    let started = performance.now();
    fill(model, spec);
    const fillMs = Math.round(performance.now() - started);
    const queries = new ReadModelQueries(model);
    const measure = () => ({
      statement: latencies(200, (i) => queries.statement(`w${(i * 37) % spec.wallets}`, '2024-04-01', '2025-03-31')),
      cashflow: latencies(200, (i) => queries.cashflow(`w${(i * 41) % spec.wallets}`, {}, undefined, 100)),
    });
    const before = measure();
    started = performance.now();
    const run = await archiveEndedBefore(model, '2024-07-01');
    const archiveMs = Math.round(performance.now() - started);
    const after = measure();
    const moved = run.moved.filter((m) => m.table === 'transfers').reduce((sum, m) => sum + m.rows, 0);
    const legsMoved = run.moved.filter((m) => m.table === 'legs').reduce((sum, m) => sum + m.rows, 0);
    const archiveMiB = readdirSync(join(dir, 'archive')).reduce((sum, name) => sum + statSync(join(dir, 'archive', name)).size, 0) / 2 ** 20;
    return {
      transfersPerSec: Math.round((moved / archiveMs) * 1000),
      p50Ms: after.statement.p50,
      p99Ms: after.statement.p99,
      p999Ms: after.statement.p99,
      rssMiB: rssMiB(),
      completed: moved,
      failed: 0,
      extra: {
        fillMs,
        archiveMs,
        legsMoved,
        archiveMiB: round(archiveMiB),
        statementBeforeP50Ms: before.statement.p50,
        statementBeforeP99Ms: before.statement.p99,
        cashflowBeforeP50Ms: before.cashflow.p50,
        cashflowAfterP50Ms: after.cashflow.p50,
        cashflowAfterP99Ms: after.cashflow.p99,
      },
    };
  } finally {
    model.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
