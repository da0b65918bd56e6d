import t from 'tap';
import { parseFeeRule, type FeeRule } from '../../core/clearing/fee.js';
import { defaultProduct, type LoanProduct } from '../../core/lending/schedule/product.js';
import { join } from 'node:path';
import { parseLoanProducts } from '../../actors/lending/lending-config.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { configFromEnv } from '../../gateway/config.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway } from '../helpers/gateway.js';
import { tempDir } from '../helpers/ledger.js';
import { opsHeaders as ops, repayingLoan, totalOf, until } from '../helpers/repaying-loan.js';

const tenPercent = parseFeeRule({ rate: '0.10', min: '0.01' }, 'CNY', 'serviceFee') as FeeRule;
const feed: LoanProduct = { ...defaultProduct, serviceFee: tenPercent };

t.test('a service fee of 10 % on investors\' interest at each split: the bank moves the net, revenue takes the fee, the interest pools the rest, statements reconcile', async (t) => {
  // Given L1 (alice 2/3, bob 1/3) under a product that charges 10 % of investors' interest
  const h = await repayingLoan(t, feed);
  const revenueBefore = await totalOf(h, 'sys.revenue');
  // When period 1 (1,000.00 + 30.00 interest) is repaid
  await h.post('/ops/clock', { date: '2030-02-01' }, ops);
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'r1' })).statusCode, 202);
  await until(h, async () => h.bank.pending('repayment').length === 1);
  // Then the bank batch moves the net to each investor and the fee to revenue: alice 666.67 + 18.00, bob 333.33 + 9.00, fees 2.00 + 1.00
  const order = h.bank.pending('repayment')[0];
  const items = (order?.items ?? []).map((item) => `${item.ref} ${item.to} ${item.amount}`).sort();
  t.same(items, ['L1/c1 alice 68467', 'L1/c1/fee sys.revenue 200', 'L1/c2 bob 34233', 'L1/c2/fee sys.revenue 100'].sort());
  await h.node.bank.handleCallback(h.bank.complete(order?.orderNo as string, 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'succeeded');
  await h.quiescent();
  // The interest pools get 90 %; revenue 10 %
  t.match((await h.get('/v1/investors/alice/interest-pool')).json(), { balance: '18.00' });
  t.match((await h.get('/v1/investors/bob/interest-pool')).json(), { balance: '9.00' });
  const revenue = Number((await totalOf(h, 'sys.revenue')).replace('.', '')) - Number(revenueBefore.replace('.', ''));
  t.equal(revenue, 300, 'revenue took 3.00 of fees');
  // alice's statement: her interest pool shows the net, and it adds up
  const statement = (await h.get('/v1/investors/alice/statement?from=2030-01-01&to=2030-02-01')).json();
  t.match(statement.interestPool, { opening: '0.00', closing: '18.00', flows: [{ amount: '18.00' }] });
});

t.test('a rule change touches no loan published before it: a loan keeps the fee of the product it was published under', async (t) => {
  // Given L1 published under its product at 10 %, journaled on disk
  const dir = tempDir(t, 'fundcore-fee-');
  const first = await repayingLoan(t, feed, { journal: new LmdbJournal({ path: join(dir, 'journal') }) });
  await first.app.close();
  await first.node.stop();
  // When the node starts again with that product configured at 20 %
  const twenty: LoanProduct = { ...defaultProduct, serviceFee: parseFeeRule({ rate: '0.20' }, 'CNY', 'serviceFee') as FeeRule };
  const bank = first.bank;
  const h = { ...(await gateway(t, { bank, journal: new LmdbJournal({ path: join(dir, 'journal') }), businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2, products: [twenty], defaultProduct: 'standard' } })), bank };
  await h.post('/ops/clock', { date: '2030-02-01' }, ops);
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'r1' })).statusCode, 202);
  await until(h, async () => h.bank.pending('repayment').length === 1);
  // Then its split still takes 10 %: alice's fee 2.00, not 4.00
  const fee = h.bank.pending('repayment')[0]?.items.find((item) => item.ref === 'L1/c1/fee');
  t.equal(fee?.amount, 200n);
});

t.test('a product\'s fee in configuration: parsed, and a bad one refuses to start with a clear message', async (t) => {
  const [, product] = parseLoanProducts('[{"name":"feed","serviceFee":{"rate":"0.10","min":"0.01"}}]');
  t.match(product, { name: 'feed', serviceFee: { rate: { text: '0.10' }, minMinor: 1n } });
  t.throws(() => parseLoanProducts('[{"name":"feed","serviceFee":{"rate":"ten"}}]'), /loan product feed: serviceFee.rate: a decimal fraction/);
});

t.test('a management fee of 2 % deducted at disbursement: the borrower is paid the net and owes the whole; the fee goes to revenue at the bank and in the books', async (t) => {
  const twoPercent: LoanProduct = { ...defaultProduct, managementFee: parseFeeRule({ rate: '0.02' }, 'CNY', 'managementFee') as FeeRule };
  // Given L1 (3,000.00; alice 2,000.00, bob 1,000.00) published under it and paid out
  const h = await repayingLoan(t, twoPercent);
  await h.quiescent();
  // Then the bank paid carol 2,940.00 and revenue 60.00, each investor's part pro rata
  const items = (h.bank.orders.get('disb-L1')?.items ?? []).map((item) => `${item.ref} ${item.from}→${item.to} ${item.amount}`).sort();
  t.same(items, ['L1/c1 alice→carol 196000', 'L1/c1/fee alice→sys.revenue 4000', 'L1/c2 bob→carol 98000', 'L1/c2/fee bob→sys.revenue 2000']);
  // And the books: carol has her 5,000.00 and the net; revenue the fee; she owes the whole 3,000.00
  t.equal(await totalOf(h, 'carol'), '7940.00');
  t.equal((await h.get('/v1/transfers/sys.mgmt.L1')).json().amount, '60.00');
  t.match((await h.get('/v1/loans/L1')).json(), { repayment: { principalOutstanding: '3000.00' } });
  t.same((await h.get('/v1/loans/L1/schedule')).json().periods.map((p: { principal: string }) => p.principal), ['1000.00', '1000.00', '1000.00']);
});

t.test('a withdrawal fee: held with the amount, paid at the bank to the platform and in the books on success; nothing on failure', async (t) => {
  const withdrawalFee = parseFeeRule({ rate: '0.001', min: '2.00' }, 'CNY', 'withdrawal fee') as FeeRule;
  const bank = new FakeBank();
  const h = { ...(await gateway(t, { bank, lending: { withdrawalFee } })), bank };
  await h.post('/v1/accounts', { id: 'ann', kind: 'investor_wallet' });
  await h.post('/v1/depository-accounts', { id: 'ann', account: 'ann' });
  await until(h, async () => bank.orders.has('open-ann'));
  await h.node.bank.handleCallback(bank.complete('open-ann', 'succeeded'));
  await h.post('/v1/deposits', { id: 'd1', account: 'ann', amount: '5000.00' });
  await until(h, async () => bank.orders.has('dep-d1'));
  await h.node.bank.handleCallback(bank.complete('dep-d1', 'succeeded'));
  await until(h, async () => (await totalOf(h, 'ann')) === '5000.00');
  // When 3,000.00 is withdrawn: 0.1 % is 3.00, above the 2.00 minimum
  const withdrawn = await h.post('/v1/withdrawals', { id: 'w1', account: 'ann', amount: '3000.00' });
  t.equal(withdrawn.statusCode, 201, withdrawn.body);
  t.equal(withdrawn.json().fee, '3.00');
  // Then 3,003.00 is held, and the bank is asked to pay 3.00 to the platform's revenue account with it
  t.match((await h.get('/v1/accounts/ann')).json(), { total: '5000.00', available: '1997.00' });
  await until(h, async () => bank.orders.has('wd-w1'));
  t.same(bank.fees.get('wd-w1'), { amount: 3_00n, account: 'sys.revenue' });
  await h.node.bank.handleCallback(bank.complete('wd-w1', 'succeeded'));
  await until(h, async () => (await totalOf(h, 'ann')) === '1997.00');
  t.equal(await totalOf(h, 'sys.revenue'), '3.00', 'the fee is the platform\'s');
  // A small withdrawal pays the minimum; a failed one takes nothing
  t.equal((await h.post('/v1/withdrawals', { id: 'w2', account: 'ann', amount: '10.00' })).json().fee, '2.00');
  await until(h, async () => bank.orders.has('wd-w2'));
  await h.node.bank.handleCallback(bank.complete('wd-w2', 'failed'));
  await until(h, async () => (await h.get('/v1/withdrawals/w2')).json().status === 'failed');
  await h.quiescent();
  t.match((await h.get('/v1/accounts/ann')).json(), { total: '1997.00', available: '1997.00' });
  t.equal(await totalOf(h, 'sys.revenue'), '3.00');
});

t.test('FUNDCORE_WITHDRAWAL_FEE: a rule as JSON; a bad one refuses to start with a clear message', async (t) => {
  const keys = { FUNDCORE_API_KEY: 'a', FUNDCORE_OPS_KEY: 'o' };
  t.match(configFromEnv({ ...keys, FUNDCORE_WITHDRAWAL_FEE: '{"fixed":"2.00"}' }).lending, { withdrawalFee: { fixedMinor: 200n, rate: null } });
  t.throws(() => configFromEnv({ ...keys, FUNDCORE_WITHDRAWAL_FEE: '{"fixed":"2.001"}' }), /FUNDCORE_WITHDRAWAL_FEE.fixed/);
  t.throws(() => configFromEnv({ ...keys, FUNDCORE_WITHDRAWAL_FEE: 'two yuan' }), /FUNDCORE_WITHDRAWAL_FEE is a fee rule as JSON/);
});

t.test('a guarantee fee of 1 % a period: paid by the borrower with each due period, to the guarantee, at the bank and in the books', async (t) => {
  const onePercent: LoanProduct = { ...defaultProduct, guaranteeFee: parseFeeRule({ rate: '0.01' }, 'CNY', 'guaranteeFee') as FeeRule };
  const h = await repayingLoan(t, onePercent);
  const guaranteeBefore = await totalOf(h, 'sys.guarantee');
  // When period 1 (1,000.00 + 30.00) is repaid: 10.30 more, to the guarantee
  await h.post('/ops/clock', { date: '2030-02-01' }, ops);
  const asked = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.match(asked.json(), { total: '1040.30', guaranteeFee: '10.30' });
  await until(h, async () => h.bank.pending('repayment').length === 1);
  const order = h.bank.pending('repayment')[0];
  t.match(order?.items.find((item) => item.ref.endsWith('/gfee')), { from: 'carol', to: 'sys.guarantee', amount: 10_30n });
  t.equal(order?.items.reduce((sum, item) => sum + item.amount, 0n), 1_040_30n, 'the batch moves the whole payment');
  await h.node.bank.handleCallback(h.bank.complete(order?.orderNo as string, 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'succeeded');
  await h.quiescent();
  // Then carol paid 1,040.30, the guarantee got 10.30, the investors the period
  t.equal(await totalOf(h, 'carol'), '6959.70');
  const gained = Number((await totalOf(h, 'sys.guarantee')).replace('.', '')) - Number(guaranteeBefore.replace('.', ''));
  t.equal(gained, 10_30);
  t.match((await h.get('/v1/investors/alice/interest-pool')).json(), { balance: '20.00' });
  // The next period shows its fee beside its total
  t.match((await h.get('/v1/loans/L1')).json().repayment.currentPeriod, { number: 2, total: '1020.00', guaranteeFee: '10.20' });
});
