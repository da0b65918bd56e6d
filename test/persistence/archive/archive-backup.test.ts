import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { restoreBackup, takeBackup } from '../../../persistence/backup/backup.js';
import { openAccount, quiescent, tempDir, transfer } from '../../helpers/ledger.js';

/** What the archive must not change: every leg of the two wallets, and their balances. */
function answers(node: FundcoreNode) {
  const legs = (account: string) => node.queries.cashflow(account, {}, undefined, 500).items;
  const at = Date.parse('2032-01-01T00:00:00Z');
  return { w1: legs('w1'), w2: legs('w2'), balance: node.queries.balanceAt('w1', at).balances, statement: node.queries.statement('w1', '2030-01-01', '2031-12-31').closing };
}

t.test('a node on disk archives in its read-side worker; a backup carries the archive and a restored node answers the same', async (t) => {
  // Given a node on disk (its read models follow the log in a worker) with transfers in January 2030
  const dir = tempDir(t, 'fundcore-archive-backup-');
  const dataDir = join(dir, 'data');
  const node = await FundcoreNode.boot({ dataDir, businessClock: { mode: 'sim', startDate: '2030-01-02' } });
  await openAccount(node, 'bank', 'bank_settlement', true);
  for (const id of ['w1', 'w2']) await openAccount(node, id);
  for (let i = 0; i < 20; i++) t.ok((await node.ledger.createTransfer(transfer(`jan-${i}`, i % 2 === 0 ? 'bank' : 'w1', i % 2 === 0 ? 'w1' : 'w2', '3.00'))).ok);
  t.ok((await node.eod.close('2030-01-02')).ok);
  // And more two years later, the day before closed
  t.ok((await node.clock.change({ date: '2031-11-02' })).ok);
  for (let i = 0; i < 5; i++) t.ok((await node.ledger.createTransfer(transfer(`nov-${i}`, 'bank', 'w2', '1.00'))).ok);
  t.ok((await node.eod.close('2031-11-01')).ok);
  await node.projections.catchUpFully();
  const before = answers(node);
  // When archiving runs
  const report = await node.archiving.runNow();
  // Then January's legs and transfers moved to 2030-01's file, and the answers are the same
  t.equal(report.plan.endedBefore, '2030-05-01');
  t.same([...new Set(report.archived?.moved.map((m) => `${m.table} ${m.month}`))].sort(), ['legs 2030-01', 'transfers 2030-01']);
  t.ok(existsSync(join(dataDir, 'archive', '2030-01.sqlite')));
  t.same(answers(node), before);
  t.same(node.queries.cashflow('w1', {}, undefined, 500).sources, ['archive']);

  // When a backup is taken and restored into a fresh directory
  await takeBackup(dataDir, join(dir, 'b1'));
  await quiescent(node);
  await node.stop();
  const restoredDir = join(dir, 'restored');
  restoreBackup(join(dir, 'b1'), restoredDir);
  // Then the restored node answers the same, from its own copy of the archive
  t.ok(existsSync(join(restoredDir, 'archive', '2030-01.sqlite')));
  const restored = await FundcoreNode.boot({ dataDir: restoredDir, businessClock: { mode: 'sim', startDate: '2031-11-02' } });
  t.teardown(() => restored.stop());
  await restored.projections.catchUpFully();
  t.same(answers(restored), before);
});
