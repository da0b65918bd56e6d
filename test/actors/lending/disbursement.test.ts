import t, { type Test } from 'tap';
import type { LoanState } from '../../../core/lending/loan/loan.js';
import type { PoolShardState } from '../../../core/lending/pool/pool.js';
import type { BankOrder } from '../../../core/bank/bank-order.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import type { FundcoreNode } from '../../../actors/node.js';
import { CuttableBus } from '../../helpers/cuttable-bus.js';
import { auditLending } from '../../helpers/lending-audit.js';
import { FakeBank } from '../../helpers/fake-bank.js';
import { FakeTime } from '../../helpers/fake-time.js';
import { balance, drain, elapse, fundedWallet, lendingNode, openAccount, paidOut, startNode, waitMs, type LendingHarness } from '../../helpers/lending.js';

const queryAfterMs = 1_000;

/** Two investors, one borrower, loan L1 of 500.00 fully reserved. */
async function fundedLoan(t: Test, options: Parameters<typeof lendingNode>[1] = {}): Promise<LendingHarness> {
  const h = await lendingNode(t, { lending: { poolShards: 2, bankQueryAfterMs: queryAfterMs, bankQueryIntervalMaxMs: 8 * queryAfterMs }, ...options });
  await fundedWallet(h.node, 'alice', '1000.00');
  await fundedWallet(h.node, 'bob', '1000.00');
  await openAccount(h.node, 'carol', 'borrower_wallet');
  for (const [id, investor, amount] of [['i1', 'alice', '300.00'], ['i2', 'bob', '300.00']] as const) {
    const reply = await h.node.lending.placeInvestment({ id, investor, amount, termDays: 365 });
    if (!reply.ok || reply.value.state.status !== 'active') throw new Error(`invest ${id}`);
  }
  const loan = await h.node.lending.publishLoan({ id: 'L1', borrower: 'carol', amount: '500.00', annualRate: '0.08', termDays: null, termMonths: 3, method: 'equal_installment' });
  if (!loan.ok) throw new Error(loan.code);
  await drain(h);
  return h;
}

async function loanOf(h: LendingHarness, id = 'L1'): Promise<LoanState> {
  const reply = await h.node.lending.getLoan(id);
  if (!reply.ok) throw new Error(reply.code);
  return reply.value;
}

/** Over every capital the shards were given, as the journal tells them (a fully matched one no longer lives in its shard). */
function reservedAndMatched(h: LendingHarness): { reserved: bigint; matched: bigint } {
  let reserved = 0n;
  let matched = 0n;
  for (const capital of auditLending(h.journal, 2, [], [], 40).capitals.values()) {
    reserved += capital.reserved;
    matched += capital.matched;
  }
  return { reserved, matched };
}

t.test('approval: the pool money is held, the disbursement batch goes to the bank; success pays the borrower and confirms the reservations', async (t) => {
  const h = await fundedLoan(t);
  t.equal((await loanOf(h)).status, 'funded');
  const approved = await h.node.lending.approveLoan('L1');
  t.match(approved.ok && approved.value, { status: 'approved', approval: { startDate: '2030-01-01', maturityDate: '2030-04-01' } });
  await drain(h);
  const loan = await loanOf(h);
  t.match(loan, { status: 'disbursing', disbursement: { orderNo: 'disb-L1', stage: 'requested' } });
  t.same(loan.claims.map((c) => c.status), ['matching', 'matching']);
  t.equal(await balance(h.node, 'sys.pool'), 600_00n, 'held, not yet moved');
  const [order] = h.bank.pending('disbursement');
  t.same(order?.items.map((i) => [i.ref, i.from, i.to, i.amount]), [['L1/c1', 'alice', 'carol', 300_00n], ['L1/c2', 'bob', 'carol', 200_00n]], 'one item per claim, investor to borrower');
  const ack = await h.node.bank.handleCallback(h.bank.complete('disb-L1', 'succeeded'));
  t.same(ack, { ok: true, value: { duplicate: false } });
  await drain(h);
  const paid = await loanOf(h);
  t.match(paid, { status: 'repaying', disbursement: { stage: 'succeeded' }, plan: { planId: 'plan-L1', periods: 3 } });
  t.same(paid.claims.map((c) => c.status), ['matched', 'matched']);
  t.equal(await balance(h.node, 'carol'), 500_00n);
  t.equal(await balance(h.node, 'sys.pool'), 100_00n);
  t.same(reservedAndMatched(h), { reserved: 0n, matched: 500_00n });
  const again = await h.node.lending.approveLoan('L1');
  t.same(again.ok && again.value.approval, approved.ok && approved.value.approval, 'approving again restates the approval');
  const duplicate = await h.node.bank.handleCallback(h.bank.complete('disb-L1', 'succeeded'));
  t.same(duplicate, { ok: true, value: { duplicate: true } }, 'a duplicate callback is acknowledged, nothing moves');
  await drain(h);
  t.equal(await balance(h.node, 'carol'), 500_00n);
});

t.test('a failed disbursement voids the hold, releases the reservations (capital back to normal) and fails the loan; a waiting loan then gets the capital', async (t) => {
  const h = await fundedLoan(t);
  await h.node.lending.publishLoan({ id: 'L2', borrower: 'carol', amount: '400.00', annualRate: '0.08', termDays: 30, termMonths: null, method: 'bullet' });
  await drain(h);
  t.match(await loanOf(h, 'L2'), { status: 'matching', reserved: 100_00n });
  await h.node.lending.approveLoan('L1');
  await drain(h);
  await h.node.bank.handleCallback(h.bank.complete('disb-L1', 'failed', 'insufficient_balance'));
  await drain(h);
  const failed = await loanOf(h);
  t.match(failed, { status: 'failed', reserved: 0n, disbursement: { stage: 'failed', code: 'insufficient_balance' } });
  t.same(failed.claims.map((c) => c.status), ['failed', 'failed']);
  t.equal(await balance(h.node, 'carol'), 0n, 'nothing paid out');
  t.equal(await balance(h.node, 'sys.pool'), 600_00n);
  t.match(await loanOf(h, 'L2'), { status: 'funded', reserved: 400_00n }, 'the released capital woke the waiting loan');
  t.same(reservedAndMatched(h), { reserved: 400_00n, matched: 0n });
});

t.test('approval refused before full funding; a loan of a closed borrower wallet fails at the hold', async (t) => {
  const h = await fundedLoan(t);
  await h.node.lending.publishLoan({ id: 'L2', borrower: 'carol', amount: '400.00', annualRate: '0.08', termDays: 30, termMonths: null, method: 'bullet' });
  await drain(h);
  const early = await h.node.lending.approveLoan('L2');
  t.equal(!early.ok && early.code, 'loan_not_funded');
  const none = await h.node.lending.approveLoan('nope');
  t.equal(!none.ok && none.code, 'loan_not_found');
  await h.node.ledger.closeAccount('carol');
  await h.node.lending.approveLoan('L1');
  await drain(h);
  t.match(await loanOf(h), { status: 'failed', disbursement: { stage: 'failed', code: 'credit_account_closed' } });
  t.equal(h.bank.orders.size, 0, 'nothing was sent to the bank');
});

t.test('lost callbacks: the sweep queries the bank after bankQueryAfterMs and completes the order', async (t) => {
  const h = await fundedLoan(t);
  await h.node.lending.approveLoan('L1');
  await drain(h);
  h.bank.complete('disb-L1', 'succeeded');
  await elapse(h, queryAfterMs - 1);
  t.equal((await loanOf(h)).status, 'disbursing', 'not yet due');
  await elapse(h, 1);
  t.equal((await loanOf(h)).status, 'repaying', 'the query found the result');
  t.equal(h.bank.queryCalls, 1);
  await elapse(h, 60_000);
  t.equal(h.bank.queryCalls, 1, 'a completed order is swept no more');
});

t.test('still processing: the sweep asks again at doubling intervals (durable timers); a dropped order is sent again under its number', async (t) => {
  const h = await fundedLoan(t);
  h.bank.dropNext.add('disb-L1');
  await h.node.lending.approveLoan('L1');
  await drain(h);
  t.equal(h.bank.orders.size, 0, 'the bank "accepted" and forgot it');
  await elapse(h, queryAfterMs);
  t.equal(h.bank.orders.get('disb-L1')?.submissions, 1, 'the query found nothing: sent again');
  await elapse(h, 2 * queryAfterMs);
  t.equal(h.bank.queryCalls, 2, 'processing: asked again after twice the wait');
  await elapse(h, 4 * queryAfterMs);
  t.equal(h.bank.queryCalls, 3);
  h.bank.complete('disb-L1', 'failed');
  await elapse(h, 8 * queryAfterMs);
  t.equal((await loanOf(h)).status, 'failed');
});

t.test('the sweep and the disbursement survive a restart: pending orders keep their durable timer', async (t) => {
  const time = new FakeTime();
  const bank = new FakeBank();
  const journal = new MemoryJournal();
  const h = await fundedLoan(t, { time, bank, journal });
  await h.node.lending.approveLoan('L1');
  await drain(h);
  await h.node.stop();
  const options = { clock: time, timers: time, bank, businessClock: { mode: 'sim', startDate: '2030-01-01' } as const, lending: { poolShards: 2, bankQueryAfterMs: queryAfterMs } };
  const node = await startNode({ journal: (journal as MemoryJournal).reopen(), ...options }, time);
  t.teardown(() => node.stop());
  bank.complete('disb-L1', 'succeeded');
  await elapse({ node, time }, queryAfterMs);
  const loan = await node.lending.getLoan('L1');
  t.equal(loan.ok && loan.value.status, 'repaying');
  t.equal(bank.orders.get('disb-L1')?.submissions, 1, 'submitted once');
});

t.test('the repayment plan is generated exactly once, however often the approval is redelivered (also after a crash)', async (t) => {
  const time = new FakeTime();
  const journal = new MemoryJournal();
  const h = await fundedLoan(t, { time, journal });
  await h.node.lending.approveLoan('L1');
  await drain(h);
  const plan = await h.node.lending.getPlan('L1');
  t.match(plan.ok && plan.value, { planId: 'plan-L1', startDate: '2030-01-01', maturityDate: '2030-04-01', periods: [{ dueDate: '2030-02-01' }, { dueDate: '2030-03-01' }, { dueDate: '2030-04-01' }] });
  await h.node.stop();
  // Redeliver the whole log from the start, as a crash that never saved the relay cursor would.
  const replayed = journal.reopen();
  replayed.putMeta('relay.cursor', 1);
  const asked: string[] = [];
  const counting = new CuttableBus();
  const node: FundcoreNode = await startNode({ journal: replayed, bus: counting, clock: time, timers: time, bank: h.bank, businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2, bankQueryAfterMs: queryAfterMs } }, time);
  t.teardown(() => node.stop());
  counting.target = { ask: (actorId, message) => (asked.push(`${actorId} ${(message as { type: string }).type}`), node.system.ask(actorId, message)) };
  await elapse({ node, time }, 10_000);
  t.ok(asked.includes('plan:L1 generate_plan'), 'the plan request was delivered again');
  t.ok(asked.filter((a) => a.endsWith(' reserve')).length >= 2, 'so were the reservation requests');
  t.equal([...replayed.readEvents('plan:L1', 1)].length, 1, 'one plan_generated event');
  t.equal([...replayed.readEvents('loan:L1', 1)].filter((e) => (e.event as { type: string }).type === 'plan_attached').length, 1, 'attached once');
  t.equal([...replayed.readEvents('pool:0', 1)].length + [...replayed.readEvents('pool:1', 1)].length, 2 + 2, 'no reservation decided twice: two capitals added, two requests answered');
  t.equal(h.bank.orders.get('disb-L1')?.submissions, 2, 'the bank saw the disbursement twice and dedupes it by its number');
  const order = await node.system.ask('bank:disb-L1', { type: 'get_order' });
  t.equal(order.ok && (order.value as BankOrder).status, 'accepted');
});

t.test('a request the bank refuses outright fails the order (and the loan)', async (t) => {
  const h = await fundedLoan(t);
  h.bank.refuse.set('disb-L1', 'invalid_request');
  await h.node.lending.approveLoan('L1');
  await drain(h);
  t.match(await loanOf(h), { status: 'failed', disbursement: { code: 'invalid_request' } });
});

t.test('an unreachable bank: the submission waits in the outbox and goes out when the bank is back', async (t) => {
  const h = await fundedLoan(t);
  h.bank.unreachable = true;
  await h.node.lending.approveLoan('L1');
  await waitMs(h, 2_000);
  t.equal(h.bank.orders.size, 0);
  t.ok(h.bank.submitCalls >= 5, `tried again and again (${h.bank.submitCalls} times)`);
  h.bank.unreachable = false;
  await waitMs(h, 6_000);
  await drain(h);
  t.ok(h.bank.orders.has('disb-L1'), 'the order reached the bank once it was back (the sweep may have sent it again: the bank dedupes)');
  t.match(h.node.system.inspect('bank:disb-L1')?.state, { order: { status: 'accepted' } });
});

t.test('given a loan paid out that took all of alice\'s capital and part of bob\'s, then her capital has left its shard and still reads fully matched; his, partly matched, is live', async (t) => {
  const h = await fundedLoan(t);
  await paidOut(h);
  const live = [0, 1].flatMap((shard) => [...((h.node.system.inspect(`pool:${shard}`)?.state as PoolShardState | undefined)?.capitals.keys() ?? [])]);
  t.same(live, ['cap-i2'], 'only bob\'s capital is live');
  const alice = await h.node.lending.getInvestment('i1');
  t.match(alice.ok && alice.value.capital, { id: 'cap-i1', investmentId: 'i1', investor: 'alice', principal: 300_00n, matched: 300_00n, reserved: 0n, pulledBack: 0n, status: 'fully_matched', source: 'new' });
  const bob = await h.node.lending.getInvestment('i2');
  t.match(bob.ok && bob.value.capital, { id: 'cap-i2', principal: 300_00n, matched: 200_00n, status: 'normal' });
  // A redelivered add of alice's capital (a relay that lost its cursor): a duplicate, not new money to match.
  const shard = alice.ok ? alice.value.investment.shard : null;
  const again = await h.node.system.ask(`pool:${shard}`, { type: 'add_capital', data: { capital: { id: 'cap-i1', investmentId: 'i1', investor: 'alice', principal: 300_00n, property: 'principal', source: 'new', createdOn: '2030-01-01', investRepayDate: '2031-01-01' }, shard } });
  t.same(again, { ok: true, value: { capitalId: 'cap-i1' } });
  t.same([0, 1].flatMap((n) => [...((h.node.system.inspect(`pool:${n}`)?.state as PoolShardState | undefined)?.capitals.keys() ?? [])]), ['cap-i2'], 'still only bob\'s');
});
