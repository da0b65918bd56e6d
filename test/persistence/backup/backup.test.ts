import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { balanceOf, openAccount, quiescent, tempDir, transfer } from '../../helpers/ledger.js';
import { fundcore } from '../../helpers/cli.js';

const wallets = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'];

t.test('a backup taken while transfers keep coming restores every acknowledged transfer, and proves itself against its manifest', async (t) => {
  // Given a node on disk under a steady load of transfers
  const dir = tempDir(t, 'fundcore-backup-');
  const dataDir = join(dir, 'data');
  const node = FundcoreNode.start({ dataDir });
  await openAccount(node, 'bank', 'bank_settlement', true);
  for (const id of wallets) await openAccount(node, id);
  const acknowledged: { id: string; at: number }[] = [];
  let running = true;
  let n = 0;
  const load = Promise.all(
    Array.from({ length: 8 }, async () => {
      while (running) {
        const id = `t${n++}`;
        const debit = n % 3 === 0 ? 'bank' : (wallets[n % wallets.length] as string);
        const credit = wallets[(n * 7 + 1) % wallets.length] as string;
        const reply = await node.ledger.createTransfer(transfer(id, debit === credit ? 'bank' : debit, credit, '1.00'));
        if (reply.ok) acknowledged.push({ id, at: Date.now() });
      }
    }),
  );
  while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 10));

  // When a backup is taken by the CLI, in another process, while the load goes on
  const startedAt = Date.now();
  const backup = await fundcore(['backup', '--data-dir', dataDir, '--out', join(dir, 'b1'), '--json']);
  const during = acknowledged.filter((a) => a.at > startedAt).length;
  running = false;
  await load;
  await quiescent(node);
  t.equal(backup.code, 0, backup.stderr);
  t.ok(during > 0, `${during} transfers were acknowledged while the backup ran`);
  const manifest = JSON.parse(backup.stdout) as { journal: { lastPosition: number }; chainHeads: unknown[]; balances: { accountParts: number } };
  t.ok(manifest.journal.lastPosition > 600 && manifest.chainHeads.length > 0 && manifest.balances.accountParts >= 7);
  await node.stop();

  // Then it proves itself: restored into a scratch directory, it is what its manifest says
  const verified = await fundcore(['backup', 'verify', join(dir, 'b1')]);
  t.equal(verified.code, 0, verified.stdout + verified.stderr);
  t.match(verified.stdout, /restores to exactly what its manifest says/);

  // And restored into a fresh data directory, a node finds every transfer acknowledged before it began, and the money adds up
  const restoredDir = join(dir, 'restored');
  const restore = await fundcore(['restore', join(dir, 'b1'), '--data-dir', restoredDir]);
  t.equal(restore.code, 0, restore.stderr);
  const restored = FundcoreNode.start({ dataDir: restoredDir });
  t.teardown(() => restored.stop());
  await quiescent(restored);
  const before = acknowledged.filter((a) => a.at < startedAt);
  let missing = 0;
  for (const { id } of before) if (!(await restored.ledger.getTransfer(id)).ok) missing++;
  t.equal(missing, 0, `all ${before.length} transfers acknowledged before the backup began are there`);
  let total = await balanceOf(restored, 'bank');
  for (const id of wallets) total += await balanceOf(restored, id);
  t.equal(total, 0n, 'what the bank gave is in the wallets: credits in flight at the copy were delivered after the restore');
  t.equal((await fundcore(['restore', join(dir, 'b1'), '--data-dir', restoredDir])).code, 1, 'restoring over a journal is refused');
});

t.test('backup verify finds a changed byte in the copy, and a manifest that does not match', async (t) => {
  const dir = tempDir(t, 'fundcore-backup-');
  const dataDir = join(dir, 'data');
  const node = FundcoreNode.start({ dataDir });
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  for (let i = 0; i < 20; i++) await node.ledger.createTransfer(transfer(`f${i}`, 'bank', 'w1', '2.50'));
  await quiescent(node);
  await node.stop();
  for (const name of ['b1', 'b2']) t.equal((await fundcore(['backup', '--data-dir', dataDir, '--out', join(dir, name)])).code, 0);

  // A byte of an old transfer's event changed in b1's journal
  const root = open({ path: join(dir, 'b1', 'journal') });
  const events = root.openDB({ name: 'events', encoding: 'binary' });
  root.transactionSync(() => {
    for (const { key, value } of events.getRange({})) {
      const at = (value as Buffer).indexOf('f3');
      if (at < 0) continue;
      const bytes = Buffer.from(value as Buffer);
      bytes[at + 1] = '8'.charCodeAt(0);
      events.putSync(key, bytes);
      break;
    }
  });
  await root.close();
  const tampered = await fundcore(['backup', 'verify', join(dir, 'b1')]);
  t.equal(tampered.code, 1);
  t.match(tampered.stdout, /DOES NOT RESTORE[\s\S]*hash chain is broken at position \d+/);
  const refused = await fundcore(['restore', join(dir, 'b1'), '--data-dir', join(dir, 'r1')]);
  t.equal(refused.code, 1, 'a backup whose chain is broken is not restored');
  t.notOk(existsSync(join(dir, 'r1', 'journal')) || existsSync(join(dir, 'r1', 'read-models.db')), 'and nothing of it is left for a node to start on');

  // b2's manifest claims other balances
  const manifestPath = join(dir, 'b2', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { balances: { digest: string } };
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, balances: { ...manifest.balances, digest: '0'.repeat(64) } }));
  const lying = await fundcore(['backup', 'verify', join(dir, 'b2')]);
  t.equal(lying.code, 1);
  t.match(lying.stdout, /balances rebuilt from the restored journal differ from the manifest/);

  t.equal((await fundcore(['backup', '--data-dir', join(dir, 'nothing'), '--out', join(dir, 'b3')])).code, 1, 'no journal: refused');
  t.equal((await fundcore(['backup', '--data-dir', dataDir, '--out', join(dir, 'b2')])).code, 1, 'into an existing directory: refused');
  t.equal((await fundcore(['backup', '--data-dir', dataDir])).code, 2, 'neither --out nor --into: usage');
  t.equal((await fundcore(['backup', 'verify', join(dir, 'data')])).code, 1, 'a directory without a manifest is no backup');
});

t.test('scheduled backups: named by their time, pruned by the retention', async (t) => {
  const dir = tempDir(t, 'fundcore-backup-');
  const dataDir = join(dir, 'data');
  const node = FundcoreNode.start({ dataDir });
  await openAccount(node, 'w1');
  await node.stop();
  const first = await fundcore(['backup', '--data-dir', dataDir, '--into', join(dir, 'scheduled'), '--keep-hourly-days', '0', '--keep-daily-days', '0', '--json']);
  t.equal(first.code, 0, first.stderr);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const second = await fundcore(['backup', '--data-dir', dataDir, '--into', join(dir, 'scheduled'), '--keep-hourly-days', '0', '--keep-daily-days', '0', '--json']);
  t.equal(second.code, 0, second.stderr);
  const report = JSON.parse(second.stdout) as { kept: number; pruned: string[] };
  t.equal(report.kept, 1, 'with no window, only the newest stays');
  t.equal(report.pruned.length, 1);
  t.match(report.pruned[0], /^\d{8}T\d{6}Z$/);
  t.equal((await fundcore(['backup', '--data-dir', dataDir, '--into', join(dir, 's'), '--keep-daily-days', 'x'])).code, 2);
});
