import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { BankBehaviour } from '../../bench/bank-sim/config.js';
import { startSimulator } from '../helpers/bank-sim.js';
import { eventually } from '../helpers/callback-receiver.js';
import { tempDir } from '../helpers/ledger.js';

const secret = 'sim-books-secret';
const header = (orderNo: string) => ({ orderNo, businessDate: '2030-01-01', currency: 'CNY' as const });

/** A simulator keeping its books in `booksPath`, a receiver for its callbacks and a client; closed with the test. */
async function simulator(t: Test, booksPath: string, behaviour: Partial<BankBehaviour> = {}) {
  return startSimulator(t, { secret, seed: 1, behaviour, booksPath });
}

t.test('with booksPath the books survive a restart: accounts, balances, entries, orders (a resubmission is still not processed twice)', async (t) => {
  const booksPath = join(tempDir(t, 'bank-books-'), 'bank-sim', 'books.db');
  const first = await simulator(t, booksPath);
  await first.client.openAccount(header('open-a'), { account: 'a' });
  await first.client.openAccount(header('open-b'), { account: 'b' });
  await first.client.deposit(header('dep-1'), { account: 'a', amount: 100_00n });
  await eventually(() => first.sim.idle && first.receiver.of('dep-1').length > 0);
  await first.client.disburse(header('disb-1'), { items: [{ ref: 'L1/c1', from: 'a', to: 'b', amount: 30_00n }] });
  await eventually(() => first.sim.idle && first.receiver.of('disb-1').length > 0);
  const entries = first.sim.books.entries.map((e) => ({ ...e }));
  await first.sim.close();

  const second = await simulator(t, booksPath);
  t.equal(second.sim.books.accounts.get('a')?.balance, 70_00n, 'a: 100.00 in, 30.00 out');
  t.equal(second.sim.books.accounts.get('b')?.balance, 30_00n);
  t.same(second.sim.books.entries, entries, 'every entry, in order');
  t.match(await second.client.query('dep-1'), { status: 'succeeded', bankTxnId: /^BK/ }, 'orders are remembered');
  await second.client.deposit(header('dep-1'), { account: 'a', amount: 100_00n });
  await second.client.deposit(header('dep-2'), { account: 'b', amount: 1_00n });
  await eventually(() => second.sim.idle && second.receiver.of('dep-2').length > 0);
  t.equal(second.sim.books.accounts.get('a')?.balance, 70_00n, 'the resubmitted deposit was not booked again');
  t.equal(second.sim.books.accounts.get('b')?.balance, 31_00n, 'an opened account still takes money (strict books)');
  const txnIds = second.sim.books.entries.map((e) => e.bankTxnId);
  t.notOk(txnIds.slice(0, -1).includes(txnIds[txnIds.length - 1] as string), 'the new booking has a new bank transaction id');
});

t.test('an order still processing when the bank stops is completed after the restart, and called back', async (t) => {
  const booksPath = join(tempDir(t, 'bank-books-'), 'books.db');
  const first = await simulator(t, booksPath, { delayMinMs: 60_000, delayMaxMs: 60_000 });
  await first.client.openAccount(header('open-a'), { account: 'a' });
  t.match(await first.client.query('open-a'), { status: 'processing' });
  await first.sim.close();
  const second = await simulator(t, booksPath);
  // The callback goes where the order asked for it (the first receiver's address).
  await eventually(() => second.sim.idle && first.receiver.of('open-a').length > 0);
  t.match(first.receiver.of('open-a')[0], { valid: true, callback: { orderNo: 'open-a', status: 'succeeded' } }, 'accepted before the stop: completed and called back after it');
  t.match(await second.client.query('open-a'), { status: 'succeeded' });
  t.ok(second.sim.books.accounts.has('a'));
});

t.test('a conversion: the bank books the source debit and the target credit, each in its account\'s currency; refused whole when an account is of another currency or short', async (t) => {
  const { client, sim, receiver } = await simulator(t, join(tempDir(t, 'bank-books-'), 'books.db'));
  const usd = (orderNo: string) => ({ ...header(orderNo), currency: 'USD' as const });
  await client.openAccount(usd('open-sam'), { account: 'sam' });
  await client.openAccount({ ...header('open-yuki'), currency: 'JPY' }, { account: 'yuki' });
  await client.openAccount(header('open-li'), { account: 'li' });
  await client.deposit(usd('dep-sam'), { account: 'sam', amount: 100_00n });
  await eventually(() => sim.idle && receiver.of('dep-sam').length > 0);
  const outcome = async (orderNo: string) => {
    await eventually(() => sim.idle && receiver.of(orderNo).length > 0);
    return receiver.of(orderNo)[0]?.callback as { status: string; code: string | null; currency?: string };
  };
  // When sam's 40.00 USD are converted into yuki's yen at 151.37
  t.same(await client.convert(usd('fx-1'), { account: 'sam', amount: 40_00n, toAccount: 'yuki', toAmount: 6_055n, toCurrency: 'JPY', rate: '151.37' }), { accepted: true });
  t.match(await outcome('fx-1'), { status: 'succeeded', currency: 'USD' }, 'called back in the order\'s currency (the source\'s)');
  t.equal(sim.books.accounts.get('sam')?.balance, 60_00n);
  t.equal(sim.books.accounts.get('yuki')?.balance, 6_055n);
  t.same(sim.books.entries.filter((e) => e.orderNo === 'fx-1').map((e) => [e.account, e.direction, e.amount, e.currency]), [['sam', 'debit', 40_00n, 'USD'], ['yuki', 'credit', 6_055n, 'JPY']]);
  // A target in another currency than stated, a source short of money: refused whole, nothing booked
  await client.convert(usd('fx-2'), { account: 'sam', amount: 1_00n, toAccount: 'li', toAmount: 151n, toCurrency: 'JPY', rate: '151.37' });
  t.match(await outcome('fx-2'), { status: 'failed', code: 'currency_mismatch' });
  await client.convert(usd('fx-3'), { account: 'sam', amount: 60_01n, toAccount: 'yuki', toAmount: 9_084n, toCurrency: 'JPY', rate: '151.37' });
  t.match(await outcome('fx-3'), { status: 'failed', code: 'insufficient_balance' });
  t.equal(sim.books.entries.filter((e) => e.orderNo !== 'fx-1' && e.kind === 'conversion').length, 0);
  t.equal(sim.books.accounts.get('sam')?.balance, 60_00n);
});

t.test('a conversion and a withdrawal with its fee, processing when the bank stops, are booked after the restart with their amounts read back', async (t) => {
  const booksPath = join(tempDir(t, 'bank-books-'), 'books.db');
  const first = await simulator(t, booksPath);
  const usd = (orderNo: string) => ({ ...header(orderNo), currency: 'USD' as const });
  await first.client.openAccount(usd('open-sam'), { account: 'sam' });
  await first.client.openAccount({ ...header('open-yuki'), currency: 'JPY' }, { account: 'yuki' });
  await first.client.openAccount(header('open-ann'), { account: 'ann' });
  await first.client.openAccount(header('open-rev'), { account: 'rev' });
  await first.client.deposit(usd('dep-sam'), { account: 'sam', amount: 100_00n });
  await first.client.deposit(header('dep-ann'), { account: 'ann', amount: 50_00n });
  await eventually(() => first.sim.idle && first.receiver.of('dep-ann').length > 0 && first.receiver.of('dep-sam').length > 0);
  first.sim.setBehaviour({ delayMinMs: 60_000, delayMaxMs: 60_000 });
  await first.client.convert(usd('fx-1'), { account: 'sam', amount: 40_00n, toAccount: 'yuki', toAmount: 6_055n, toCurrency: 'JPY', rate: '151.37' });
  await first.client.withdraw(header('wd-1'), { account: 'ann', amount: 10_00n, fee: 2_00n, feeAccount: 'rev' });
  await first.sim.close();
  const second = await simulator(t, booksPath);
  await eventually(() => second.sim.idle && first.receiver.of('fx-1').length > 0 && first.receiver.of('wd-1').length > 0);
  t.match(first.receiver.of('fx-1')[0], { callback: { status: 'succeeded' } });
  t.match(first.receiver.of('wd-1')[0], { callback: { status: 'succeeded' } });
  t.same(['sam', 'yuki', 'ann', 'rev'].map((id) => second.sim.books.accounts.get(id)?.balance), [60_00n, 6_055n, 38_00n, 2_00n]);
});
