/**
 * `npm run bench:projections` (`-- --transfers=N`, default 100,000): can the read models keep
 * up with the ledger? One node on LMDB writes N transfers (a tenth of them pending, then
 * posted) over 1,000 wallets; then, from the same journal in the same run: the ledger's own
 * write rate (the baseline projection must keep up with), live catch-up, a rebuild, the
 * bare log read (the floor), a day's close and cashflow queries. Writes
 * bench/results/projections.md and prints the table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FundcoreNode } from '../actors/node.js';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import { rebuildReadModel } from '../persistence/projections/rebuild.js';
import { Latencies } from './lib/stats.js';

const transfers = Number(process.argv.find((arg) => arg.startsWith('--transfers='))?.slice('--transfers='.length) ?? 100_000);
const wallets = 1_000;
const inFlightMax = 500;
const queries = 1_000;
const resultsFile = fileURLToPath(new URL('../../bench/results/projections.md', import.meta.url));

const seconds = (since: number) => (performance.now() - since) / 1000;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-bench-projections-'));
  try {
    // The timer never fires during the run: catch-up is measured on its own.
    const node = await FundcoreNode.boot({ dataDir: dir, businessClock: { mode: 'sim', startDate: '2030-01-01' }, projectionIntervalMs: 3_600_000 });
    await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
    for (let i = 0; i < wallets; i++) await node.ledger.openAccount({ id: `w${i}`, kind: 'investor_wallet', currency: 'CNY', overdraft: false });
    await node.projections.catchUpFully();
    const startPosition = node.journal.lastLogPosition();

    let written = performance.now();
    for (let i = 0; i < transfers; i += inFlightMax) {
      await Promise.all(
        Array.from({ length: Math.min(inFlightMax, transfers - i) }, async (_, j) => {
          const n = i + j;
          const pending = n % 10 === 0;
          const id = `t${n}`;
          const debit = n % 3 === 0 || n < wallets * 2 ? 'bank' : `w${(n * 7) % wallets}`;
          await node.ledger.createTransfer({ id, debit, credit: `w${n % wallets}`, amount: '1.00', pending, timeoutMs: null, memo: null });
          if (pending) await node.ledger.postPending(id, null);
        }),
      );
    }
    while (node.system.relay.backlog > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const writeSeconds = seconds(written);
    const entries = node.journal.lastLogPosition() - startPosition;

    const caughtUp = performance.now();
    await node.projections.catchUpFully();
    const catchUpSeconds = seconds(caughtUp);

    const latencies = new Latencies();
    for (let q = 0; q < queries; q++) {
      const started = performance.now();
      node.queries.cashflow(`w${(q * 37) % wallets}`, {}, undefined, 100);
      latencies.record(performance.now() - started);
    }
    const latency = latencies.summary();

    await node.clock.change({ advanceDays: 1 });
    const closing = performance.now();
    const closed = await node.eod.close('2030-01-01');
    const closeSeconds = seconds(closing);
    if (!closed.ok || !closed.value.balanced) throw new Error(`the close failed: ${JSON.stringify(closed)}`);
    await node.stop();

    const journal = new LmdbJournal({ path: join(dir, 'journal') });
    const read = performance.now();
    let events = 0;
    for (const entry of journal.readLog(1)) {
      for (const stored of journal.readEvents(entry.actorId, entry.firstSeq)) {
        if (stored.seq >= entry.firstSeq + entry.count) break;
        events++;
      }
    }
    const readSeconds = seconds(read);
    const rebuilding = performance.now();
    const rebuilt = rebuildReadModel(journal, join(dir, 'rebuilt.db'));
    const rebuildSeconds = seconds(rebuilding);
    await journal.close();

    const rows = [
      ['ledger writes (baseline: what projection must keep up with)', rate(transfers, writeSeconds), rate(entries, writeSeconds), `${writeSeconds.toFixed(2)} s`],
      ['live projection catch-up (ours)', rate(transfers, catchUpSeconds), rate(entries, catchUpSeconds), `${catchUpSeconds.toFixed(2)} s`],
      ['rebuild from the journal (ours)', rate(transfers, rebuildSeconds), rate(rebuilt.entries, rebuildSeconds), `${rebuildSeconds.toFixed(2)} s (${rebuilt.entries.toLocaleString('en')} entries, all of the log)`],
      ['bare log read (floor: LMDB, no SQLite)', rate(transfers, readSeconds), rate(entries, readSeconds), `${readSeconds.toFixed(2)} s (${events.toLocaleString('en')} events)`],
    ];
    const table = [
      `${transfers.toLocaleString('en')} transfers (a tenth pending, then posted) over ${wallets.toLocaleString('en')} wallets; ${entries.toLocaleString('en')} log entries.`,
      '',
      '| what | transfers/s | log entries/s | time |',
      '|---|---:|---:|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
      `Close of the day (trial balance, ${closed.value.accounts.toLocaleString('en')} accounts' closings, digest): ${closeSeconds.toFixed(2)} s. ` +
        `Cashflow page (100 legs) of a wallet: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms over ${queries.toLocaleString('en')} queries.`,
    ].join('\n');
    writeFileSync(resultsFile, `# Read-model projection (npm run bench:projections)\n\n${table}\n`);
    process.stdout.write(`${table}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
