import t, { type Test } from 'tap';
import { defaultProduct } from '../../core/lending/schedule/product.js';
import { opsHeaders as ops, repayingLoan, totalOf as total, until } from '../helpers/repaying-loan.js';


t.test('POST /v1/loans/:id/repayments: held, sent to the bank as a batch, split on the callback; the books balance', async (t) => {
  const h = await repayingLoan(t);
  t.equal(await total(h, 'carol'), '8000.00');
  await h.post('/ops/clock', { date: '2030-01-25' }, ops);
  const first = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.equal(first.statusCode, 202, 'under way');
  t.match(first.json(), { id: 'r1', kind: 'due', period: 1, principal: '1000.00', interest: '30.00', penalty: '0.00', total: '1030.00', status: 'holding', split: { toPool: '1000.00', toInterestPools: '30.00', toRevenue: '0.00' } });
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'r2' })).json().error.code, 'repayment_in_progress', 'one payment at a time');
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'r1', amount: '1.00' })).json().error.code, 'id_reused_with_different_content');
  await until(h, async () => h.bank.pending('repayment').length === 1);
  const order = h.bank.pending('repayment')[0];
  t.same(order?.items.map((i) => [i.from, i.to, i.amount]), [['carol', 'alice', 686_67n], ['carol', 'bob', 343_33n]], 'one item per claim, principal and interest to the investor');
  t.equal(await total(h, 'carol'), '8000.00', 'held, not yet moved');
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'succeeded');
  await h.quiescent();
  const again = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.equal(again.statusCode, 201, 'repeated once done: the outcome');
  t.match(again.json().loan, { status: 'repaying', principalOutstanding: '2000.00', currentPeriod: { number: 2 } });
  t.equal(await total(h, 'carol'), '6970.00');
  t.equal(await total(h, 'sys.transit'), '0.00', 'nothing left in transit');
  t.equal(await total(h, 'sys.ipool'), '30.00');
  t.equal(await total(h, 'sys.pool'), '1000.00', 'the principal is back in the pool');
  t.match((await h.get('/v1/investors/alice/interest-pool')).json(), { balance: '20.00', flows: [{ type: 11, amount: '20.00', ref: 'L1/c1' }] });
  t.match((await h.get('/v1/investors/bob/interest-pool')).json(), { balance: '10.00' });
  const schedule = (await h.get('/v1/loans/L1/schedule')).json();
  t.same(schedule.periods.map((p: { status: string }) => p.status), ['paid', 'due', 'due'], 'the plan the borrower sees records the payment');
  const loan = (await h.get('/v1/loans/L1')).json();
  t.same(loan.claims.map((c: { principalOutstanding: string }) => c.principalOutstanding), ['1333.33', '666.67']);
  const capital = await h.node.system.ask('pool:0', { type: 'get_shard' });
  const capital1 = await h.node.system.ask('pool:1', { type: 'get_shard' });
  const reinvest = [capital, capital1].flatMap((r) => (r.ok ? [...(r.value as { capitals: Map<string, { id: string; source: string; principal: bigint }> }).capitals.values()] : [])).filter((c) => c.source === 'repayment_reinvest');
  t.same(reinvest.map((c) => [c.id, c.principal]).sort(), [['L1/c1:r1', 666_67n], ['L1/c2:r1', 333_33n]], 'each claim\'s principal is repayment-reinvest capital of its investment');
});

t.test('a declined repayment leaves the period unpaid and the money where it was; bad input changes nothing', async (t) => {
  const h = await repayingLoan(t);
  for (const [body, status, code] of [
    [{ id: 'x', amount: '1.001' }, 400, 'amount_too_precise'],
    [{ id: 'x', amount: '-5' }, 400, 'amount_must_be_positive'],
    [{ id: 'x', amount: '100.00' }, 422, 'repayment_amount_below_due'],
    [{ id: 'x', extra: 1 }, 400, 'unknown_field'],
  ] as const) {
    const response = await h.post('/v1/loans/L1/repayments', body);
    t.equal(response.statusCode, status, JSON.stringify(body));
    t.equal(response.json().error.code, code);
  }
  t.equal((await h.post('/v1/loans/nope/repayments', { id: 'x' })).json().error.code, 'loan_not_found');
  t.equal((await h.post('/v1/loans/L1/repayments')).json().error.code, 'missing_id', 'no body and no Idempotency-Key: nothing names the payment');
  const byHeader = await h.post('/v1/loans/L1/repayments', undefined, { 'idempotency-key': 'r0' });
  t.equal(byHeader.statusCode, 202, 'no body: the header names a payment of what is due');
  t.match(byHeader.json(), { id: 'r0', kind: 'due', total: '1030.00' });
  await until(h, async () => h.bank.pending('repayment').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'failed'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r0')).json().status === 'failed');
  await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  await until(h, async () => h.bank.pending('repayment').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-2', 'failed'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'failed');
  await h.quiescent();
  const failed = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.equal(failed.statusCode, 422);
  t.equal(failed.json().error.code, 'repayment_failed');
  t.equal(await total(h, 'carol'), '8000.00');
  t.equal((await h.get('/v1/accounts/carol')).json().frozen, '0.00', 'the hold was voided');
  t.match((await h.get('/v1/loans/L1')).json().repayment, { principalOutstanding: '3000.00', currentPeriod: { number: 1 } });
});

t.test('compensation (ops): the guarantee pays an overdue period, proceeds reinvest as compensation capital; the borrower later repays the guarantee', async (t) => {
  const h = await repayingLoan(t);
  const opened = await h.node.bank.openPlatformDepositoryAccount('sys.guarantee');
  t.match(opened, { ok: true, value: { orderNo: 'open-sys.guarantee', payload: { kind: 'open_account', account: 'sys.guarantee' } } }, 'the guarantee\'s depository account (npm start opens it, and revenue\'s)');
  t.equal((await h.post('/v1/loans/L1/compensations', { id: 'c1', period: 1 })).statusCode, 403, 'ops only');
  const early = await h.post('/v1/loans/L1/compensations', { id: 'c1', period: 1 }, ops);
  t.equal(early.json().error.code, 'period_not_overdue');
  await h.post('/ops/clock', { date: '2030-02-05' }, ops);
  const compensated = await h.post('/v1/loans/L1/compensations', { id: 'c1', period: 1 }, ops);
  t.equal(compensated.statusCode, 202);
  t.match(compensated.json(), { kind: 'compensation', payer: 'guarantee', total: '1030.00' });
  await until(h, async () => h.bank.pending('repayment').length === 1);
  t.equal(h.bank.pending('repayment')[0]?.items[0]?.from, 'sys.guarantee');
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/c1')).json().status === 'succeeded');
  await h.quiescent();
  t.equal(await total(h, 'sys.guarantee'), '-1030.00', 'the guarantee advanced the period: the debt it acquired');
  t.match((await h.get('/v1/loans/L1')).json().repayment, { principalOutstanding: '2000.00', guaranteeOwed: '1030.00', currentPeriod: { number: 2 } });
  t.same((await h.get('/v1/loans/L1/schedule')).json().periods.map((p: { status: string }) => p.status), ['compensated', 'due', 'due']);
  t.match((await h.get('/v1/investors/alice/interest-pool')).json(), { flows: [{ type: 12, amount: '20.00' }] });
  await h.post('/ops/clock', { date: '2030-02-11' }, ops);
  const debt = await h.post('/v1/loans/L1/repayments', { id: 'r1' });
  t.match(debt.json(), { kind: 'debt', period: 1, principal: '1000.00', interest: '30.00', penalty: '5.15', total: '1035.15', split: null });
  await until(h, async () => h.bank.pending('repayment').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-2', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/r1')).json().status === 'succeeded');
  await h.quiescent();
  t.equal(await total(h, 'sys.guarantee'), '5.15', 'paid back, with the penalty');
  t.match((await h.get('/v1/loans/L1')).json().repayment, { guaranteeOwed: '0.00', currentPeriod: { number: 2 } });
  t.same((await h.get('/v1/loans/L1/schedule')).json().periods.map((p: { status: string }) => p.status), ['paid', 'due', 'due'], 'repaid to the guarantee: the period reads paid; period 2 (due 2030-03-01) is not overdue on 2030-02-11');
});

t.test('GET /v1/loans/:id/payoff: the quote of a day; a repayment of it that day settles the loan and every claim', async (t) => {
  const h = await repayingLoan(t);
  await h.post('/ops/clock', { date: '2030-01-16' }, ops);
  const quote = await h.get('/v1/loans/L1/payoff');
  t.equal(quote.statusCode, 200);
  t.same(quote.json(), { loanId: 'L1', on: '2030-01-16', amount: '3015.00', principal: '3000.00', interest: '15.00', penalty: '0.00' }, 'interest to the day (the standard product)');
  t.equal((await h.get('/v1/loans/L1/payoff?on=2030-02-01')).json().error.code, 'early_repayment_date_outside_period', 'on the due date the period is paid first');
  t.equal((await h.get('/v1/loans/L1/payoff?on=2030-13-01')).statusCode, 400);
  t.equal((await h.get('/v1/loans/nope/payoff')).json().error.code, 'loan_not_found');
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'off', amount: '3015.01' })).json().error.code, 'early_repayment_amount_above_balance', 'a cent more is refused');
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'off', amount: '3015.00' })).statusCode, 202);
  await until(h, async () => h.bank.pending('repayment').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/off')).json().status === 'succeeded');
  await h.quiescent();
  const loan = (await h.get('/v1/loans/L1')).json();
  t.equal(loan.status, 'settled');
  t.same(loan.claims.map((c: { principalOutstanding: string }) => c.principalOutstanding), ['0.00', '0.00'], 'every claim paid down to zero');
});

t.test('a product with overpayment return_to_wallet: 3,100.00 on 01-16 closes the loan (3,015.00) and 85.00 comes back to the wallet as a transfer of the same repayment', async (t) => {
  const h = await repayingLoan(t, { ...defaultProduct, name: 'giving', overpayment: 'return_to_wallet' });
  t.match((await h.get('/v1/loans/L1/schedule')).json().product, { name: 'giving', overpayment: 'return_to_wallet' });
  await h.post('/ops/clock', { date: '2030-01-16' }, ops);
  const paid = await h.post('/v1/loans/L1/repayments', { id: 'off', amount: '3100.00' });
  t.equal(paid.statusCode, 202);
  t.match(paid.json(), { kind: 'early', requested: '3100.00', principal: '3000.00', interest: '15.00', total: '3015.00', excess: '85.00', returnTransferId: null });
  await until(h, async () => h.bank.pending('repayment').length === 1);
  t.equal((await h.get('/v1/accounts/carol')).json().frozen, '3100.00', 'held: what the payer sent');
  const items = h.bank.pending('repayment')[0]?.items ?? [];
  t.equal(items.reduce((sum, item) => sum + item.amount, 0n), 3_015_00n, 'the bank moves the pay-off only: the excess never leaves carol\'s account there');
  await h.node.bank.handleCallback(h.bank.complete('rp-L1-1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1/repayments/off')).json().status === 'succeeded');
  await h.quiescent();
  const done = await h.post('/v1/loans/L1/repayments', { id: 'off', amount: '3100.00' });
  t.equal(done.statusCode, 201, 'the same payment again: its outcome');
  t.match(done.json(), { excess: '85.00', returnTransferId: 'sys.rp.L1.1.x', loan: { status: 'settled' } });
  t.match((await h.get('/v1/transfers/sys.rp.L1.1.x')).json(), { status: 'posted', debit: 'sys.transit', credit: 'carol', amount: '85.00', memo: 'excess of off of loan L1 returned' });
  t.equal(await total(h, 'carol'), '4985.00', '8,000.00 − 3,015.00: the wallet paid what closed the loan');
  t.equal((await h.get('/v1/accounts/carol')).json().frozen, '0.00');
  t.equal(await total(h, 'sys.transit'), '0.00', 'nothing left in transit');
  await until(h, async () => (await h.get('/v1/accounts/carol/cashflow')).json().items.some((leg: { transferId: string }) => leg.transferId === 'sys.rp.L1.1.x'));
  const legs = (await h.get('/v1/accounts/carol/cashflow')).json().items.filter((leg: { transferId: string }) => leg.transferId.startsWith('sys.rp.'));
  t.same(legs.map((leg: { transferId: string; side: string; amount: string }) => [leg.transferId, leg.side, leg.amount]), [['sys.rp.L1.1', 'debit', '3100.00'], ['sys.rp.L1.1.x', 'credit', '85.00']], "the wallet's statement: the payment and its linked return");
  t.equal((await h.post('/v1/loans/L1/repayments', { id: 'again', amount: '10.00' })).json().error.code, 'loan_not_repaying');
});
