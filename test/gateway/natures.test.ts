import t from 'tap';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway } from '../helpers/gateway.js';
import { deliver as deliverCallback, untilOrder, type FakeBankHarness } from '../helpers/bank-callbacks.js';
import { configFromEnv } from '../../gateway/config.js';
import { defaultPaymentStrategies } from '../../core/ledger/payment-strategy.js';

const nowMs = 1_900_000_000_000;
type Harness = FakeBankHarness;
const deliver = (h: Harness, callback: Parameters<typeof deliverCallback>[1]) => deliverCallback(h, callback, nowMs);

async function depositAtBank(h: Harness, id: string, account: string, amount: string, nature?: string): Promise<void> {
  const created = await h.post('/v1/deposits', { id, account, amount, ...(nature === undefined ? {} : { nature }) });
  t.equal(created.statusCode, 201, created.body);
  await untilOrder(h, `dep-${id}`);
  await deliver(h, h.bank.complete(`dep-${id}`, 'succeeded'));
}

async function openWallet(h: Harness, id: string): Promise<void> {
  await h.post('/v1/accounts', { id, kind: 'investor_wallet' });
  await h.post('/v1/depository-accounts', { id, account: id });
  await untilOrder(h, `open-${id}`);
  await deliver(h, h.bank.complete(`open-${id}`, 'succeeded'));
}

/** Alice recharged 100.00 by debit card, 50.00 by credit card and 40.00 of a consumer quota. */
async function threeNatures(t: Parameters<typeof gateway>[0]): Promise<Harness> {
  const bank = new FakeBank();
  const h: Harness = { ...(await gateway(t, { bank, now: () => nowMs })), bank };
  await openWallet(h, 'alice');
  await openWallet(h, 'bob');
  await h.post('/v1/accounts', { id: 'shop', kind: 'platform_revenue' });
  await depositAtBank(h, 'card', 'alice', '100.00');
  await depositAtBank(h, 'credit', 'alice', '50.00', 'refund_only');
  await depositAtBank(h, 'quota', 'alice', '40.00', 'spend_only');
  return h;
}

const natures = async (h: Harness, account: string) => {
  const { total, natures } = (await h.get(`/v1/accounts/${account}`)).json();
  return { total, ...Object.fromEntries(Object.entries(natures as Record<string, { total: string }>).map(([nature, figures]) => [nature, figures.total])) };
};

t.test('a wallet keeps its money by nature, and each operation draws only the natures its strategy lists', async (t) => {
  const h = await threeNatures(t);
  t.same(await natures(h, 'alice'), { total: '190.00', withdrawable: '100.00', refund_only: '50.00', spend_only: '40.00' }, 'the natures sum to the wallet');
  t.match((await h.get('/v1/deposits/credit')).json(), { nature: 'refund_only' });

  // Only withdrawable money is withdrawn or invested
  const withdrawal = await h.post('/v1/withdrawals', { id: 'w1', account: 'alice', amount: '100.01' });
  t.equal(withdrawal.json().error.code, 'insufficient_funds', '190.00 in the wallet, 100.00 of it withdrawable');
  t.match((await h.get('/v1/investments/i1')).statusCode, 404);
  const investment = await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '100.01', termDays: 30 });
  t.equal(investment.json().error.code, 'insufficient_funds');

  // A payment spends the consumer quota first; money moved to another wallet keeps its natures
  const toBob = await h.post('/v1/transfers', { id: 'p1', debit: 'alice', credit: 'bob', amount: '30.00' });
  t.equal(toBob.statusCode, 201, toBob.body);
  await h.quiescent();
  t.same((await h.get('/v1/transfers/p1')).json().natures, [{ nature: 'spend_only', amount: '30.00' }]);
  t.same(await natures(h, 'bob'), { total: '30.00', withdrawable: '0.00', refund_only: '0.00', spend_only: '30.00' });
  t.equal((await h.post('/v1/withdrawals', { id: 'w2', account: 'bob', amount: '0.01' })).json().error.code, 'insufficient_funds', 'spend-only money is never withdrawn');
  await h.post('/v1/transfers', { id: 'p2', debit: 'alice', credit: 'shop', amount: '25.00' });
  await h.quiescent();
  t.same((await h.get('/v1/transfers/p2')).json().natures, [{ nature: 'spend_only', amount: '10.00' }, { nature: 'withdrawable', amount: '15.00' }]);
  t.same(await natures(h, 'alice'), { total: '135.00', withdrawable: '85.00', refund_only: '50.00', spend_only: '0.00' });
  t.equal((await h.post('/v1/transfers', { id: 'p3', debit: 'alice', credit: 'shop', amount: '85.01' })).json().error.code, 'insufficient_funds', 'refund-only money is never spent');

  // A refund gives back its deposit's own nature: the credit card's money goes back to the card
  t.equal((await h.post('/v1/refunds', { id: 'r1', deposit: 'credit', amount: '50.00' })).statusCode, 201);
  await untilOrder(h, 'rf-r1');
  await deliver(h, h.bank.complete('rf-r1', 'succeeded'));
  t.same(await natures(h, 'alice'), { total: '85.00', withdrawable: '85.00', refund_only: '0.00', spend_only: '0.00' });
  t.equal((await h.post('/v1/refunds', { id: 'r2', deposit: 'quota', amount: '1.00' })).json().error.code, 'deposit_not_refundable', 'a consumer quota is never refunded');
  const w3 = await h.post('/v1/withdrawals', { id: 'w3', account: 'alice', amount: '85.00' });
  t.equal(w3.statusCode, 201, w3.body);
});

t.test('natures refused: each a 4xx with its code, nothing changed', async (t) => {
  const h = await threeNatures(t);
  await h.post('/v1/accounts', { id: 'red-packets', kind: 'investor_wallet', subAccounts: 2 });
  await h.post('/v1/depository-accounts', { id: 'red-packets', account: 'red-packets' });
  await untilOrder(h, 'open-red-packets');
  await deliver(h, h.bank.complete('open-red-packets', 'succeeded'));
  await h.post('/v1/accounts', { id: 'vouchers', kind: 'platform_revenue' });
  const before = await natures(h, 'alice');
  const refused = async (url: string, body: object, status: number, code: string) => {
    const reply = await h.post(url, body);
    t.equal(reply.statusCode, status, `${code}: ${reply.body}`);
    t.equal(reply.json().error?.code, code);
  };
  await refused('/v1/deposits', { id: 'd9', account: 'alice', amount: '1.00', nature: 'gift' }, 400, 'unknown_nature');
  await refused('/v1/transfers', { id: 't9', debit: 'vouchers', credit: 'alice', amount: '1.00', nature: 'gift' }, 400, 'unknown_nature');
  await refused('/v1/transfers', { id: 't8', debit: 'alice', credit: 'bob', amount: '1.00', nature: 'spend_only' }, 422, 'nature_of_wallet_money');
  await refused('/v1/transfers', { id: 't7', debit: 'alice', credit: 'vouchers', amount: '1.00', nature: 'refund_only' }, 422, 'nature_not_kept');
  await refused('/v1/deposits', { id: 'd8', account: 'red-packets', amount: '1.00', nature: 'spend_only' }, 422, 'nature_not_kept');
  await refused('/v1/refunds', { id: 'r9', deposit: 'quota', amount: '1.00' }, 409, 'deposit_not_refundable');
  await h.quiescent();
  t.same(await natures(h, 'alice'), before, "alice's wallet is as it was");
  t.equal(h.bank.orders.has('dep-d9') || h.bank.orders.has('dep-d8'), false, 'nothing went to the bank');
});

t.test('a voucher: the platform credits spend-only money, which can be spent and nothing else', async (t) => {
  const h = await threeNatures(t);
  await h.post('/v1/accounts', { id: 'marketing', kind: 'platform_revenue', overdraft: true });
  const voucher = await h.post('/v1/transfers', { id: 'v1', debit: 'marketing', credit: 'bob', amount: '5.00', nature: 'spend_only' });
  t.equal(voucher.statusCode, 201, voucher.body);
  t.equal(voucher.json().nature, 'spend_only');
  await h.quiescent();
  t.same(await natures(h, 'bob'), { total: '5.00', withdrawable: '0.00', refund_only: '0.00', spend_only: '5.00' });
  // Reversed, exactly the spend-only money leaves again
  t.equal((await h.post('/v1/transfers/v1/reverse', {})).statusCode, 201);
  await h.quiescent();
  t.same(await natures(h, 'bob'), { total: '0.00', withdrawable: '0.00', refund_only: '0.00', spend_only: '0.00' });
});

t.test('FUNDCORE_PAYMENT_STRATEGIES: operations named replace their defaults; a bad one refuses to start naming the problem', async (t) => {
  const keys = { FUNDCORE_API_KEY: 'a', FUNDCORE_OPS_KEY: 'o' };
  t.match(configFromEnv({ ...keys, FUNDCORE_PAYMENT_STRATEGIES: 'spend=withdrawable,spend_only' }).lending, { paymentStrategies: { spend: ['withdrawable', 'spend_only'], invest: ['withdrawable'] } });
  t.throws(() => configFromEnv({ ...keys, FUNDCORE_PAYMENT_STRATEGIES: 'withdraw=spend_only' }), /FUNDCORE_PAYMENT_STRATEGIES: withdraw may not draw spend_only money/);
  t.throws(() => configFromEnv({ ...keys, FUNDCORE_PAYMENT_STRATEGIES: 'lend=withdrawable' }), /"lend" is not an operation/);
});

t.test('a configured strategy is what the wallet draws: spending withdrawable money before the quota', async (t) => {
  const bank = new FakeBank();
  const h: Harness = { ...(await gateway(t, { bank, now: () => nowMs, lending: { paymentStrategies: { ...defaultPaymentStrategies, spend: ['withdrawable', 'spend_only'] } } })), bank };
  await openWallet(h, 'alice');
  await h.post('/v1/accounts', { id: 'shop', kind: 'platform_revenue' });
  await depositAtBank(h, 'card', 'alice', '10.00');
  await depositAtBank(h, 'quota', 'alice', '40.00', 'spend_only');
  await h.post('/v1/transfers', { id: 'p1', debit: 'alice', credit: 'shop', amount: '25.00' });
  await h.quiescent();
  t.same((await h.get('/v1/transfers/p1')).json().natures, [{ nature: 'withdrawable', amount: '10.00' }, { nature: 'spend_only', amount: '15.00' }]);
});
