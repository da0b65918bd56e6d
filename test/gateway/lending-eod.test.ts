import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { compareReadModels, rebuildReadModel } from '../../persistence/projections/rebuild.js';
import { opsHeaders as ops, repayingLoan, totalOf as total, until } from '../helpers/repaying-loan.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { tempDir } from '../helpers/ledger.js';
import { daysView, interleavedFeed, projectedFrom, seededPick } from '../helpers/interleaved-feed.js';
import { partitionCountDefault } from '../../core/ledger/partition.js';
import { auditLending } from '../helpers/lending-audit.js';


async function closeDay(t: Test, h: GatewayHarness, date: string, today: string) {
  await h.post('/ops/clock', { date: today }, ops);
  const closed = await h.post(`/v1/eod/${date}/close`, undefined, ops);
  t.equal(closed.statusCode, 200, `${date} closed`);
  t.equal(closed.json().balanced, true, `${date} balances`);
  await h.quiescent();
  return closed.json().sections.lending;
}

const noOverdue = { periods: 0, loans: 0, principal: '0.00', interest: '0.00' };

t.test('end of day with loans: overdue classes at the cut, the accrual posted so that the accrued account is what is earned and unpaid', async (t) => {
  const h = await repayingLoan(t);

  // Given ten days of the first period: 3,000.00 × 12 % × 10 / 360 = 10.00 earned, 1.00 of it on the 10th.
  const tenth = await closeDay(t, h, '2030-01-10', '2030-01-11');
  t.match(tenth, { overdue: { due_today: noOverdue, m1: noOverdue }, accrual: { loans: 1, earnedOnDay: '1.00', receivable: '10.00', bookedBefore: '0.00', posting: { transferId: 'sys.accrual.2030-01-10', amount: '10.00' } } });
  t.equal(await total(h, 'sys.interest.accrued'), '10.00');
  t.equal(await total(h, 'sys.interest.receivable'), '-10.00');

  // When the first period (due 02-01) is unpaid on 02-05: overdue 4 days (M1), its 30.00
  // receivable with 4 days of penalty (1,030.00 × 0.05 % × 4 = 2.06, what a payment that day
  // would be charged), and five days of the second period: 2,000.00 × 12 % × 5 / 360 = 3.33.
  // Earned on the 5th: 3.33 − 2.67 of interest and 2.06 − 1.54 (three days, half-even) of penalty = 1.18.
  const fifth = await closeDay(t, h, '2030-02-05', '2030-02-06');
  t.match(fifth.overdue, { due_today: noOverdue, m1: { periods: 1, loans: 1, principal: '1000.00', interest: '30.00', penalty: '2.06' }, m2: noOverdue });
  t.match(fifth.accrual, { receivable: '35.39', penalty: '2.06', earnedOnDay: '1.18', bookedBefore: '10.00', posting: { transferId: 'sys.accrual.2030-02-05', amount: '25.39' } });
  t.equal(await total(h, 'sys.interest.accrued'), '35.39', 'interest and penalty earned and unpaid');

  // Then the borrower pays the first period late: the next close releases its interest.
  const paid = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.equal(paid.statusCode, 202);
  await until(h, async () => h.bank.pending('repayment').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'succeeded');
  const sixth = await closeDay(t, h, '2030-02-06', '2030-02-07');
  t.match(sixth.overdue, { m1: noOverdue });
  t.match(sixth.accrual, { receivable: '4.00', penalty: '0.00', bookedBefore: '35.39', posting: { amount: '-31.39' } });
  const charged = (await h.get('/v1/loans/L1/repayments/r1')).json().penalty;
  t.equal(charged, '2.58', "the payment on 02-06 was charged five days' penalty — what the close of 02-06 would have accrued had it stayed unpaid (1,030.00 × 0.05 % × 5)");
  t.equal(await total(h, 'sys.interest.accrued'), '4.00', 'what the loan earned and has not paid');

  // Closing a day again answers the same report and posts nothing more.
  t.same((await h.post('/v1/eod/2030-02-06/close', undefined, ops)).json().sections.lending, sixth);
  t.equal(await total(h, 'sys.interest.accrued'), '4.00');

  // The read models: periods, interest flows in the statement, claim lineage.
  const statement = (await h.get('/v1/investors/alice/statement?from=2030-02-06&to=2030-02-06')).json();
  // alice's two thirds of the interest (20.00) and of the late payment's penalty (2.58 for five days at 0.05 %).
  t.match(statement.interestPool, { opening: '0.00', closing: '21.72', flows: [{ kind: 'repayment', code: 11, amount: '21.72', day: '2030-02-06' }] });
  t.match((await h.get('/v1/claims?loan=L1')).json().items, [{ order_no: 'L1/c1', principal_outstanding: '1333.33' }, { order_no: 'L1/c2', principal_outstanding: '666.67' }]);
  const lineage = await h.get('/v1/claims/L1%2Fc1/lineage');
  t.equal(lineage.statusCode, 200);
  t.same(lineage.json().chain.map((c: { order_no: string }) => c.order_no), ['L1/c1']);
  t.equal((await h.get('/v1/claims/nope/lineage')).json().error.code, 'claim_not_found');
  t.equal((await h.get(`/v1/claims/${'x'.repeat(201)}/lineage`)).json().error.code, 'invalid_field', 'an order number too long to be one');
  t.equal((await h.get(`/v1/claims/${'x'.repeat(257)}/lineage`)).json().error.code, 'path_parameter_too_long', "beyond the router's limit, in our error format");

  // And a rebuild from the journal gives the same read models, periods and sections included.
  await until(h, async () => h.node.health().projections.lag === 0);
  const out = join(tempDir(t, 'fundcore-lending-eod-'), 'rebuilt.db');
  rebuildReadModel(h.node.journal, out);
  const rebuilt = new Database(out, { readonly: true });
  rebuilt.defaultSafeIntegers(true);
  t.teardown(() => rebuilt.close());
  t.same(compareReadModels(h.node.readModel.db, rebuilt), []);
  t.ok((rebuilt.prepare('select count(*) as n from loan_periods').get() as { n: bigint }).n === 3n, 'three periods projected');
  // As a cluster's read side would get the same log (partitions interleaved, entries twice): the same days, lending at each cut included.
  const live = daysView(h.node.readModel.db);
  t.ok(live.lendingParts!.length === 3 * partitionCountDefault && live.loanPeriods!.length === 3, 'three closes cut every partition');
  for (const seed of [1, 2, 3]) {
    const interleaved = projectedFrom(interleavedFeed(h.node.journal, partitionCountDefault, seededPick(seed)), partitionCountDefault);
    t.same(daysView(interleaved.db), live, `partitions interleaved (${seed})`);
    interleaved.close();
  }
  // The capitals table is every capital the shards were given, field by field, as the shards'
  // events tell them (the projector writes only what each entry touched; a shard keeps only the
  // capitals not yet fully matched, and those must equal their rows too).
  type ShardCapital = { id: string; principal: bigint; matched: bigint; reserved: bigint; status: string };
  const inShards: ShardCapital[] = [...auditLending(h.node.journal, 2, [], [], 40).capitals.values()];
  const shards = await Promise.all([0, 1].map((n) => h.node.system.ask(`pool:${n}`, { type: 'get_shard' })));
  const liveInShards = shards.flatMap((r) => (r.ok ? [...(r.value as { capitals: Map<string, ShardCapital> }).capitals.values()] : []));
  t.ok(liveInShards.length > 0 && liveInShards.every((capital) => inShards.some((c) => c.id === capital.id && c.matched === capital.matched && c.reserved === capital.reserved)), 'the live ones as the journal tells them');
  const rows = h.node.readModel.db.prepare('select id, principal, matched, reserved, status from capitals order by id').all() as ShardCapital[];
  t.same(rows, inShards.map(({ id, principal, matched, reserved, status }) => ({ id, principal, matched, reserved, status })).sort((a, b) => (a.id < b.id ? -1 : 1)));
  t.ok(inShards.some((c) => c.matched > 0n) && inShards.length > 2, 'matched capitals and repayment-reinvest capitals among them');
});
