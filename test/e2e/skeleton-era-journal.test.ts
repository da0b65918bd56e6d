import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { runJournalUpgrade } from '../../persistence/journal-upgrade/upgrade-cli.js';
import { JournalUpgradeRequiredError, skeletonPlanActorsOf } from '../../persistence/journal-upgrade/upgrade-journal.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway } from '../helpers/gateway.js';
import { tempDir } from '../helpers/ledger.js';
import { writeRecordedJournal } from '../helpers/recorded-journal.js';
import { opsHeaders as ops, until } from '../helpers/repaying-loan.js';
import { serverEntry } from '../helpers/server-process.js';
import { repoUrl } from '../helpers/repo.js';

/**
 * A journal written the old way: recorded from fundcore at 86ea8b0, when plans were skeletons
 * (test/fixtures/journals/README.md): wallets, two investments, loans L1 (3,000.00 at 12 %,
 * 3 months, equal principal), L2 (1,000.00 at 10 %, 6 months, equal installment) and L3
 * (300.00 at 9 %, 60 days, bullet) approved on 2030-01-31 and paid out, L4 funded and not
 * approved; the node stopped (every actor snapshotted).
 */
const fixture = repoUrl('test/fixtures/journals/skeleton-plans.json');

async function oldDataDir(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const dir = tempDir(t, 'fundcore-skeleton-');
  const journal = new LmdbJournal({ path: join(dir, 'journal') });
  await writeRecordedJournal(journal, fixture);
  await journal.close();
  return dir;
}

const lines = () => {
  const out: string[] = [];
  return { out, write: (line: string) => out.push(line) };
};

t.test('given a journal of the skeleton-plan era, the node refuses to start, naming the command; the command upgrades it and the loans go on', async (t) => {
  const dir = await oldDataDir(t);
  t.throws(() => FundcoreNode.start({ dataDir: dir }), new JournalUpgradeRequiredError(`cannot start: this journal was written by a fundcore whose repayment plans had no amounts (plan:L1, plan:L2, plan:L3). Run \`npm run journal:upgrade -- --data-dir ${dir}\` with the node stopped: it rebuilds the journal beside the old one (kept) with each plan's amounts recomputed from its loan's terms, then start again.`));

  const check = lines();
  t.equal(await runJournalUpgrade(['--check', '--data-dir', dir], check.write, check.write), 1, '--check: work to do');
  t.same(check.out, ['3 plan(s) without amounts: plan:L1, plan:L2, plan:L3']);
  t.notOk(existsSync(join(dir, 'journal-before-upgrade')), '--check changes nothing');

  const run = lines();
  t.equal(await runJournalUpgrade(['--data-dir', dir], run.write, run.write), 0);
  t.equal(run.out[1], 'rebuilt 97 log entries (107 events, 47 index entries; 25 snapshots left out): 3 plans recomputed, 5 claims and 2 capitals completed, system accounts reopened: sys.guarantee');
  const kept = new LmdbJournal({ path: join(dir, 'journal-before-upgrade') });
  t.same(skeletonPlanActorsOf(kept), ['plan:L1', 'plan:L2', 'plan:L3'], 'the journal as it was is kept beside');
  await kept.close();
  const again = lines();
  t.equal(await runJournalUpgrade(['--data-dir', dir], again.write, again.write), 0);
  t.same(again.out, [`nothing to upgrade: ${join(dir, 'journal')} holds no plan without amounts`], 'a second run has nothing to do');

  const bank = new FakeBank();
  const h = await gateway(t, { journal: new LmdbJournal({ path: join(dir, 'journal') }), bank, businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2 } });
  t.equal((await h.get('/ops/clock', ops)).json().date, '2030-01-31', 'the simulated date the old node reached');
  const money = (periods: { principal: string; interest: string; dueDate: string }[]) => periods.map((p) => [p.dueDate, p.principal, p.interest]);
  const l1 = (await h.get('/v1/loans/L1/schedule')).json();
  t.match(l1, { planId: 'plan-L1', amount: '3000.00', startDate: '2030-01-31', product: { name: 'standard' } });
  t.same(money(l1.periods), [['2030-02-28', '1000.00', '30.00'], ['2030-03-31', '1000.00', '20.00'], ['2030-04-30', '1000.00', '10.00']], 'L1: 1,000.00 a month + 1 % of the balance (30/360, whole months), on the due dates the borrower was shown');
  const l2 = (await h.get('/v1/loans/L2/schedule')).json();
  t.same(l2.periods.map((p: { total: string }) => p.total).slice(0, 5), ['171.56', '171.56', '171.56', '171.56', '171.56'], 'L2: 1,000.00 × i(1+i)^6 / ((1+i)^6 − 1) at i = 10 %/12 = 171.56');
  t.same(money(l2.periods).slice(0, 1), [['2030-02-28', '163.23', '8.33']], 'L2 period 1: 1,000.00 × 10 %/12 = 8.33 interest');
  t.same(money((await h.get('/v1/loans/L3/schedule')).json().periods), [['2030-04-01', '300.00', '4.58']], 'L3: 300.00 × 9 % × 61/360 (30/360: 01-31 counts as 30) = 4.575 → 4.58 half-even');

  // The loans take payments: L1's first period, and a compensation of L2's (the guarantee now overdraws).
  const paid = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.match(paid.json(), { kind: 'due', period: 1, total: '1030.00' });
  await until(h, async () => bank.pending('repayment').length === 1);
  await h.node.bank.handleCallback(bank.complete('rp-L1-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'succeeded');
  const loan = (await h.get('/v1/loans/L1')).json();
  t.same(loan.claims.map((c: { principalOutstanding: string }) => c.principalOutstanding).reduce((sum: number, v: string) => sum + Number(v), 0), 2000, 'the claims (written without outstanding principal) went down by the period\'s principal');
  await until(h, async () => (await h.get('/v1/loans/L1/schedule')).json().periods[0].status === 'paid');
  await h.post('/ops/clock', { date: '2030-03-02' }, ops);
  const compensated = await h.post('/v1/loans/L2/compensations', { id: 'c1', period: 1 }, ops);
  t.equal(compensated.statusCode, 202);
  await until(h, async () => bank.pending('repayment').some((o) => o.orderNo === 'rp-L2-1'));
  await h.node.bank.handleCallback(bank.complete('rp-L2-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L2/repayments/c1')).json().status === 'succeeded');
  t.equal((await h.get('/v1/accounts/sys.guarantee')).json().total, '-171.56', 'the guarantee advanced the period: opened again as this version opens it');
  // The read models, projected again from the upgraded journal, agree with the loan.
  await h.node.projections.catchUpFully();
  const projected = (await h.get('/v1/claims?loan=L1')).json().items as { principal_outstanding: string }[];
  t.same(projected.map((c) => c.principal_outstanding), loan.claims.map((c: { principalOutstanding: string }) => c.principalOutstanding), 'the claims read model shows the outstanding principal');
  // L4, funded then, is approved now: its plan is generated with amounts.
  t.equal((await h.post('/v1/loans/L4/approve', undefined, ops)).statusCode, 200);
  await until(h, async () => (await h.get('/v1/loans/L4/schedule')).statusCode === 200);
  t.same((await h.get('/v1/loans/L4/schedule')).json().periods.map((p: { interest: string }) => p.interest), ['0.67', '0.67'], 'L4: 100.00 × 8 %/12 = 0.666… → 0.67 a month, interest first');
});

t.test('npm start on a journal of the skeleton-plan era: exits 1 with the message and the command, nothing else', { skip: !existsSync(serverEntry) && 'dist/main.js is missing: npm test builds it first' }, async (t) => {
  const dir = await oldDataDir(t);
  const started = spawnSync(process.execPath, [serverEntry], { env: { ...process.env, DATA_DIR: dir, HOST: '127.0.0.1', PORT: '0', FUNDCORE_API_KEY: 'k', FUNDCORE_OPS_KEY: 'o', FUNDCORE_CLOCK: 'sim' }, encoding: 'utf8', timeout: 60_000 });
  t.equal(started.status, 1);
  t.match(started.stderr, `fundcore failed to start: cannot start: this journal was written by a fundcore whose repayment plans had no amounts (plan:L1, plan:L2, plan:L3). Run \`npm run journal:upgrade -- --data-dir ${dir}\``);
  t.notMatch(started.stderr, /    at /, 'no stack trace');
});
