import t, { type Test } from 'tap';
import { accountActorId, type AccountMessage } from '../../../actors/account/messages.js';
import { systemAccounts } from '../../../actors/lending/ids.js';
import type { FundcoreNode } from '../../../actors/node.js';
import type { TransferRecord } from '../../../core/ledger/transfer.js';
import { parseFeeRule, type FeeRule } from '../../../core/clearing/fee.js';
import { defaultProduct, type LoanProduct } from '../../../core/lending/schedule/product.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeBank } from '../../helpers/fake-bank.js';
import { LateCreditsBus } from '../../helpers/late-credits-bus.js';
import { FakeTime } from '../../helpers/fake-time.js';
import { balance, drain, fundedWallet, lendingNode, openAccount, paidOut, startNode, waitMs, type LendingHarness } from '../../helpers/lending.js';

/*
 * Money reaches sys.pool as the credit half of a transfer decided elsewhere (the investor's
 * wallet, the transit, the interest pool), carried by that account's outbox. In a cluster
 * that credit can be late — its sender's node cannot reach sys.pool's, or sys.pool's node is
 * restarting — while the capital it stands for is already in a shard and already leaving the
 * pool again (a pull-back, a disbursement, a claim transfer's payout).
 */
async function nodeWithLateCredits(t: Test): Promise<LendingHarness & { readonly bus: LateCreditsBus }> {
  const time = new FakeTime();
  let node: FundcoreNode | undefined;
  const bus = new LateCreditsBus(() => node?.system);
  const journal = new MemoryJournal();
  const bank = new FakeBank();
  node = await startNode({ journal, bus, clock: time, timers: time, bank, businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2 } }, time);
  t.teardown(() => node?.stop());
  await openAccount(node, 'ext', 'bank_settlement', true);
  return { node, bank, time, journal, bus };
}

/** The pull-back transfers out of the pool (sys.pb.<shard>.<n>) as sys.pool recorded them, refused ones too. */
async function pullBacks(node: FundcoreNode): Promise<string[]> {
  const found: string[] = [];
  for (const transferId of ['sys.pb.0.1', 'sys.pb.1.1']) {
    const reply = await node.system.ask(accountActorId(systemAccounts.pool), { type: 'find_transfer', data: { transferId } } satisfies AccountMessage);
    const record = reply.ok ? (reply.value as { record: TransferRecord | null }).record : null;
    if (record !== null) found.push(`${record.amount} ${record.status}`);
  }
  return found;
}

t.test('given an investment whose credit has not reached sys.pool, when it is redeemed, then the pull-back waits for that money and the wallet gets it all back', async (t) => {
  const h = await nodeWithLateCredits(t);
  await fundedWallet(h.node, 'alice', '1000.00');
  await drain(h);
  h.bus.cutCreditsTo.add(accountActorId(systemAccounts.pool));
  const placed = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '1000.00', termDays: 30 });
  t.match(placed.ok && placed.value.state, { status: 'active' }, 'the wallet was debited: the investment is placed');
  await waitMs(h, 2_000);
  t.equal(await balance(h.node, 'alice'), 0n);
  t.equal(await balance(h.node, systemAccounts.pool), 0n, 'its credit has not reached the pool');
  t.ok(h.bus.creditsCut > 0, 'the relay kept trying the credit');

  await h.node.clock.change({ advanceDays: 30 });
  const redeemed = await h.node.lending.redeemInvestment('i1', null);
  t.ok(redeemed.ok, 'redeemed at maturity');
  await waitMs(h, 5_000);
  t.equal(await balance(h.node, 'alice'), 0n, 'nothing is paid out of money the pool does not hold yet');
  t.equal(h.node.system.relay.stats().refusedForNow, 1, 'the pull-back waits in the relay, refused for now');
  t.same(await pullBacks(h.node), [], 'and sys.pool recorded no refusal of it');
  const waiting = await h.node.lending.getRedemption('i1');
  t.match(waiting.ok && waiting.value, { status: 'redeeming', pulledBack: 1_000_00n, pulledBackToBook: 1_000_00n }, 'the shard gave it back, but the redemption is not done while the wallet lacks it');

  h.bus.cutCreditsTo.clear();
  await drain(h);
  t.equal(await balance(h.node, systemAccounts.pool), 0n, 'the pool took the money in and gave it back');
  t.equal(await balance(h.node, 'alice'), 1_000_00n, 'the whole principal is back in the wallet');
  const redemption = await h.node.lending.getRedemption('i1');
  t.match(redemption.ok && redemption.value, { status: 'completed', pulledBack: 1_000_00n });
  t.same(await pullBacks(h.node), ['100000 posted'], 'one pull-back of the whole principal, posted (not refused)');
  t.equal(h.node.system.relay.stats().refusedForNow, 0, 'nothing is left waiting');
});

t.test('given a redemption whose pull-back has not reached the wallet, when it completes, then the wallet keeps its lien and does not close until the money is in', async (t) => {
  const h = await nodeWithLateCredits(t);
  await fundedWallet(h.node, 'alice', '1000.00');
  await openAccount(h.node, 'alice-bank', 'investor_wallet');
  await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '1000.00', termDays: 30 });
  await drain(h);
  h.bus.cutCreditsTo.add(accountActorId('alice'));
  await h.node.clock.change({ advanceDays: 30 });
  t.ok((await h.node.lending.redeemInvestment('i1', null)).ok);
  await waitMs(h, 5_000);
  const redemption = await h.node.lending.getRedemption('i1');
  t.match(redemption.ok && redemption.value, { status: 'completed' }, 'sys.pool booked the pull-back: the redemption is done');
  t.equal(await balance(h.node, 'alice'), 0n, 'but its credit has not reached the wallet');
  t.match(await h.node.ledger.closeAccount('alice'), { ok: false, code: 'account_has_open_investments' }, 'so the lien holds and the wallet does not close');
  t.ok(h.node.system.relay.stats().refusedForNow >= 1, 'the release waits in the relay, refused for now');

  h.bus.cutCreditsTo.clear();
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 1_000_00n, 'the money is in');
  t.match(await h.node.ledger.getAccount('alice'), { ok: true, value: { openInvestments: [] } }, 'and then the lien went');
  t.ok((await h.node.ledger.createTransfer({ id: 'out', debit: 'alice', credit: 'alice-bank', amount: '1000.00', pending: false, timeoutMs: null, memo: null })).ok);
  t.match(await h.node.ledger.closeAccount('alice'), { ok: true }, 'it closes with nothing of it left on the platform');
  t.equal(h.node.system.relay.stats().refusedForNow, 0, 'nothing is left waiting');
});

t.test('given a loan funded by capital whose money has not reached sys.pool, when it is approved, then its disbursement hold waits for that money instead of failing the loan', async (t) => {
  const h = await nodeWithLateCredits(t);
  await fundedWallet(h.node, 'alice', '1000.00');
  await openAccount(h.node, 'carol', 'borrower_wallet');
  await drain(h);
  h.bus.cutCreditsTo.add(accountActorId(systemAccounts.pool));
  const placed = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '1000.00', termDays: 30 });
  t.match(placed.ok && placed.value.state, { status: 'active' });
  await h.node.lending.publishLoan({ id: 'L1', borrower: 'carol', amount: '500.00', annualRate: '0.12', termDays: null, termMonths: 3, method: 'equal_principal' });
  await waitMs(h, 2_000);
  await h.node.lending.approveLoan('L1');
  await waitMs(h, 5_000);
  t.match(await loanOf(h.node, 'L1'), { status: 'approved' }, 'the loan waits, not failed');
  t.equal(h.bank.orders.size, 0, 'nothing went to the bank while the hold waits');

  h.bus.cutCreditsTo.clear();
  await drain(h);
  await h.node.bank.handleCallback(h.bank.complete('disb-L1', 'succeeded'));
  await drain(h);
  t.match(await loanOf(h.node, 'L1'), { status: 'repaying' }, 'disbursed once the money was in');
  t.equal(await balance(h.node, 'carol'), 500_00n);
  t.equal(await balance(h.node, systemAccounts.pool), 500_00n, 'the rest of the investment stays in the pool');
});

async function loanOf(node: FundcoreNode, id: string): Promise<unknown> {
  const reply = await node.lending.getLoan(id);
  return reply.ok ? reply.value : reply.code;
}

t.test('given a borrower with an empty wallet and a 2 % management fee, when the loan is paid out, then the fee is booked out of the payout that reaches the wallet', async (t) => {
  const twoPercent: LoanProduct = { ...defaultProduct, managementFee: parseFeeRule({ rate: '0.02' }, 'CNY', 'managementFee') as FeeRule };
  const h = await lendingNode(t, { lending: { poolShards: 2, products: [twoPercent], defaultProduct: twoPercent.name } });
  await fundedWallet(h.node, 'alice', '1000.00');
  await openAccount(h.node, 'carol', 'borrower_wallet');
  await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '1000.00', termDays: 30 });
  await h.node.lending.publishLoan({ id: 'L1', borrower: 'carol', amount: '500.00', annualRate: '0.12', termDays: null, termMonths: 3, method: 'equal_principal' });
  await paidOut(h);
  t.equal(await balance(h.node, 'carol'), 490_00n, 'the net: 500.00 less the fee');
  t.equal(await balance(h.node, systemAccounts.revenue), 10_00n, 'the fee, in the books as at the bank');
});

t.test('given a wallet whose money is all invested, when it is closed, then it is refused until the redemption has paid it back; then it closes like any wallet', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 2 } });
  await fundedWallet(h.node, 'alice', '1000.00');
  await openAccount(h.node, 'alice-bank', 'investor_wallet', false);
  await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '1000.00', termDays: 30 });
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 0n, 'a zero balance');
  t.match(await h.node.ledger.closeAccount('alice'), { ok: false, code: 'account_has_open_investments' }, 'the money is on the platform: no close');
  await h.node.clock.change({ advanceDays: 30 });
  t.ok((await h.node.lending.redeemInvestment('i1', null)).ok);
  await drain(h);
  const redemption = await h.node.lending.getRedemption('i1');
  t.match(redemption.ok && redemption.value, { status: 'completed', pulledBack: 1_000_00n }, 'redeemed');
  t.same(redemption.ok && [...redemption.value.pullBacksRefused.values()], [], 'nothing refused');
  t.equal(await balance(h.node, 'alice'), 1_000_00n, 'the money is back in the wallet');
  t.match(await h.node.ledger.closeAccount('alice'), { ok: false, code: 'account_balance_not_zero' }, 'the lien is gone: only the balance holds it open');
  t.ok((await h.node.ledger.createTransfer({ id: 'out', debit: 'alice', credit: 'alice-bank', amount: '1000.00', pending: false, timeoutMs: null, memo: null })).ok);
  t.match(await h.node.ledger.closeAccount('alice'), { ok: true }, 'then it closes');
  t.equal(await balance(h.node, systemAccounts.pool), 0n, 'nothing left in the pool');
});
