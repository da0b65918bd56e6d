import { join } from 'node:path';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { restoreBackup, verifyBackup } from '../../../persistence/backup/backup.js';
import { fundcore } from '../../helpers/cli.js';
import { FakeBank } from '../../helpers/fake-bank.js';
import { openAccount, tempDir, transfer } from '../../helpers/ledger.js';

const investors = ['inv0', 'inv1', 'inv2', 'inv3', 'inv4', 'inv5'];
const lending = { poolShards: 2 };

t.test('a backup taken under transfer and lending load: every acknowledged investment, loan and transfer is restored, and it proves itself', async (t) => {
  // Given a node on disk with a closed day, its investors funded
  const dir = tempDir(t, 'fundcore-backup-lending-');
  const dataDir = join(dir, 'data');
  const node = await FundcoreNode.boot({ dataDir, bank: new FakeBank(), lending, businessClock: { mode: 'sim', startDate: '2030-01-01' } });
  await openAccount(node, 'ext', 'bank_settlement', true);
  await openAccount(node, 'carol', 'borrower_wallet');
  for (const id of investors) {
    await openAccount(node, id);
    t.ok((await node.ledger.createTransfer(transfer(`fund-${id}`, 'ext', id, '100000.00'))).ok);
  }
  t.ok((await node.clock.change({ date: '2030-01-02' })).ok);
  t.ok((await node.eod.close('2030-01-01')).ok);

  // And clients placing investments, publishing loans and sending transfers, without pause
  const acknowledged: { kind: 'investment' | 'loan' | 'transfer'; id: string; at: number }[] = [];
  let running = true;
  let n = 0;
  const investing = async () => {
    while (running) {
      const i = n++;
      const investment = await node.lending.placeInvestment({ id: `i${i}`, investor: investors[i % investors.length] as string, amount: '100.00', termDays: 365 });
      if (investment.ok) acknowledged.push({ kind: 'investment', id: `i${i}`, at: Date.now() });
      const loan = await node.lending.publishLoan({ id: `L${i}`, borrower: 'carol', amount: '150.00', annualRate: '0.08', termDays: 90, termMonths: null, method: 'bullet' });
      if (loan.ok) acknowledged.push({ kind: 'loan', id: `L${i}`, at: Date.now() });
    }
  };
  const transferring = async () => {
    while (running) {
      const i = n++;
      const reply = await node.ledger.createTransfer(transfer(`t${i}`, investors[i % 6] as string, investors[(i + 1) % 6] as string, '1.00'));
      if (reply.ok) acknowledged.push({ kind: 'transfer', id: `t${i}`, at: Date.now() });
    }
  };
  const load = Promise.all([investing(), investing(), transferring(), transferring()]);
  while (acknowledged.filter((a) => a.kind === 'loan').length < 20) await new Promise((resolve) => setTimeout(resolve, 10));

  // When a backup is taken meanwhile, by the CLI in another process
  const startedAt = Date.now();
  const backup = await fundcore(['backup', '--data-dir', dataDir, '--out', join(dir, 'b1'), '--json']);
  t.equal(backup.code, 0, backup.stderr);
  const manifest = JSON.parse(backup.stdout) as { eod: { closedDays: number } };
  const during = acknowledged.filter((a) => a.at > startedAt).length;
  running = false;
  await load;
  await node.stop();
  t.ok(during > 0, `${during} commands were acknowledged while the backup was taken`);
  t.equal(manifest.eod.closedDays, 1, 'the closed day is in the manifest');

  // Then it restores to exactly what its manifest says (balances, chain heads, the day's digest)
  t.same(verifyBackup(join(dir, 'b1'), join(dir, 'scratch')).problems, []);
  // And a node restored from it has every investment, loan and transfer acknowledged before it began
  const restoredDir = join(dir, 'restored');
  restoreBackup(join(dir, 'b1'), restoredDir);
  const restored = await FundcoreNode.boot({ dataDir: restoredDir, bank: new FakeBank(), lending, businessClock: { mode: 'sim', startDate: '2030-01-02' } });
  t.teardown(() => restored.stop());
  const before = acknowledged.filter((a) => a.at < startedAt);
  const missing: string[] = [];
  for (const { kind, id } of before) {
    const found = kind === 'investment' ? await restored.lending.getInvestment(id) : kind === 'loan' ? await restored.lending.getLoan(id) : await restored.ledger.getTransfer(id);
    if (!found.ok) missing.push(id);
  }
  t.same(missing, [], `all ${before.length} commands acknowledged before the backup began are there (${before.filter((a) => a.kind === 'loan').length} loans)`);
});
