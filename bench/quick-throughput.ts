/**
 * A first, rough figure: durable in-process transfers per second on the LMDB journal.
 * (The benchmark issue builds the real harness with baselines; this is the smoke figure.)
 *   npm run build && node dist/bench/quick-throughput.js [transfers] [wallets] [concurrency]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundcoreNode } from '../actors/node.js';

async function main(): Promise<void> {
  const [transfers = 200_000, wallets = 10_000, concurrency = 20_000] = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-bench-'));
  const node = FundcoreNode.start({ dataDir: dir, limits: { relayInFlightMax: 20_000 } });
  try {
    await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
    const ids = Array.from({ length: wallets }, (_, i) => `w${i}`);
    await Promise.all(ids.map((id) => node.ledger.openAccount({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false })));
    await Promise.all(ids.map((id) => node.ledger.createTransfer({ id: `fund-${id}`, debit: 'bank', credit: id, amount: '1000000.00', pending: false, timeoutMs: null, memo: null })));
    while (node.system.relay.backlog > 0) await new Promise((resolve) => setTimeout(resolve, 5));

    let next = 0;
    let acked = 0;
    let refused = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < transfers) {
        const n = next++;
        const debit = ids[n % wallets] as string;
        const credit = ids[(n * 7919 + 1) % wallets] as string;
        const reply = await node.ledger.createTransfer({ id: `t${n}`, debit, credit: credit === debit ? 'bank' : credit, amount: '1.00', pending: false, timeoutMs: null, memo: null });
        if (reply.ok) acked++;
        else refused++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const ackedMs = performance.now() - started;
    while (node.system.relay.backlog > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const settledMs = performance.now() - started;
    const rate = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('en');
    console.log(`transfers ${transfers.toLocaleString('en')}, wallets ${wallets.toLocaleString('en')}, concurrency ${concurrency.toLocaleString('en')}`);
    console.log(`acknowledged (debit durable): ${rate(acked, ackedMs)} transfers/s  (${acked} ok, ${refused} refused, ${Math.round(ackedMs)} ms)`);
    console.log(`settled (credit durable too): ${rate(acked, settledMs)} transfers/s  (${Math.round(settledMs)} ms)`);
    console.log(`rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
