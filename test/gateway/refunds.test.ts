import t from 'tap';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway } from '../helpers/gateway.js';
import { deliver as deliverCallback, untilOrder, type FakeBankHarness } from '../helpers/bank-callbacks.js';

const nowMs = 1_900_000_000_000;
type Harness = FakeBankHarness;
const deliver = (h: Harness, callback: Parameters<typeof deliverCallback>[1]) => deliverCallback(h, callback, nowMs);

async function withDeposit(t: Parameters<typeof gateway>[0]): Promise<Harness> {
  const bank = new FakeBank();
  const h = { ...(await gateway(t, { bank, now: () => nowMs })), bank };
  await h.post('/v1/accounts', { id: 'alice', kind: 'investor_wallet' });
  await h.post('/v1/depository-accounts', { id: 'alice', account: 'alice' });
  await untilOrder(h, 'open-alice');
  await deliver(h, bank.complete('open-alice', 'succeeded'));
  // A recharge of 100.00 by her credit card, which the bank took in
  await h.post('/v1/deposits', { id: 'd1', account: 'alice', amount: '100.00' });
  await untilOrder(h, 'dep-d1');
  await deliver(h, bank.complete('dep-d1', 'succeeded'));
  return h;
}

const total = async (h: Harness) => (await h.get('/v1/accounts/alice')).json().total as string;

t.test('a refund goes back along the deposit\'s path: held, sent to the bank naming the deposit, posted on its success; never beyond the deposit', async (t) => {
  const h = await withDeposit(t);
  t.equal(await total(h), '100.00');
  // When 30.00 of it is refunded
  const refund = await h.post('/v1/refunds', { id: 'r1', deposit: 'd1', amount: '30.00' });
  t.equal(refund.statusCode, 201, refund.body);
  t.match(refund.json(), { id: 'r1', orderNo: 'rf-r1', kind: 'refund', account: 'alice', amount: '30.00', refunds: 'dep-d1' });
  await untilOrder(h, 'rf-r1');
  // Then the bank is asked to pay it back to the deposit's channel, and the wallet's 30.00 is held meanwhile
  t.equal(h.bank.originals.get('rf-r1'), 'dep-d1');
  t.match((await h.get('/v1/accounts/alice')).json(), { total: '100.00', available: '70.00' });
  await deliver(h, h.bank.complete('rf-r1', 'succeeded'));
  t.equal(await total(h), '70.00');
  t.match((await h.get('/v1/refunds/r1')).json(), { status: 'succeeded', refunds: 'dep-d1' });
  // 70.01 more is beyond the deposit; a refund the bank refuses gives its amount back to the deposit
  t.equal((await h.post('/v1/refunds', { id: 'r2', deposit: 'd1', amount: '70.01' })).json().error.code, 'refund_exceeds_order');
  t.equal((await h.post('/v1/refunds', { id: 'r3', deposit: 'd1', amount: '70.00' })).statusCode, 201);
  await untilOrder(h, 'rf-r3');
  await deliver(h, h.bank.complete('rf-r3', 'failed', 'card_expired'));
  t.equal(await total(h), '70.00', 'the hold voided');
  t.match((await h.get('/v1/refunds/r3')).json(), { status: 'failed', result: { code: 'card_expired' } });
  t.equal((await h.post('/v1/refunds', { id: 'r4', deposit: 'd1', amount: '70.00' })).statusCode, 201, 'what failed can be refunded again');
  // Asked again with the same id: the same refund, nothing twice
  t.equal((await h.post('/v1/refunds', { id: 'r1', deposit: 'd1', amount: '30.00' })).statusCode, 201);
  t.equal([...h.bank.orders.keys()].filter((no) => no === 'rf-r1').length, 1);
});

t.test('refunds refused: each a 4xx with its code, nothing changed', async (t) => {
  const h = await withDeposit(t);
  await h.post('/v1/refunds', { id: 'r1', deposit: 'd1', amount: '10.00' });
  const refused = async (body: object, status: number, code: string) => {
    const reply = await h.post('/v1/refunds', body);
    t.equal(reply.statusCode, status, `${code}: ${reply.body}`);
    t.equal(reply.json().error.code, code);
  };
  await refused({ id: 'x1', deposit: 'r1', amount: '1.00' }, 422, 'refund_of_refund');
  await refused({ id: 'x2', deposit: 'nope', amount: '1.00' }, 404, 'deposit_not_found');
  await refused({ id: 'x3', deposit: 'd1', amount: '90.01' }, 422, 'refund_exceeds_order');
  await refused({ id: 'x4', deposit: 'd1', amount: '0.00' }, 400, 'amount_must_be_positive');
  await refused({ id: 'x5', deposit: 'd1' }, 400, 'missing_field');
  await refused({ id: 'r1', deposit: 'd1', amount: '11.00' }, 409, 'id_reused_with_different_content');
  // A deposit still out at the bank brought nothing in yet
  await h.post('/v1/deposits', { id: 'd2', account: 'alice', amount: '5.00' });
  await refused({ id: 'x6', deposit: 'd2', amount: '1.00' }, 409, 'deposit_not_refundable');
  // Money spent meanwhile: the wallet's hold is refused, and the refund's amount goes back to the deposit
  await h.post('/v1/accounts', { id: 'shop', kind: 'investor_wallet' });
  t.equal((await h.post('/v1/transfers', { id: 'spend', debit: 'alice', credit: 'shop', amount: '85.00' })).statusCode, 201);
  await refused({ id: 'x7', deposit: 'd1', amount: '90.00' }, 422, 'insufficient_funds');
  await h.quiescent();
  // The 90.00 refused no longer counts against the deposit: asked again, the wallet refuses it, not the bound
  await refused({ id: 'x8', deposit: 'd1', amount: '90.00' }, 422, 'insufficient_funds');
  t.equal((await h.post('/v1/refunds', { id: 'x9', deposit: 'd1', amount: '5.00' })).statusCode, 201);
  t.equal((await h.get('/v1/accounts/alice')).json().total, '15.00');
});

t.test("a deposit shows its refunds; refunded whole it is a cancelled trade that keeps its record", async (t) => {
  const h = await withDeposit(t);
  t.match((await h.get('/v1/deposits/d1')).json().refunds, { refunded: '0.00', refunding: '0.00', refundable: '100.00', cancelled: false, items: [] });
  await h.post('/v1/refunds', { id: 'r1', deposit: 'd1', amount: '40.00' });
  await untilOrder(h, 'rf-r1');
  t.match((await h.get('/v1/deposits/d1')).json().refunds, { refunding: '40.00', refundable: '60.00', items: [{ id: 'r1', orderNo: 'rf-r1', amount: '40.00', status: 'out' }] });
  await deliver(h, h.bank.complete('rf-r1', 'succeeded'));
  await h.post('/v1/refunds', { id: 'r2', deposit: 'd1', amount: '60.00' });
  await untilOrder(h, 'rf-r2');
  await deliver(h, h.bank.complete('rf-r2', 'succeeded'));
  const deposit = (await h.get('/v1/deposits/d1')).json();
  t.match(deposit, { status: 'succeeded', amount: '100.00', refunds: { refunded: '100.00', refunding: '0.00', refundable: '0.00', cancelled: true } });
  t.equal(deposit.refunds.items.length, 2, 'both refunds listed, the deposit kept');
  t.equal((await h.get('/v1/accounts/alice')).json().total, '0.00');
});
