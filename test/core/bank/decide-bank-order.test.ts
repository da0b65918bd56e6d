import t from 'tap';
import { currencyField, initialBankOrderState, orderCurrency, type BankOrder, type BankOrderPayload, type BankResult } from '../../../core/bank/bank-order.js';
import type { BankOrderCommand } from '../../../core/bank/commands.js';
import { decideBankOrder } from '../../../core/bank/decide-bank-order.js';
import type { BankOrderEvent } from '../../../core/bank/events.js';
import { evolveBankOrder } from '../../../core/bank/evolve-bank-order.js';
import { deciderOf } from '../lending/given.js';

const given = deciderOf(decideBankOrder, evolveBankOrder, initialBankOrderState);
const t0 = 1_900_000_000_000;
const timing = { queryAfterMs: 1_000, queryIntervalMaxMs: 5_000 };
const deposit: BankOrderPayload = { kind: 'deposit', account: 'alice', amount: 100_00n, transferId: 'sys.dep.d1' };
const withdrawal: BankOrderPayload = { kind: 'withdrawal', account: 'alice', amount: 100_00n, transferId: 'sys.wd.w1' };
const create = (payload: BankOrderPayload = deposit, origin: string | null = null): BankOrderCommand => ({ type: 'create_order', data: { orderNo: 'o1', payload, origin, at: t0, on: '2030-01-01', timing } });
const created = (payload: BankOrderPayload = deposit): BankOrderEvent => (decideBankOrder(initialBankOrderState, create(payload)) as BankOrderEvent[])[0] as BankOrderEvent;
const result = (outcome: 'succeeded' | 'failed', via: BankResult['via'] = 'callback', at = t0 + 10): BankOrderCommand => ({
  type: 'bank_result',
  data: { result: { outcome, code: outcome === 'failed' ? 'bank_declined' : null, detail: null, bankTxnId: 'BK1', completedAt: null, via, receivedAt: at } },
});

t.test('create_order: out at once (swept after queryAfterMs); a withdrawal holds first; precedence', async (t) => {
  const order = given().when(create()).after.order as BankOrder;
  t.match(order, { status: 'sending', submissions: 1, nextQueryAt: t0 + 1_000 });
  t.match(given().when(create(withdrawal)).after.order, { status: 'holding', submissions: 0, nextQueryAt: null }, 'nothing is sent before the hold');
  given(created()).when(create()).then(t, [], '1. the same order again');
  given(created()).when(create({ ...deposit, amount: 1n })).rejects(t, 'id_reused_with_different_content', '1. other content');
  given(created()).when(create(deposit, 'loan:L1')).rejects(t, 'id_reused_with_different_content', '1. another origin');
});

t.test('a withdrawal: the hold placed sends it; refused ends it, never sent', async (t) => {
  const held = given(created(withdrawal)).when({ type: 'hold_placed', data: { at: t0 + 5, timing } });
  held.emits(t, ['withdrawal_hold_placed']);
  t.match(held.after.order, { status: 'sending', submissions: 1, nextQueryAt: t0 + 1_005 });
  const refused = given(created(withdrawal)).when({ type: 'hold_refused', data: { code: 'insufficient_funds', detail: 'x', at: t0 + 5 } });
  refused.emits(t, ['order_refused']);
  t.match(refused.after.order, { status: 'refused', refusal: { code: 'insufficient_funds' }, nextQueryAt: null });
  given(created(withdrawal), ...(refused.decision as BankOrderEvent[])).when(result('succeeded')).rejects(t, 'bank_order_not_sent', '2. refused, never sent');
  given(created(withdrawal)).when(result('succeeded')).rejects(t, 'bank_order_not_sent', 'still holding');
});

t.test('a conversion at the bank: given its order, when created, then it holds the source first, in the source currency; the hold placed sends it', async (t) => {
  const conversion: BankOrderPayload = { kind: 'conversion', account: 'sam', amount: 100_00n, transferId: 'sys.fx.c1.out', currency: 'USD', toAccount: 'yuki', toAmount: 15_137n, toCurrency: 'JPY', toTransferId: 'sys.fx.c1.in', rate: '151.37' };
  t.match(given().when(create(conversion)).after.order, { status: 'holding', submissions: 0, nextQueryAt: null }, 'nothing is sent before the hold');
  t.equal(orderCurrency(conversion), 'USD', 'the order is in the source currency: the bank states it in its result');
  const held = given(created(conversion)).when({ type: 'hold_placed', data: { at: t0 + 5, timing } });
  held.emits(t, ['withdrawal_hold_placed']);
  t.match(held.after.order, { status: 'sending', submissions: 1 });
  // A result in the target's currency is not this order's
  given(created(conversion), ...(held.decision as BankOrderEvent[])).when({ type: 'bank_result', data: { result: { outcome: 'succeeded', code: null, detail: null, bankTxnId: 'BK1', completedAt: null, via: 'callback', currency: 'JPY', receivedAt: t0 + 9 } } }).rejects(t, 'bank_currency_mismatch');
  given(created(conversion)).when(create({ ...conversion, toAmount: 15_138n })).rejects(t, 'id_reused_with_different_content', 'another amount paid is another order');
});

t.test('bank_result: precedence; the first result stands; a callback may overtake "accepted"', async (t) => {
  given().when(result('succeeded')).rejects(t, 'bank_order_not_found', '1.');
  const done = given(created()).when(result('succeeded'));
  done.emits(t, ['order_completed'], '4. from sending: the result overtook the accepted answer');
  const completed = [created(), ...(done.decision as BankOrderEvent[])];
  given(...completed).when(result('succeeded', 'query')).then(t, [], '3. the same outcome again (a duplicate, or the query after the callback)');
  const conflict = given(...completed).when(result('failed'));
  conflict.emits(t, ['order_result_conflict'], '3. a contradicting result is recorded for ops');
  t.match(conflict.after.order, { status: 'succeeded', conflict: { outcome: 'failed' } });
  given(...completed, ...(conflict.decision as BankOrderEvent[])).when(result('failed')).then(t, [], 'recorded once');
  given(...completed).when({ type: 'submission_accepted', data: { at: t0 + 20 } }).then(t, [], 'the late "accepted" changes nothing');
  t.match(done.after.order, { status: 'succeeded', nextQueryAt: null, result: { via: 'callback' } });
});

t.test('the sweep: due queries only while out, doubling up to the max; missing at the bank → resubmitted', async (t) => {
  given(created()).when({ type: 'query_due', data: { at: t0 + 999, timing } }).then(t, [], 'not due yet');
  const first = given(created()).when({ type: 'query_due', data: { at: t0 + 1_000, timing } });
  first.then(t, [{ type: 'order_query_sent', data: { orderNo: 'o1', at: t0 + 1_000, nextQueryAt: t0 + 3_000 } }]);
  let events = [created(), ...(first.decision as BankOrderEvent[])];
  const second = given(...events).when({ type: 'query_due', data: { at: t0 + 3_000, timing } });
  t.match(second.after.order, { queries: 2, nextQueryAt: t0 + 7_000 }, 'doubling');
  events = [...events, ...(second.decision as BankOrderEvent[])];
  const third = given(...events).when({ type: 'query_due', data: { at: t0 + 7_000, timing } });
  t.match(third.after.order, { queries: 3, nextQueryAt: t0 + 12_000 }, 'capped at queryIntervalMaxMs');
  given(created()).when({ type: 'missing_at_bank', data: { at: t0 + 1_000 } }).emits(t, ['order_resubmitted']);
  const completed = [created(), ...(given(created()).when(result('failed')).decision as BankOrderEvent[])];
  given(...completed).when({ type: 'query_due', data: { at: t0 + 99_000, timing } }).then(t, [], 'a completed order is not swept');
  given(...completed).when({ type: 'missing_at_bank', data: { at: t0 } }).then(t, []);
  given(created()).when({ type: 'submission_refused', data: { code: 'invalid_request', detail: 'x', at: t0 + 1 } }).emits(t, ['order_completed'], 'a refused request fails the order');
  given(...completed).when({ type: 'posting_refused', data: { code: 'credit_account_closed', detail: 'x', at: t0 } }).emits(t, ['order_posting_refused']);
});

t.test('given an order in JPY, when the bank says it booked another currency, then bank_currency_mismatch before anything else; none stated is taken as the order\'s', async (t) => {
  const inYen: BankOrderPayload = { ...deposit, amount: 1_200n, currency: 'JPY' };
  const stated = (currency: string | undefined, outcome: 'succeeded' | 'failed' = 'succeeded'): BankOrderCommand => {
    const plain = result(outcome) as Extract<BankOrderCommand, { type: 'bank_result' }>;
    return { type: 'bank_result', data: { result: { ...plain.data.result, ...(currency === undefined ? {} : { currency }) } } };
  };
  given(created(inYen)).when(stated('USD')).rejects(t, 'bank_currency_mismatch', '2. another currency: not this order\'s result');
  given(created(withdrawal)).when(stated('JPY')).rejects(t, 'bank_currency_mismatch', '2. before 3. (still holding): a CNY order, the bank says JPY');
  given().when(stated('USD')).rejects(t, 'bank_order_not_found', '1. before 2.');
  given(created(inYen)).when(stated('JPY')).emits(t, ['order_completed'], 'its own currency completes it');
  given(created(inYen)).when(stated(undefined)).emits(t, ['order_completed'], 'none stated (a bank before currencies): taken as the order\'s');
  given(created(deposit)).when(stated('CNY')).emits(t, ['order_completed'], 'an order without a currency is in CNY');
  const done = [created(inYen), ...(given(created(inYen)).when(stated('JPY')).decision as BankOrderEvent[])];
  given(...done).when(stated('USD', 'failed')).rejects(t, 'bank_currency_mismatch', 'a completed order: no conflict is recorded from another currency\'s result');
});

t.test('orderCurrency: the payload\'s, else CNY (orders before currencies, lending\'s batches); currencyField names none for CNY so old payloads stay equal', async (t) => {
  t.equal(orderCurrency({ ...deposit, currency: 'KWD' }), 'KWD');
  t.equal(orderCurrency(deposit), 'CNY');
  t.equal(orderCurrency({ kind: 'disbursement', items: [{ ref: 'c1', from: 'a', to: 'b', amount: 1n }] }), 'CNY');
  t.same(currencyField('CNY'), {});
  t.same(currencyField('JPY'), { currency: 'JPY' });
  given(created(deposit)).when(create({ ...deposit, ...currencyField('CNY') })).then(t, [], 'a retry of an old CNY order is the same order');
  given(created(deposit)).when(create({ ...deposit, currency: 'USD' })).rejects(t, 'id_reused_with_different_content', 'the same number in another currency is other content');
});
