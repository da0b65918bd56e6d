import { join } from 'node:path';
import { open } from 'lmdb';
import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { openAccount, quiescent, tempDir, transfer } from '../helpers/ledger.js';
import { fundcore } from '../helpers/cli.js';

t.test('fundcore verify: a node\'s journal holds, live and stopped; a byte changed in an old transfer is named', async (t) => {
  // Given a node on disk that moved money
  const dataDir = tempDir(t, 'fundcore-verify-');
  const node = FundcoreNode.start({ dataDir });
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await openAccount(node, 'w2');
  for (let i = 0; i < 5; i++) t.ok((await node.ledger.createTransfer(transfer(`fund-${i}`, 'bank', 'w1', '10.00'))).ok);
  t.ok((await node.ledger.createTransfer(transfer('pay-1', 'w1', 'w2', '7.25'))).ok);
  await quiescent(node);

  // When verified while it runs, then every link holds
  const live = await fundcore(['verify', '--data-dir', dataDir, '--json']);
  t.equal(live.code, 0, live.stderr);
  const report = JSON.parse(live.stdout) as { intact: boolean; entries: number; unsealedAtEnd: number; heads: { partition: number; hash: string }[] };
  t.ok(report.intact);
  t.ok(report.entries + report.unsealedAtEnd > 10, `${report.entries} entries`);
  t.ok(report.heads.every((head) => /^[0-9a-f]{64}$/.test(head.hash)));
  await node.stop();
  const stopped = await fundcore(['verify', '--data-dir', dataDir]);
  t.equal(stopped.code, 0, stopped.stderr);
  t.match(stopped.stdout, /every link holds$/m);

  // When a byte of the debit of fund-2 is changed (its memo-less amount, 10.00 → another figure)
  const root = open({ path: join(dataDir, 'journal') });
  const events = root.openDB({ name: 'events', encoding: 'binary' });
  let changed: string | null = null;
  root.transactionSync(() => {
    for (const { key, value } of events.getRange({})) {
      const at = (value as Buffer).indexOf('fund-2');
      if (at < 0 || changed !== null) continue;
      const bytes = Buffer.from(value as Buffer);
      bytes[at + 'fund-'.length] = '7'.charCodeAt(0);
      events.putSync(key, bytes);
      changed = String((key as unknown[])[0]);
    }
  });
  await root.close();
  t.ok(changed !== null, `changed a record of ${changed}`);

  // Then verify fails and names that actor's entry
  const broken = await fundcore(['verify', '--data-dir', dataDir]);
  t.equal(broken.code, 1);
  t.match(broken.stdout, new RegExp(`BROKEN at position \\d+ \\(${String(changed).replace(/[:#]/g, '.')}, seq \\d+, partition \\d+\\)`));
  const usage = await fundcore(['verify', 'extra']);
  t.equal(usage.code, 2);
  const missing = await fundcore(['verify', '--data-dir', join(dataDir, 'nothing-here')]);
  t.equal(missing.code, 2);
  t.match(missing.stdout, /no journal at/);
});
