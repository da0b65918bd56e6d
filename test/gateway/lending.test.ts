import t, { type Test } from 'tap';
import { defaultProduct, type LoanProduct } from '../../core/lending/schedule/product.js';
import { FakeBank } from '../helpers/fake-bank.js';
import { gateway, journalFingerprint, opsKey, type GatewayHarness } from '../helpers/gateway.js';

const ops = { authorization: `Bearer ${opsKey}` };
const daily365: LoanProduct = { ...defaultProduct, name: 'daily365', dayCount: 'ACT/365F', interestPeriod: 'daily', rounding: 'half_up', installmentMultipleMinor: 100n };

/** Wallets funded from a test bank account, a borrower, and a 2-shard pool on a simulated clock. */
async function lendingGateway(t: Test, bank = new FakeBank()): Promise<GatewayHarness & { bank: FakeBank }> {
  const h = await gateway(t, { bank, businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2, products: [defaultProduct, daily365] } });
  await h.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true });
  for (const [id, amount] of [['alice', '1000.00'], ['bob', '50.00']] as const) {
    await h.post('/v1/accounts', { id, kind: 'investor_wallet' });
    await h.post('/v1/transfers', { id: `fund-${id}`, debit: 'bank', credit: id, amount });
  }
  await h.post('/v1/accounts', { id: 'carol', kind: 'borrower_wallet' });
  await h.quiescent();
  return { ...h, bank };
}

async function until(h: GatewayHarness, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await h.quiescent();
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('the condition never held');
}

t.test('POST /v1/investments: 201 once active; the same again is byte for byte the same; GET shows the capital', async (t) => {
  const h = await lendingGateway(t);
  const first = await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '600.00', termDays: 365 });
  t.equal(first.statusCode, 201);
  t.match(first.json(), { id: 'i1', investor: 'alice', amount: '600.00', termDays: 365, placedOn: '2030-01-01', maturityDate: '2031-01-01', status: 'active', capitalId: 'cap-i1' });
  const again = await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '600.00', termDays: 365 });
  t.equal(again.statusCode, 201);
  t.equal(again.body, first.body);
  const reused = await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '600.01', termDays: 365 });
  t.equal(reused.statusCode, 409);
  t.equal(reused.json().error.code, 'id_reused_with_different_content');
  const got = await h.get('/v1/investments/i1');
  t.match(got.json(), { status: 'active', capital: { principal: '600.00', matched: '0.00', reserved: '0.00', available: '600.00', status: 'normal', property: 'principal', source: 'new' } });
  t.equal((await h.get('/v1/accounts/alice')).json().total, '400.00');
  const poor = await h.post('/v1/investments', { id: 'i2', investor: 'bob', amount: '60.00', termDays: 30 });
  t.equal(poor.statusCode, 422);
  t.equal(poor.json().error.code, 'insufficient_funds');
  const poorAgain = await h.post('/v1/investments', { id: 'i2', investor: 'bob', amount: '60.00', termDays: 30 });
  t.equal(poorAgain.statusCode, 422, 'still too poor: refused again');
  t.match((await h.get('/v1/investments/i2')).json(), { status: 'failed', failure: { code: 'insufficient_funds' } });
  t.equal((await h.post('/v1/investments', { id: 'i2', investor: 'bob', amount: '60.01', termDays: 30 })).statusCode, 409, 'other content under the id: 409');
  await h.post('/v1/transfers', { id: 'fund-bob-2', debit: 'bank', credit: 'bob', amount: '20.00' });
  await h.quiescent();
  const rich = await h.post('/v1/investments', { id: 'i2', investor: 'bob', amount: '60.00', termDays: 30 });
  t.equal(rich.statusCode, 201, 'once the money is there, the same id is placed');
  t.equal((await h.get('/v1/accounts/bob')).json().total, '10.00');
  t.equal((await h.get('/v1/investments/nope')).json().error.code, 'investment_not_found');
});

t.test('loans: publish 201 (idempotent), matching into claims, approval with the ops key only, disbursement, schedule', async (t) => {
  const h = await lendingGateway(t);
  await h.post('/v1/investments', { id: 'i1', investor: 'alice', amount: '600.00', termDays: 365 });
  const loan = { id: 'L1', borrower: 'carol', amount: '500.00', annualRate: '0.0825', termMonths: 6, method: 'equal_principal' };
  const published = await h.post('/v1/loans', loan);
  t.equal(published.statusCode, 201);
  t.same(published.json(), { id: 'L1', borrower: 'carol', amount: '500.00', annualRate: '0.0825', termMonths: 6, method: 'equal_principal', product: 'standard', publishedOn: '2030-01-01', publishedAt: published.json().publishedAt, status: 'matching' });
  t.equal((await h.post('/v1/loans', loan)).body, published.body);
  await until(h, async () => (await h.get('/v1/loans/L1')).json().status === 'funded');
  const funded = (await h.get('/v1/loans/L1')).json();
  t.match(funded, { status: 'funded', reserved: '500.00', remaining: '0.00', claims: [{ orderNo: 'L1/c1', investmentId: 'i1', capitalId: 'cap-i1', investor: 'alice', borrower: 'carol', amount: '500.00', status: 'pre_processing', property: 'principal', days: null, loanRepayDate: null, lastOrderNo: null, transferred: false }] });
  t.equal((await h.get('/v1/loans/L1/schedule')).json().error.code, 'plan_not_found');
  const byClient = await h.post('/v1/loans/L1/approve');
  t.equal(byClient.statusCode, 403);
  t.equal(byClient.json().error.code, 'forbidden');
  await h.post('/ops/clock', { advanceDays: 9 }, ops);
  const approved = await h.post('/v1/loans/L1/approve', undefined, ops);
  t.equal(approved.statusCode, 200);
  t.match(approved.json(), { id: 'L1', status: 'approved', approvedOn: '2030-01-10', startDate: '2030-01-10', maturityDate: '2030-07-10' });
  t.equal((await h.post('/v1/loans/L1/approve', undefined, ops)).body, approved.body, 'approving again answers the same');
  await until(h, async () => h.bank.pending('disbursement').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('disb-L1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/loans/L1')).json().status === 'repaying');
  const repaying = (await h.get('/v1/loans/L1')).json();
  t.match(repaying, { status: 'repaying', disbursement: { orderNo: 'disb-L1', stage: 'succeeded' }, plan: { planId: 'plan-L1', periods: 6 }, claims: [{ status: 'matched', days: 181, loanRepayDate: '2030-07-10' }] });
  const schedule = (await h.get('/v1/loans/L1/schedule')).json();
  t.match(schedule, { planId: 'plan-L1', method: 'equal_principal', amount: '500.00', startDate: '2030-01-10', maturityDate: '2030-07-10', asOf: '2030-01-10', principalOutstanding: '500.00', product: { name: 'standard', dayCount: '30/360', rounding: 'half_even' } });
  t.equal(schedule.periods.length, 6);
  t.same(schedule.periods[0], { number: 1, startDate: '2030-01-10', dueDate: '2030-02-10', principal: '83.33', interest: '3.44', total: '86.77', remaining: '416.67', status: 'due', penaltyAccrued: '0.00', paid: null, compensated: null }, '500 × 8.25 % / 12 = 3.4375 → 3.44');
  t.match(schedule.periods[5], { number: 6, dueDate: '2030-07-10', principal: '83.35', remaining: '0.00' }, 'the last absorbs the rounding');
  await h.post('/ops/clock', { advanceDays: 41 }, ops);
  const late = (await h.get('/v1/loans/L1/schedule')).json();
  t.match(late.periods[0], { status: 'overdue', penaltyAccrued: '0.43' }, 'read on 02-20: 10 days late, 86.77 × 0.05 % × 10 = 0.43');
  t.match(late.periods[1], { status: 'due' });
  const claims = (await h.get('/v1/investments/i1/claims')).json();
  t.match(claims, { investmentId: 'i1', claims: [{ orderNo: 'L1/c1', status: 'matched', amount: '500.00' }] });
  t.match((await h.get('/v1/investments/i1')).json().capital, { matched: '500.00', reserved: '0.00', available: '100.00' });
  t.equal((await h.get('/v1/accounts/carol')).json().total, '500.00');
  const transfer = (await h.get('/v1/transfers/sys.disb.L1')).json();
  t.match(transfer, { status: 'posted', debit: 'sys.pool', credit: 'carol', amount: '500.00' }, 'the disbursement is a ledger transfer anyone may read');
  t.equal((await h.post('/v1/transfers/sys.disb.L1/reverse')).json().error.code, 'system_account_protected', 'but no client may undo it');
});

t.test('loans name a product: it is shown with the loan and fixes the schedule conventions', async (t) => {
  const h = await lendingGateway(t);
  const published = await h.post('/v1/loans', { id: 'L9', borrower: 'carol', amount: '500.00', annualRate: '0.0825', termMonths: 6, method: 'equal_installment', product: 'daily365' });
  t.equal(published.statusCode, 201);
  t.equal(published.json().product, 'daily365');
  const other = await h.post('/v1/loans', { id: 'L9', borrower: 'carol', amount: '500.00', annualRate: '0.0825', termMonths: 6, method: 'equal_installment' });
  t.equal(other.json().error?.code, 'id_reused_with_different_content', 'the same id under the default product is other content');
});

t.test('the business clock: read and moved by ops in simulation mode; refusals', async (t) => {
  const h = await lendingGateway(t);
  t.same((await h.get('/ops/clock', ops)).json(), { mode: 'sim', date: '2030-01-01' });
  t.equal((await h.get('/ops/clock')).statusCode, 403, 'the client key is not enough');
  t.same((await h.post('/ops/clock', { date: '2030-02-01' }, ops)).json(), { mode: 'sim', date: '2030-02-01' });
  t.same((await h.post('/ops/clock', { advanceDays: 28 }, ops)).json(), { mode: 'sim', date: '2030-03-01' });
  const cases: [object, number, string][] = [
    [{ date: '2030-01-01' }, 409, 'clock_cannot_go_back'],
    [{ date: '2030-02-30' }, 400, 'business_date_invalid'],
    [{ advanceDays: 0 }, 400, 'clock_advance_out_of_range'],
    [{}, 400, 'invalid_field'],
    [{ date: '2030-04-01', advanceDays: 1 }, 400, 'invalid_field'],
    [{ days: 1 }, 400, 'unknown_field'],
  ];
  for (const [body, status, code] of cases) {
    const response = await h.post('/ops/clock', body, ops);
    t.equal(response.statusCode, status, JSON.stringify(body));
    t.equal(response.json().error.code, code);
  }
  const wall = await gateway(t);
  const refused = await wall.post('/ops/clock', { advanceDays: 1 }, ops);
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().error.code, 'clock_not_simulated');
});

t.test('deposits and withdrawals over HTTP: 201 with the order as created; GET follows it; the withdrawal\'s refusal is a 422', async (t) => {
  const h = await lendingGateway(t);
  t.equal((await h.post('/v1/deposits', { id: 'd1', account: 'alice', amount: '10.00' })).json().error.code, 'depository_account_not_open');
  const opened = await h.post('/v1/depository-accounts', { id: 'alice', account: 'alice' });
  t.equal(opened.statusCode, 201);
  t.match(opened.json(), { id: 'alice', orderNo: 'open-alice', kind: 'open_account', account: 'alice' });
  await until(h, async () => h.bank.pending('open_account').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('open-alice', 'succeeded'));
  await until(h, async () => (await h.get('/v1/depository-accounts/alice')).json().status === 'open');
  const deposit = await h.post('/v1/deposits', { id: 'd1', account: 'alice', amount: '10.00' });
  t.equal(deposit.statusCode, 201);
  t.same(Object.keys(deposit.json()).sort(), ['account', 'amount', 'businessDate', 'createdAt', 'currency', 'id', 'kind', 'orderNo']);
  t.equal((await h.post('/v1/deposits', { id: 'd1', account: 'alice', amount: '10.00' })).body, deposit.body);
  await until(h, async () => h.bank.pending('deposit').length === 1);
  await h.node.bank.handleCallback(h.bank.complete('dep-d1', 'succeeded'));
  await until(h, async () => (await h.get('/v1/deposits/d1')).json().status === 'succeeded');
  t.match((await h.get('/v1/deposits/d1')).json(), { status: 'succeeded', result: { outcome: 'succeeded', via: 'callback' } });
  t.equal((await h.get('/v1/accounts/alice')).json().total, '1010.00');
  const withdrawal = await h.post('/v1/withdrawals', { id: 'w1', account: 'alice', amount: '1000.00' });
  t.equal(withdrawal.statusCode, 201);
  const tooMuch = await h.post('/v1/withdrawals', { id: 'w2', account: 'alice', amount: '20.00' });
  t.equal(tooMuch.statusCode, 422);
  t.equal(tooMuch.json().error.code, 'insufficient_funds');
  t.equal((await h.post('/v1/withdrawals', { id: 'w2', account: 'alice', amount: '20.00' })).body, tooMuch.body);
  t.match((await h.get('/v1/withdrawals/w1')).json(), { kind: 'withdrawal', status: /^(sending|accepted)$/ });
  t.equal((await h.get('/v1/withdrawals/nope')).json().error.code, 'withdrawal_not_found');
  t.equal((await h.get('/v1/deposits/nope')).json().error.code, 'deposit_not_found');
});

type BadRequest = { name: string; method?: 'GET' | 'POST'; url: string; payload?: object | string; headers?: Record<string, string>; status: number; code: string };

const investment = (patch: object) => ({ id: 'x1', investor: 'alice', amount: '10.00', termDays: 30, ...patch });
const loan = (patch: object) => ({ id: 'x1', borrower: 'carol', amount: '500.00', annualRate: '0.08', termDays: 90, method: 'bullet', ...patch });

const badRequests: BadRequest[] = [
  { name: 'investment: amount as a number', url: '/v1/investments', payload: investment({ amount: 10 }), status: 400, code: 'invalid_field' },
  { name: 'investment: unknown field', url: '/v1/investments', payload: investment({ rate: '0.1' }), status: 400, code: 'unknown_field' },
  { name: 'investment: missing termDays', url: '/v1/investments', payload: { id: 'x1', investor: 'alice', amount: '10.00' }, status: 400, code: 'missing_field' },
  { name: 'investment: fractional termDays', url: '/v1/investments', payload: investment({ termDays: 1.5 }), status: 400, code: 'invalid_field' },
  { name: 'investment: termDays 0', url: '/v1/investments', payload: investment({ termDays: 0 }), status: 400, code: 'investment_term_out_of_range' },
  { name: 'investment: below 1.00', url: '/v1/investments', payload: investment({ amount: '0.99' }), status: 400, code: 'investment_amount_out_of_range' },
  { name: 'investment: exponent amount', url: '/v1/investments', payload: investment({ amount: '1e3' }), status: 400, code: 'amount_invalid_format' },
  { name: 'investment: unknown investor', url: '/v1/investments', payload: investment({ investor: 'nobody' }), status: 422, code: 'investor_not_found' },
  { name: 'investment: a borrower invests', url: '/v1/investments', payload: investment({ investor: 'carol' }), status: 422, code: 'account_kind_not_allowed' },
  { name: 'investment: id of 49 characters', url: '/v1/investments', payload: investment({ id: 'x'.repeat(49) }), status: 400, code: 'invalid_field' },
  { name: 'investment: header id of 49 characters', url: '/v1/investments', payload: { investor: 'alice', amount: '10.00', termDays: 30 }, headers: { 'idempotency-key': 'x'.repeat(49) }, status: 400, code: 'invalid_field' },
  { name: 'investment: no id', url: '/v1/investments', payload: { investor: 'alice', amount: '10.00', termDays: 30 }, status: 400, code: 'missing_id' },
  { name: 'loan: below 100.00', url: '/v1/loans', payload: loan({ amount: '99.99' }), status: 400, code: 'loan_amount_out_of_range' },
  { name: 'loan: rate with a percent sign', url: '/v1/loans', payload: loan({ annualRate: '8%' }), status: 400, code: 'annual_rate_invalid' },
  { name: 'loan: rate as a number', url: '/v1/loans', payload: loan({ annualRate: 0.08 }), status: 400, code: 'invalid_field' },
  { name: 'loan: rate above 36 %', url: '/v1/loans', payload: loan({ annualRate: '0.3601' }), status: 400, code: 'annual_rate_out_of_range' },
  { name: 'loan: both terms', url: '/v1/loans', payload: loan({ termMonths: 3 }), status: 400, code: 'loan_term_must_be_days_or_months' },
  { name: 'loan: no term', url: '/v1/loans', payload: { id: 'x1', borrower: 'carol', amount: '500.00', annualRate: '0.08', method: 'bullet' }, status: 400, code: 'loan_term_must_be_days_or_months' },
  { name: 'loan: 61 months', url: '/v1/loans', payload: loan({ termDays: undefined, termMonths: 61 }), status: 400, code: 'loan_term_out_of_range' },
  { name: 'loan: unknown method', url: '/v1/loans', payload: loan({ method: 'balloon' }), status: 400, code: 'repayment_method_unknown' },
  { name: 'loan: unknown product', url: '/v1/loans', payload: loan({ product: 'payday' }), status: 400, code: 'loan_product_unknown' },
  { name: 'loan: product as a number', url: '/v1/loans', payload: loan({ product: 7 }), status: 400, code: 'invalid_field' },
  { name: 'loan: unknown borrower', url: '/v1/loans', payload: loan({ borrower: 'nobody' }), status: 422, code: 'borrower_not_found' },
  { name: 'loan: an investor borrows', url: '/v1/loans', payload: loan({ borrower: 'alice' }), status: 422, code: 'account_kind_not_allowed' },
  { name: 'loan: unknown field', url: '/v1/loans', payload: loan({ purpose: 'car' }), status: 400, code: 'unknown_field' },
  { name: 'approve: unknown loan', url: '/v1/loans/nope/approve', headers: { authorization: `Bearer ${opsKey}` }, status: 404, code: 'loan_not_found' },
  { name: 'approve: not funded', url: '/v1/loans/L0/approve', headers: { authorization: `Bearer ${opsKey}` }, status: 409, code: 'loan_not_funded' },
  { name: 'approve: client key', url: '/v1/loans/L0/approve', status: 403, code: 'forbidden' },
  { name: 'loan: unknown', method: 'GET', url: '/v1/loans/nope', status: 404, code: 'loan_not_found' },
  { name: 'loan: bad id in the path', method: 'GET', url: '/v1/loans/a%20b', status: 400, code: 'invalid_field' },
  { name: 'schedule: unknown loan', method: 'GET', url: '/v1/loans/nope/schedule', status: 404, code: 'loan_not_found' },
  { name: 'claims: unknown investment', method: 'GET', url: '/v1/investments/nope/claims', status: 404, code: 'investment_not_found' },
  { name: 'deposit: unknown account', url: '/v1/deposits', payload: { id: 'd1', account: 'nobody', amount: '1.00' }, status: 404, code: 'account_not_found' },
  { name: 'deposit: not a wallet', url: '/v1/deposits', payload: { id: 'd1', account: 'bank', amount: '1.00' }, status: 422, code: 'account_kind_not_allowed' },
  { name: 'deposit: no depository account', url: '/v1/deposits', payload: { id: 'd1', account: 'alice', amount: '1.00' }, status: 409, code: 'depository_account_not_open' },
  { name: 'deposit: zero', url: '/v1/deposits', payload: { id: 'd1', account: 'alice', amount: '0.00' }, status: 400, code: 'amount_must_be_positive' },
  { name: 'withdrawal: too precise', url: '/v1/withdrawals', payload: { id: 'w1', account: 'alice', amount: '1.001' }, status: 400, code: 'amount_too_precise' },
  { name: 'depository account: a system account', url: '/v1/depository-accounts', payload: { id: 'o1', account: 'sys.pool' }, status: 422, code: 'account_kind_not_allowed' },
  { name: 'sys. ids are reserved: account', url: '/v1/accounts', payload: { id: 'sys.mine', kind: 'investor_wallet' }, status: 400, code: 'id_reserved' },
  { name: 'sys. ids are reserved: transfer', url: '/v1/transfers', payload: { id: 'sys.inv.i9', debit: 'alice', credit: 'bob', amount: '1.00' }, status: 400, code: 'id_reserved' },
  { name: 'system accounts: no client debit', url: '/v1/transfers', payload: { id: 't1', debit: 'sys.pool', credit: 'alice', amount: '1.00' }, status: 403, code: 'system_account_protected' },
  { name: 'system accounts: no client credit', url: '/v1/transfers', payload: { id: 't1', debit: 'alice', credit: 'sys.bank', amount: '1.00' }, status: 403, code: 'system_account_protected' },
  { name: 'system accounts: no close', url: '/v1/accounts/sys.pool/close', status: 403, code: 'system_account_protected' },
  { name: 'clock: client key', url: '/ops/clock', payload: { advanceDays: 1 }, status: 403, code: 'forbidden' },
];

t.test('bad lending input: a 4xx with a stable code, and the journal unchanged', async (t) => {
  const h = await lendingGateway(t);
  await h.post('/v1/loans', loan({ id: 'L0', amount: '900.00' }));
  await h.quiescent();
  for (const c of badRequests) {
    const before = journalFingerprint(h.journal);
    const response = await h.call({ method: c.method ?? 'POST', url: c.url, ...(c.payload === undefined ? {} : { payload: c.payload }), headers: c.headers ?? {} });
    t.equal(response.statusCode, c.status, `${c.name}: status`);
    t.equal(response.json().error?.code, c.code, `${c.name}: ${c.code}`);
    await h.quiescent();
    t.equal(journalFingerprint(h.journal), before, `${c.name}: nothing changed`);
  }
});
