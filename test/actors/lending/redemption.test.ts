import t, { type Test } from 'tap';
import type { LoanState } from '../../../core/lending/loan/loan.js';
import { outstandingOf, transferredOf, type RedemptionState } from '../../../core/lending/redemption/redemption.js';
import { auditLending } from '../../helpers/lending-audit.js';
import { balance, bankAnswersTransfers, drain, elapse, fundedWallet, lendingNode, openAccount, paidOut, type LendingHarness } from '../../helpers/lending.js';

const recheckMs = 5_000;

/**
 * alice (i1) and bob (i2) invest 300.00 each for 30 days; loan L1 of 500.00 at 12 % over 3
 * months, equal principal, takes alice's 300 and 200 of bob's, and is disbursed.
 */
async function disbursedLoan(t: Test): Promise<LendingHarness> {
  const h = await lendingNode(t, { lending: { poolShards: 2, redemptionRecheckMs: recheckMs } });
  for (const investor of ['alice', 'bob', 'dave', 'erin']) await fundedWallet(h.node, investor, '1000.00');
  await openAccount(h.node, 'carol', 'borrower_wallet');
  for (const [id, investor] of [['i1', 'alice'], ['i2', 'bob']] as const) await invest(h, id, investor, '300.00', 30);
  await h.node.lending.publishLoan({ id: 'L1', borrower: 'carol', amount: '500.00', annualRate: '0.12', termDays: null, termMonths: 3, method: 'equal_principal' });
  await paidOut(h);
  return h;
}

async function invest(h: LendingHarness, id: string, investor: string, amount: string, termDays: number): Promise<void> {
  const reply = await h.node.lending.placeInvestment({ id, investor, amount, termDays });
  if (!reply.ok || reply.value.state.status !== 'active') throw new Error(`invest ${id}`);
  await drain(h);
}

async function loanOf(h: LendingHarness): Promise<LoanState> {
  const reply = await h.node.lending.getLoan('L1');
  if (!reply.ok) throw new Error(reply.code);
  return reply.value;
}

async function redemptionOf(h: LendingHarness, id: string): Promise<RedemptionState> {
  const reply = await h.node.lending.getRedemption(id);
  if (!reply.ok) throw new Error(reply.code);
  return reply.value;
}

/** Over every capital the shards were given, as the journal tells them (a fully matched one no longer lives in its shard). */
function poolTotals(h: LendingHarness): { matched: bigint; reserved: bigint; pulledBack: bigint } {
  const totals = { matched: 0n, reserved: 0n, pulledBack: 0n };
  for (const capital of auditLending(h.journal, 2, [], [], 40).capitals.values()) {
    totals.matched += capital.matched;
    totals.reserved += capital.reserved;
    totals.pulledBack += capital.pulledBack;
  }
  return totals;
}

t.test('before maturity a redemption is refused; at maturity the claims move to other capital and the proceeds pay the wallet', async (t) => {
  const h = await disbursedLoan(t);
  const early = await h.node.lending.redeemInvestment('i1', null);
  t.equal(!early.ok && early.code, 'redemption_before_maturity');
  const none = await h.node.lending.redeemInvestment('nope', null);
  t.equal(!none.ok && none.code, 'investment_not_found');
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i3', 'dave', '600.00', 365);
  t.equal(await balance(h.node, 'alice'), 700_00n);
  const started = await h.node.lending.redeemInvestment('i1', null);
  t.match(started.ok && started.value, { status: 'redeeming', redemption: { id: 'rdm-i1', principal: 300_00n, investor: 'alice' } });
  await drain(h);
  const [order] = h.bank.pending('transfer');
  t.same(order?.items.map((item) => [item.from, item.to, item.amount]), [['dave', 'alice', 300_00n]], 'the depository money moves from the new holder to the old');
  t.equal(await balance(h.node, 'alice'), 700_00n, 'nothing is paid before the bank has moved the money');
  t.equal(await bankAnswersTransfers(h), 1);
  const done = await redemptionOf(h, 'i1');
  t.match(done, { status: 'completed', pulledBack: 0n });
  t.same([...done.loans.values()].map((loan) => loan.payouts), [['sys.xfer.L1.1']], 'the transfer that paid the wallet, by id: the lien waits for its credit');
  t.equal(outstandingOf(done), 0n);
  t.equal(await balance(h.node, 'alice'), 1_000_00n, 'the whole principal is back in the wallet');
  t.match(await h.node.ledger.getAccount('alice'), { ok: true, value: { openInvestments: [] } }, 'the claim transfer paid it back: the lien went once its credit was in');
  const loan = await loanOf(h);
  t.match(loan.claims[0], { orderNo: 'L1/c1', status: 'finished', finishReason: 'transferred' });
  t.match(loan.claims[2], { orderNo: 'L1/c3', investmentId: 'i3', investor: 'dave', amount: 300_00n, status: 'matched', lastOrderNo: 'L1/c1', transferred: true });

  const second = await h.node.lending.redeemInvestment('i2', 'r-bob');
  t.ok(second.ok);
  await drain(h);
  await bankAnswersTransfers(h);
  t.match(await redemptionOf(h, 'i2'), { status: 'completed', pulledBack: 100_00n, redemption: { id: 'r-bob' } }, 'unmatched capital pulled back, the matched part transferred');
  t.equal(await balance(h.node, 'bob'), 1_000_00n);
  t.match(await h.node.ledger.getAccount('bob'), { ok: true, value: { openInvestments: [] } }, 'pulled back and transferred: the lien went');
  t.match(await h.node.ledger.getAccount('dave'), { ok: true, value: { openInvestments: ['i3'] } }, 'the new holder\'s investment is open');
  t.equal(await balance(h.node, 'dave'), 400_00n);
  t.equal(await balance(h.node, 'sys.pool'), 100_00n, 'what is left of dave\'s capital');
  t.same(poolTotals(h), { matched: 1_000_00n, reserved: 0n, pulledBack: 100_00n }, 'the old capitals keep their matched history; dave\'s is matched 500');
  const claims = await h.node.lending.getInvestmentClaims('i3');
  t.same(claims.ok && claims.value.map((claim) => [claim.orderNo, claim.amount, claim.lastOrderNo]), [['L1/c3', 300_00n, 'L1/c1'], ['L1/c4', 200_00n, 'L1/c2']]);
  const again = await h.node.lending.redeemInvestment('i1', 'other-id');
  t.match(again.ok && again.value, { status: 'completed', redemption: { id: 'rdm-i1' } }, 'asking again answers the redemption there is');
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 1_000_00n, 'nothing paid twice');
});

t.test('the pool lacks capital: the redemption stays partly done, says what is outstanding, and completes as capital arrives', async (t) => {
  const h = await disbursedLoan(t);
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i3', 'dave', '100.00', 365);
  await h.node.lending.redeemInvestment('i1', null);
  await drain(h);
  const partly = await redemptionOf(h, 'i1');
  t.match(partly, { status: 'redeeming' });
  t.equal(outstandingOf(partly), 300_00n, 'no switch until the whole claim is covered');
  t.match((await loanOf(h)).transfers[0], { stage: 'waiting' });
  t.equal(await balance(h.node, 'alice'), 700_00n);
  await elapse(h, recheckMs);
  t.match(await redemptionOf(h, 'i1'), { status: 'redeeming', round: 2 }, 'a later round changes nothing while the pool is short');
  await invest(h, 'i4', 'erin', '500.00', 365);
  await drain(h);
  await bankAnswersTransfers(h);
  t.match(await redemptionOf(h, 'i1'), { status: 'completed' }, 'the waiting book woke the loan');
  t.equal(await balance(h.node, 'alice'), 1_000_00n);
  const loan = await loanOf(h);
  t.same(loan.claims.slice(2).map((claim) => [claim.investor, claim.amount]), [['dave', 100_00n], ['erin', 200_00n]]);
  t.equal((h.node.system.inspect('book:waiting')?.state as { waiting: Map<string, number> }).waiting.has('L1'), false, 'the loan left the waiting book');
});

async function interestPoolBalance(h: LendingHarness, investor: string): Promise<bigint> {
  const reply = await h.node.flows.getInterestPool(investor, 0, 100);
  return reply.ok ? reply.value.pool.balance : 0n;
}

/** Interest credited to `investor`'s pool by the repayment's split (flow 11), as the read model lists its flows. */
async function repaymentInterestOf(h: LendingHarness, investor: string): Promise<bigint> {
  await h.node.projections.catchUpFully();
  const rows = h.node.queries.interestFlows(investor, 0, Number.MAX_SAFE_INTEGER, 1_000);
  return rows.filter((row) => row.kind === 'repayment').reduce((sum, row) => sum + (row.amount as bigint), 0n);
}

t.test('mutual exclusion: a repayment under way when the transfer is covered is split to the old holder, and the switch waits for it', async (t) => {
  const h = await disbursedLoan(t);
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i3', 'dave', '600.00', 365);
  const paid = await h.node.flows.repay('L1', { id: 'r1', amount: null });
  t.ok(paid.ok, 'the first period is paid');
  await drain(h);
  t.equal(h.bank.pending('repayment').length, 1, 'the repayment is at the bank');
  await h.node.lending.redeemInvestment('i1', null);
  await drain(h);
  const mid = await loanOf(h);
  t.match(mid.transfers[0], { stage: 'deferred', claimOrderNo: 'L1/c1' }, 'covered, but the switch waits for the repayment');
  t.match(mid.claims[0], { investor: 'alice', status: 'matched' });
  const repayment = mid.repayments.get('r1');
  const aliceShare = repayment?.split?.shares.find((share) => share.orderNo === 'L1/c1');
  t.match(aliceShare, { investor: 'alice', principal: 100_00n, interest: 3_00n }, 'the split names the holder of its decision');
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await drain(h);
  t.match((await loanOf(h)).transfers[0], { stage: 'settling' }, 'the repayment ended: the batch went out');
  await bankAnswersTransfers(h);
  const after = await loanOf(h);
  t.match(after.claims[0], { orderNo: 'L1/c1', status: 'finished', finishReason: 'transferred', principalOutstanding: 0n });
  const moved = after.claims.filter((claim) => claim.lastOrderNo === 'L1/c1');
  t.same(moved.map((claim) => [claim.investor, claim.principalOutstanding]), [['dave', 200_00n]], 'what the repayment left moves: 300 − 100');
  t.equal(await repaymentInterestOf(h, 'alice'), 3_00n, 'the interest reached alice');
  t.equal(await repaymentInterestOf(h, 'dave'), 0n, 'and not dave: one holder');
  await elapse(h, recheckMs);
  const done = await redemptionOf(h, 'i1');
  t.match(done, { status: 'completed', pulledBack: 100_00n, interestPaid: 3_00n }, 'the repaid principal came back as capital and was pulled back; the interest pool paid out');
  t.equal(transferredOf(done), 200_00n);
  t.equal(await balance(h.node, 'alice'), 1_003_00n, 'principal and interest in the wallet');
  t.match(await h.node.ledger.getAccount('alice'), { ok: true, value: { openInvestments: [] } }, 'the interest payout in too: the lien went');
  t.equal(await interestPoolBalance(h, 'alice'), 0n);
  t.equal(await balance(h.node, 'dave'), 400_00n);
});

t.test('mutual exclusion: after the switch, the next repayment is split to the new holder only', async (t) => {
  const h = await disbursedLoan(t);
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i3', 'dave', '600.00', 365);
  await h.node.lending.redeemInvestment('i1', null);
  await drain(h);
  await bankAnswersTransfers(h);
  t.match(await redemptionOf(h, 'i1'), { status: 'completed', interestPaid: 0n });
  const paid = await h.node.flows.repay('L1', { id: 'r1', amount: null });
  t.ok(paid.ok);
  await drain(h);
  const shares = (await loanOf(h)).repayments.get('r1')?.split?.shares ?? [];
  t.same(shares.map((share) => [share.orderNo, share.investor, share.principal, share.interest]), [['L1/c2', 'bob', 66_67n, 2_00n], ['L1/c3', 'dave', 100_00n, 3_00n]], 'the finished claim takes no share');
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await drain(h);
  t.equal(await repaymentInterestOf(h, 'dave'), 3_00n);
  t.equal(await repaymentInterestOf(h, 'alice'), 0n, 'alice, redeemed, gets nothing of it');
  t.equal(await balance(h.node, 'alice'), 1_000_00n);
});

t.test('given a claim-transfer batch the bank declines, then nothing is paid, the reservation is released, and a later round transfers the claim again', async (t) => {
  const h = await disbursedLoan(t);
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i3', 'dave', '600.00', 365);
  await h.node.lending.redeemInvestment('i1', null);
  await drain(h);
  t.equal(await bankAnswersTransfers(h, 'failed'), 1, 'the bank declines xfer-L1-1');
  t.match((await loanOf(h)).transfers[0], { stage: 'failed' });
  t.match((await loanOf(h)).claims[0], { orderNo: 'L1/c1', investor: 'alice', status: 'matched' }, 'alice keeps the claim');
  t.equal(await balance(h.node, 'alice'), 700_00n, 'nothing paid for a batch the bank declined');
  t.same(poolTotals(h).reserved, 0n, 'dave\'s capital is free again');
  t.match(await redemptionOf(h, 'i1'), { status: 'redeeming' });
  await elapse(h, recheckMs);
  t.same(h.bank.pending('transfer').map((order) => order.orderNo), ['xfer-L1-2'], 'the next round walks again: a new batch');
  await bankAnswersTransfers(h);
  t.match(await redemptionOf(h, 'i1'), { status: 'completed' });
  t.equal(await balance(h.node, 'alice'), 1_000_00n);
  t.match((await loanOf(h)).claims[2], { orderNo: 'L1/c3', investor: 'dave', lastOrderNo: 'L1/c1' });
});

t.test('given the pool holds only the redeeming investor\'s other capital, then the claim moves to it with no bank order (one depository account)', async (t) => {
  const h = await disbursedLoan(t);
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i5', 'alice', '300.00', 365);
  t.equal(await balance(h.node, 'alice'), 400_00n);
  await h.node.lending.redeemInvestment('i1', null);
  await drain(h);
  t.same(h.bank.pending('transfer'), [], 'no batch from alice to alice');
  t.match(await redemptionOf(h, 'i1'), { status: 'completed' });
  t.equal(await balance(h.node, 'alice'), 700_00n, 'i1\'s 300 back in the wallet; i5\'s 300 now holds the claim');
  t.match((await loanOf(h)).claims[2], { investor: 'alice', investmentId: 'i5', amount: 300_00n, lastOrderNo: 'L1/c1', transferred: true });
});

t.test('given two redemptions of one investor at once, then reinvest stays held off until the last one ends', async (t) => {
  const h = await disbursedLoan(t);
  await invest(h, 'i5', 'alice', '100.00', 30);
  await h.node.clock.change({ advanceDays: 30 });
  await invest(h, 'i3', 'dave', '600.00', 365);
  await h.node.lending.redeemInvestment('i1', null);
  await h.node.lending.redeemInvestment('i5', null);
  await drain(h);
  t.match(await redemptionOf(h, 'i5'), { status: 'completed', pulledBack: 100_00n }, 'i5 (unmatched) is done');
  t.match(await redemptionOf(h, 'i1'), { status: 'redeeming' }, 'i1 waits for its claim-transfer batch');
  const held = await h.node.flows.getInterestPool('alice', 0, 10);
  t.same(held.ok && held.value.pool.reinvestHolds, ['rdm-i1'], 'the first to end released only its own hold');
  await bankAnswersTransfers(h);
  t.match(await redemptionOf(h, 'i1'), { status: 'completed' });
  const free = await h.node.flows.getInterestPool('alice', 0, 10);
  t.match(free.ok && free.value.pool, { reinvestOn: true, reinvestHolds: [] }, 'the last one ended: reinvest is back');
});
