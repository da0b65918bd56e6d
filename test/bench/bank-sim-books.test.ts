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
