import t from 'tap';
import type { Capital } from '../../../core/lending/capital.js';
import type { LoanState } from '../../../core/lending/loan/loan.js';
import type { PoolShardState } from '../../../core/lending/pool/pool.js';
import type { LendingHarness } from '../../helpers/lending.js';
import { drain, fundedWallet, lendingNode, openAccount } from '../../helpers/lending.js';

async function invest(h: LendingHarness, id: string, investor: string, amount: string, termDays = 365): Promise<void> {
  const reply = await h.node.lending.placeInvestment({ id, investor, amount, termDays });
  if (!reply.ok || reply.value.state.status !== 'active') throw new Error(`invest ${id}: ${reply.ok ? reply.value.state.status : reply.code}`);
}

async function publish(h: LendingHarness, id: string, amount: string, termDays = 90): Promise<void> {
  const reply = await h.node.lending.publishLoan({ id, borrower: 'carol', amount, annualRate: '0.08', termDays, termMonths: null, method: 'bullet' });
  if (!reply.ok) throw new Error(`publish ${id}: ${reply.code}`);
}

async function loanOf(h: LendingHarness, id: string): Promise<LoanState> {
  const reply = await h.node.lending.getLoan(id);
  if (!reply.ok) throw new Error(reply.code);
  return reply.value;
}

function capitals(h: LendingHarness): Capital[] {
  const all: Capital[] = [];
  for (let shard = 0; shard < h.node.config.poolShards; shard++) {
    const state = h.node.system.inspect(`pool:${shard}`)?.state as PoolShardState | undefined;
    if (state !== undefined) all.push(...state.capitals.values());
  }
  return all;
}

t.test('a loan reserves capital into pre-processing claims; partly funded it waits, and a new investment wakes it', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 2 } });
  await fundedWallet(h.node, 'alice', '1000.00');
  await fundedWallet(h.node, 'bob', '1000.00');
  await openAccount(h.node, 'carol', 'borrower_wallet');
  await invest(h, 'i1', 'alice', '300.00');
  await publish(h, 'L1', '500.00');
  await drain(h);
  let loan = await loanOf(h, 'L1');
  t.match(loan, { status: 'matching', reserved: 300_00n, paused: 'capital_exhausted', walk: null });
  t.same(loan.claims.map((c) => [c.capitalId, c.amount, c.status]), [['cap-i1', 300_00n, 'pre_processing']]);
  await invest(h, 'i2', 'bob', '400.00', 30);
  await drain(h);
  loan = await loanOf(h, 'L1');
  t.match(loan, { status: 'funded', reserved: 500_00n });
  t.same(loan.claims.map((c) => [c.capitalId, c.amount]), [['cap-i1', 300_00n], ['cap-i2', 200_00n]], 'term mismatch allowed: a 30-day investment funds a 90-day loan');
  t.match(capitals(h).find((c) => c.id === 'cap-i2'), { reserved: 200_00n, matched: 0n });
  const claims = await h.node.lending.getInvestmentClaims('i2');
  t.same(claims.ok && claims.value.map((c) => c.orderNo), ['L1/c2'], 'the claims index by investment');
});

t.test('many loans matching at once never reserve more than a capital holds', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 3 } });
  await openAccount(h.node, 'carol', 'borrower_wallet');
  for (let i = 0; i < 6; i++) {
    await fundedWallet(h.node, `inv${i}`, '1000.00');
    await invest(h, `i${i}`, `inv${i}`, '250.00');
  }
  // 1,500.00 of capital; 20 loans of 100.00 .. 290.00 (3,900.00) published at once.
  await Promise.all(Array.from({ length: 20 }, (_, n) => publish(h, `L${n}`, `${100 + (n % 10) * 20}.00`)));
  await drain(h);
  const loans = await Promise.all(Array.from({ length: 20 }, (_, n) => loanOf(h, `L${n}`)));
  const reserved = loans.reduce((sum, loan) => sum + loan.reserved, 0n);
  t.equal(reserved, 1_500_00n, 'every unit of capital is reserved, once');
  for (const capital of capitals(h)) t.equal(capital.reserved + capital.matched, capital.principal, `${capital.id}: fully reserved, never more`);
  const byCapital = new Map<string, bigint>();
  for (const loan of loans) for (const claim of loan.claims) byCapital.set(claim.capitalId, (byCapital.get(claim.capitalId) ?? 0n) + claim.amount);
  for (const capital of capitals(h)) t.equal(byCapital.get(capital.id), capital.reserved, `${capital.id}: its claims sum to its reservation`);
  t.ok(loans.filter((loan) => loan.status === 'funded').length >= 5, 'several loans funded; the others wait');
});

t.test('priority: new capital first, then repayment-reinvest, then compensation-reinvest; oldest first within a source', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 1 } });
  await openAccount(h.node, 'carol', 'borrower_wallet');
  const add = async (id: string, source: Capital['source'], createdOn: string) => {
    const reply = await h.node.system.ask('pool:0', {
      type: 'add_capital',
      data: { shard: 0, capital: { id, investmentId: id, investor: 'x', principal: 100_00n, property: 'principal', source, createdOn, investRepayDate: '2031-01-01' } },
    });
    if (!reply.ok) throw new Error(reply.code);
  };
  await add('comp-old', 'compensation_reinvest', '2029-01-01');
  await add('repay-new', 'repayment_reinvest', '2029-12-01');
  await add('repay-old', 'repayment_reinvest', '2029-06-01');
  await add('new-late', 'new', '2029-12-31');
  await add('new-early', 'new', '2029-11-01');
  await drain(h);
  await publish(h, 'L1', '350.00');
  await drain(h);
  const loan = await loanOf(h, 'L1');
  t.same(loan.claims.map((c) => [c.capitalId, c.amount]), [['new-early', 100_00n], ['new-late', 100_00n], ['repay-old', 100_00n], ['repay-new', 50_00n]]);
});

t.test('given a group of capitals added as one and reserved by a loan, when the group is delivered again, then it is a duplicate (told by its group\'s index entry, which outlives its capitals): nothing is added or reserved again', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 1 } });
  await openAccount(h.node, 'carol', 'borrower_wallet');
  const content = (id: string) => ({ id, investmentId: id, investor: 'x', principal: 100_00n, property: 'principal' as const, source: 'repayment_reinvest' as const, createdOn: '2029-01-01', investRepayDate: '2031-01-01' });
  const group = { type: 'add_capitals' as const, data: { group: 'L0:r1', capitals: [content('g1'), content('g2')], shard: 0 } };
  t.same(await h.node.system.ask('pool:0', group), { ok: true, value: { group: 'L0:r1' } });
  t.same(capitals(h).map((c) => [c.id, c.arrival]), [['g1', 1], ['g2', 2]], 'both live, in arrival order');
  await drain(h);
  await publish(h, 'L1', '200.00');
  await drain(h);
  t.same((await loanOf(h, 'L1')).claims.map((c) => [c.capitalId, c.amount]), [['g1', 100_00n], ['g2', 100_00n]]);
  t.same(await h.node.system.ask('pool:0', group), { ok: true, value: { group: 'L0:r1' } }, 'a redelivery is answered as the first');
  t.same(capitals(h).filter((c) => c.id.startsWith('g')).map((c) => [c.id, c.reserved, c.matched]), [['g1', 100_00n, 0n], ['g2', 100_00n, 0n]], 'reserved once, not added again');
  const other = await h.node.system.ask('pool:0', { type: 'add_capitals', data: { group: 'L0:r2', capitals: [content('g2')], shard: 0 } });
  t.match(other, { ok: false, code: 'id_reused_with_different_content' }, 'another group naming a live capital is refused');
  t.match(await h.node.system.ask('pool:0', { type: 'add_capitals', data: { group: 'L0:r3', capitals: [content('g3')], shard: 1 } }), { ok: false, code: 'capital_shard_mismatch' });
});

t.test('the match priority is configurable', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 1, matchPriority: ['compensation_reinvest', 'new'] } });
  await openAccount(h.node, 'carol', 'borrower_wallet');
  for (const [id, source] of [['n', 'new'], ['c', 'compensation_reinvest'], ['r', 'repayment_reinvest']] as const) {
    await h.node.system.ask('pool:0', { type: 'add_capital', data: { shard: 0, capital: { id, investmentId: id, investor: 'x', principal: 100_00n, property: 'principal', source, createdOn: '2029-01-01', investRepayDate: '2031-01-01' } } });
  }
  await publish(h, 'L1', '250.00');
  await drain(h);
  const loan = await loanOf(h, 'L1');
  t.same(loan.claims.map((c) => c.capitalId), ['c', 'n'], 'repayment-reinvest is not in the configured order: never drawn');
  t.equal(loan.status, 'matching');
});

t.test('capital of an investment that matures on or before the business date is not matched', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 1 } });
  await openAccount(h.node, 'carol', 'borrower_wallet');
  await fundedWallet(h.node, 'alice', '100.00');
  await invest(h, 'i1', 'alice', '100.00', 10);
  await h.node.clock.change({ advanceDays: 10 });
  await publish(h, 'L1', '100.00');
  await drain(h);
  t.equal((await loanOf(h, 'L1')).reserved, 0n);
});
