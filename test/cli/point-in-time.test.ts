import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { balanceOf, openAccount, quiescent, tempDir, transfer } from '../helpers/ledger.js';
import { fundcore } from '../helpers/cli.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('given a backup and the journal after it, when restored until an instant, then exactly the appends up to that instant are there', async (t) => {
  const dir = tempDir(t, 'fundcore-pitr-');
  const dataDir = join(dir, 'data');
  const node = FundcoreNode.start({ dataDir });
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await openAccount(node, 'w2');
  for (let i = 0; i < 30; i++) t.ok((await node.ledger.createTransfer(transfer(`a${i}`, 'bank', i % 2 === 0 ? 'w1' : 'w2', '3.00'))).ok);
  await quiescent(node);
  const backup = await fundcore(['backup', '--data-dir', dataDir, '--out', join(dir, 'b1'), '--json']);
  t.equal(backup.code, 0, backup.stderr);
  const backupLast = (JSON.parse(backup.stdout) as { journal: { lastPosition: number } }).journal.lastPosition;
  // After the backup: ten transfers, the instant, ten more (a bad write among them, say)
  for (let i = 0; i < 10; i++) t.ok((await node.ledger.createTransfer(transfer(`b${i}`, 'w1', 'w2', '1.00'))).ok);
  await quiescent(node);
  await pause(30);
  const until = Date.now();
  await pause(30);
  for (let i = 0; i < 10; i++) t.ok((await node.ledger.createTransfer(transfer(`c${i}`, 'w2', 'w1', '2.00'))).ok);
  await quiescent(node);
  await node.stop();

  // When restored until the instant, replaying the node's own journal
  const restoredDir = join(dir, 'restored');
  const restore = await fundcore(['restore', join(dir, 'b1'), '--data-dir', restoredDir, '--until', new Date(until).toISOString(), '--replay', dataDir, '--json']);
  t.equal(restore.code, 0, restore.stdout + restore.stderr);
  const report = JSON.parse(restore.stdout) as { replayed: number; nextAt: string };
  t.ok(Date.parse(report.nextAt) > until, 'the first append left out was decided after the instant');

  // Then the restored log is the source's up to the instant, no more, no less, and its chains hold
  const source = new LmdbJournal({ path: join(dataDir, 'journal'), readOnly: true });
  const wanted = [...source.readLog(1)].filter((e) => e.position <= backupLast || (e.at ?? 0) <= until).map((e) => `${e.actorId}@${e.firstSeq}+${e.count}`);
  await source.close();
  const restoredJournal = new LmdbJournal({ path: join(restoredDir, 'journal'), readOnly: true });
  const got = [...restoredJournal.readLog(1)];
  t.same(got.map((e) => `${e.actorId}@${e.firstSeq}+${e.count}`), wanted, 'the same appends, in the same order');
  t.ok(got.every((e) => e.at !== null && e.at <= until), 'nothing decided after the instant');
  t.equal(report.replayed, wanted.length - got.filter((e) => e.position <= backupLast).length);
  t.equal(restoredJournal.verifyChain().broken, null, 'its own hash chains hold');
  await restoredJournal.close();

  // And a node on it has every transfer before the instant and none after; the money adds up
  const restored = FundcoreNode.start({ dataDir: restoredDir });
  t.teardown(() => restored.stop());
  await quiescent(restored);
  for (const id of ['a0', 'a29', 'b0', 'b9']) t.ok((await restored.ledger.getTransfer(id)).ok, `${id} is there`);
  for (const id of ['c0', 'c9']) t.match(await restored.ledger.getTransfer(id), { ok: false, code: 'transfer_not_found' }, `${id}, after the instant, is not`);
  t.equal(await balanceOf(restored, 'w1'), 45_00n - 10_00n);
  t.equal(await balanceOf(restored, 'w2'), 45_00n + 10_00n);
  t.equal(await balanceOf(restored, 'bank'), -90_00n);
});

t.test('a point-in-time restore refuses a copy that does not continue the backup, and an instant before it, leaving nothing behind', async (t) => {
  const dir = tempDir(t, 'fundcore-pitr-');
  const start = async (name: string, ids: string[]) => {
    const node = FundcoreNode.start({ dataDir: join(dir, name) });
    for (const id of ids) await openAccount(node, id);
    await quiescent(node);
    await node.stop();
  };
  await start('one', ['x1', 'x2']);
  await start('other', ['y1']);
  t.equal((await fundcore(['backup', '--data-dir', join(dir, 'one'), '--out', join(dir, 'b1')])).code, 0);
  const foreign = await fundcore(['restore', join(dir, 'b1'), '--data-dir', join(dir, 'r1'), '--until', new Date().toISOString(), '--replay', join(dir, 'other')]);
  t.equal(foreign.code, 1);
  t.match(foreign.stdout + foreign.stderr, /does not continue the backup/);
  t.notOk(existsSync(join(dir, 'r1', 'journal')), 'no half-restored journal is left');
  const early = await fundcore(['restore', join(dir, 'b1'), '--data-dir', join(dir, 'r2'), '--until', '2020-01-01T00:00:00Z', '--replay', join(dir, 'one')]);
  t.equal(early.code, 1);
  t.match(early.stdout + early.stderr, /restore an earlier one/);
  t.equal((await fundcore(['restore', join(dir, 'b1'), '--until', '2020-01-01T00:00:00Z'])).code, 2, '--until without --replay: usage');
  t.equal((await fundcore(['restore', join(dir, 'b1'), '--until', 'yesterday', '--replay', join(dir, 'one')])).code, 2);
});
