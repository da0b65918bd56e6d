import t from 'tap';
import { decideLoan } from '../../../../core/lending/loan/decide-loan.js';
import type { LoanEvent } from '../../../../core/lending/loan/events.js';
import { reinvestedSharesOf } from '../../../../core/lending/repayment/decide-repayment-result.js';
import { evolveLoan } from '../../../../core/lending/loan/evolve-loan.js';
import type { LoanState } from '../../../../core/lending/loan/loan.js';
import { isRejection } from '../../../../core/rejection.js';
import { completePayment, drive, holdPlaced, pay, repayingLoan, threeMonthShape } from './loan-fixture.js';

const shape = threeMonthShape;
const code = (decision: ReturnType<typeof decideLoan>) => (isRejection(decision) ? decision.code : `accepted: ${decision.map((e) => e.type).join(',')}`);

t.test('request_repayment: precedence', async (t) => {
  const loan = repayingLoan(shape);
  const requested = drive(loan, pay('r1', '2030-01-20')).state;
  t.equal(code(decideLoan({ ...loan, loan: null }, pay('r1', '2030-01-20'))), 'loan_not_found', '1.');
  t.same(decideLoan(requested, pay('r1', '2030-01-20')), [], '2. the same payment again: duplicate');
  t.equal(code(decideLoan(requested, pay('r1', '2030-01-20', 1n))), 'id_reused_with_different_content', '2. other content');
  t.equal(code(decideLoan({ ...loan, status: 'disbursing' }, pay('r2', '2030-01-20'))), 'loan_not_repaying', '3.');
  t.equal(code(decideLoan(requested, pay('r2', '2030-01-20'))), 'repayment_in_progress', '4. one payment at a time');
  t.equal(code(decideLoan(loan, pay('r2', '2030-01-20', 1_029_99n))), 'repayment_amount_below_due', '5.');
  t.equal(code(decideLoan(loan, pay('r2', '2030-02-01', 1_100_00n))), 'early_repayment_date_outside_period', '6. on the due date, pay what is due');
  t.equal(code(decideLoan(loan, pay('r2', '2030-01-16', 3_100_00n))), 'early_repayment_amount_above_balance', '6.');
  t.equal(code(decideLoan(loan, pay('c1', '2030-02-02', null, 'guarantee', 4))), 'period_not_found', 'compensation 5.');
  t.equal(code(decideLoan(loan, pay('c1', '2030-03-02', null, 'guarantee', 2))), 'earlier_period_open', 'compensation 7.');
  t.equal(code(decideLoan(loan, pay('c1', '2030-02-01', null, 'guarantee', 1))), 'period_not_overdue', 'compensation 8. the due date is still on time');
});

t.test('given a repaying loan, when the borrower pays the due period and the bank succeeds, then the split posts to the holders decided at the request', async (t) => {
  const loan = repayingLoan(shape);
  const { state, events } = completePayment(loan, pay('r1', '2030-01-25'));
  t.same(events.map((e) => e.type), ['repayment_book_opened', 'repayment_requested', 'repayment_sent', 'repayment_succeeded']);
  const requested = events[1] as Extract<LoanEvent, { type: 'repayment_requested' }>;
  t.match(requested.data.repayment, { kind: 'due', period: 1, principal: 1_000_00n, interest: 30_00n, penalty: 0n, total: 1_030_00n, holdTransferId: 'sys.rp.L1.1', orderNo: 'rp-L1-1' });
  t.match(requested.data.repayment.split, { toPool: 1_000_00n, toInterestPools: 20_00n, toRevenue: 10_00n });
  const sent = events[2] as Extract<LoanEvent, { type: 'repayment_sent' }>;
  t.same(
    sent.data.items.map((i) => [i.ref, i.to, i.amount]),
    [
      ['L1/c1', 'alice', 686_67n],
      ['L1/c2', 'bob', 333_33n],
      ['L1/c2/rev', 'sys.revenue', 10_00n],
    ],
    'the bank moves the principal and the investor\'s interest to the investor, interest-claim interest to the platform',
  );
  const succeeded = events[3] as Extract<LoanEvent, { type: 'repayment_succeeded' }>;
  t.equal(succeeded.data.reinvested, undefined, 'the event carries the shard count, not the shares');
  t.match(reinvestedSharesOf(succeeded), [
    { orderNo: 'L1/c1', capital: { content: { id: 'L1/c1:r1', principal: 666_67n, source: 'repayment_reinvest', property: 'principal', investor: 'alice' } }, interestFlow: { investor: 'alice', amount: 20_00n } },
    { orderNo: 'L1/c2', capital: { content: { principal: 333_33n, property: 'interest' } }, interestFlow: null },
  ]);
  t.same(state.claims.map((c) => c.principalOutstanding), [1_333_33n, 666_67n], 'the claims\' outstanding principal went down by their shares');
  t.equal(state.book?.principalOutstanding, 2_000_00n);
  t.equal(state.repaymentInFlight, null);
  t.same(decideLoan(state, pay('r1', '2030-01-25')), [], 'a retry of the paid payment is a duplicate');
});

t.test('a failed bank order leaves the period unpaid; the next payment pays it', async (t) => {
  const loan = repayingLoan(shape);
  const failed = completePayment(loan, pay('r1', '2030-01-25'), 'failed');
  t.same(failed.events.map((e) => e.type).at(-1), 'repayment_failed');
  t.equal(failed.state.book?.open[0]?.number, 1, 'period 1 still open');
  t.same(failed.state.claims.map((c) => c.principalOutstanding), [2_000_00n, 1_000_00n]);
  const refused = drive(drive(loan, pay('r1', '2030-01-25')).state, { type: 'repayment_hold_refused', data: { id: 'r1', code: 'insufficient_funds', detail: 'poor', at: 0 } });
  t.match(refused.state.repayments.get('r1'), { stage: 'failed', failure: { code: 'insufficient_funds' } }, 'a refused hold fails the payment, nothing sent');
  t.same(decideLoan(failed.state, holdPlaced('r1', '2030-01-25')), [], 'a late hold answer for a failed payment changes nothing');
  const again = completePayment(failed.state, pay('r2', '2030-01-26'));
  t.equal(again.state.book?.open[0]?.number, 2);
});

t.test('paying every period settles the loan: every claim finished (repaid), nothing outstanding', async (t) => {
  let state = repayingLoan(shape);
  for (const [i, on] of ['2030-02-01', '2030-03-01', '2030-04-01'].entries()) state = completePayment(state, pay(`r${i}`, on)).state;
  t.equal(state.status, 'settled');
  t.same(state.claims.map((c) => [c.status, c.finishReason, c.principalOutstanding]), [['finished', 'repaid', 0n], ['finished', 'repaid', 0n]]);
  t.equal(code(decideLoan(state, pay('r9', '2030-04-02'))), 'loan_not_repaying');
});

t.test('late: penalty interest from the day after the due date (0.05 % a day on the overdue amount), split like interest', async (t) => {
  const loan = repayingLoan(shape);
  const { events } = completePayment(loan, pay('r1', '2030-02-11'));
  const requested = events[1] as Extract<LoanEvent, { type: 'repayment_requested' }>;
  t.match(requested.data.repayment, { penalty: 5_15n, total: 1_035_15n }, '1,030.00 × 0.0005 × 10 days');
  t.equal(requested.data.repayment.split?.toInterestPools! + requested.data.repayment.split?.toRevenue!, 35_15n);
});

t.test('early repayment: interest to the date, the rest principal, the open periods recomputed; paying it all off settles', async (t) => {
  const loan = repayingLoan(shape);
  const part = completePayment(loan, pay('e1', '2030-01-16', 1_515_00n));
  const repayment = part.state.repayments.get('e1');
  t.match(repayment, { kind: 'early', interest: 15_00n, principal: 1_500_00n }, 'half a month (30/360) of 1 % on 3,000.00');
  t.equal(part.state.book?.principalOutstanding, 1_500_00n);
  t.equal(part.state.book?.open.length, 3, 'same due dates, lower installments');
  t.same(part.state.claims.map((c) => c.principalOutstanding), [1_000_00n, 500_00n]);
  const rest = part.state.book?.principalOutstanding ?? 0n;
  const off = completePayment(part.state, pay('e2', '2030-01-20', rest + 2_00n));
  t.equal(off.state.status, 'settled', 'principal + 4 days of interest pays it off');
});

t.test('compensation: the guarantee pays an overdue period (claims finish as compensated when emptied), then the borrower owes it back with penalty', async (t) => {
  let state = repayingLoan({ ...shape, termMonths: 1, method: 'bullet' });
  t.equal(code(decideLoan(state, pay('c1', '2030-02-01', null, 'guarantee', 1))), 'period_not_overdue');
  const compensated = completePayment(state, pay('c1', '2030-02-05', null, 'guarantee', 1));
  state = compensated.state;
  const succeeded = compensated.events.at(-1) as Extract<LoanEvent, { type: 'repayment_succeeded' }>;
  t.equal(reinvestedSharesOf(succeeded)[0]?.capital?.content.source, 'compensation_reinvest');
  t.match(state.repayments.get('c1'), { payerAccount: 'sys.guarantee', total: 3_030_00n });
  t.same(state.claims.map((c) => c.finishReason), ['compensated', 'compensated']);
  t.equal(state.status, 'repaying', 'not settled while the guarantee is owed');
  t.equal(code(decideLoan(state, pay('c2', '2030-02-06', null, 'guarantee', 1))), 'period_already_settled');
  t.equal(code(decideLoan(state, pay('r0', '2030-02-11', 3_045_16n))), 'repayment_amount_above_due', 'more than the debt: refused, not kept silently');
  t.equal(code(decideLoan(state, pay('r0', '2030-02-11', 3_045_14n))), 'repayment_amount_below_due');
  t.equal(code(decideLoan(state, pay('r0', '2030-02-11', 3_045_15n))), 'accepted: repayment_requested', 'exactly the debt');
  const debt = completePayment(state, pay('r1', '2030-02-11'));
  t.match(debt.state.repayments.get('r1'), { kind: 'debt', split: null, principal: 3_000_00n, interest: 30_00n, penalty: 15_15n, total: 3_045_15n });
  const sent = debt.events.find((e) => e.type === 'repayment_sent') as Extract<LoanEvent, { type: 'repayment_sent' }>;
  t.same(sent.data.items.map((i) => [i.from, i.to, i.amount]), [['carol', 'sys.guarantee', 3_045_15n]]);
  t.equal(debt.state.status, 'settled');
});

t.test('a success event written before the shard count carried its shares: they are used as written', async (t) => {
  const legacyShares = [{ orderNo: 'L9/c1', capital: null, interestFlow: null }];
  const legacy = { type: 'repayment_succeeded', data: { loanId: 'L9', repayment: { id: 'r', no: 1, payer: 'borrower', split: null }, reinvested: legacyShares, bankTxnId: null, at: 1, on: '2030-02-01', settlesLoan: false } } as unknown as Extract<LoanEvent, { type: 'repayment_succeeded' }>;
  t.equal(reinvestedSharesOf(legacy), legacyShares);
});

t.test('given a claim with less out than its share, when the payment succeeds, then it is a violation (a bug, never state)', async (t) => {
  const loan = repayingLoan(shape);
  const { events } = completePayment(loan, pay('r1', '2030-01-25'));
  const beforeSuccess = events.slice(0, 3).reduce(evolveLoan, loan);
  const succeeded = events[3] as LoanEvent;
  t.doesNotThrow(() => evolveLoan(beforeSuccess, succeeded), 'the claims as the payment found them');
  const withFirstClaim = (patch: Partial<LoanState['claims'][number]>): LoanState => ({ ...beforeSuccess, claims: beforeSuccess.claims.map((c, i) => (i === 0 ? { ...c, ...patch } : c)) });
  t.throws(() => evolveLoan(withFirstClaim({ principalOutstanding: 1n }), succeeded), { name: 'InvariantViolation', message: 'claim L1/c1 is live and repaid at most what it has out' });
  t.throws(() => evolveLoan(withFirstClaim({ status: 'finished' }), succeeded), { message: 'claim L1/c1 is live and repaid at most what it has out' }, 'a finished claim');
});
