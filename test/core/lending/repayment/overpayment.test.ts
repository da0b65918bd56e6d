import fc from 'fast-check';
import t from 'tap';
import { decideLoan } from '../../../../core/lending/loan/decide-loan.js';
import type { LoanEvent } from '../../../../core/lending/loan/events.js';
import type { LoanState } from '../../../../core/lending/loan/loan.js';
import { payoffQuoteOf } from '../../../../core/lending/repayment/payoff.js';
import { heldAmountOf } from '../../../../core/lending/repayment/repayment.js';
import { defaultProduct, type LoanProduct } from '../../../../core/lending/schedule/product.js';
import { isRejection } from '../../../../core/rejection.js';
import { completePayment, drive, pay, repayingLoan, threeMonthShape, type LoanShape } from './loan-fixture.js';

/**
 * The product option `overpayment` over the three-month loan of the fixture: 3,000.00 at 12 %,
 * equal principal, periods 1,030.00 (due 02-01), 1,020.00 (03-01), 1,010.00 (04-01), claims
 * alice 2,000.00 (principal) and bob 1,000.00 (interest claim), default conventions (30/360,
 * half-even, penalty 0.05 % a day from the day after the due date).
 */
const withProduct = (state: LoanState, product: LoanProduct): LoanState => (state.loan === null ? state : { ...state, loan: { ...state.loan, product } });
const returning = (state: LoanState) => withProduct(state, { ...defaultProduct, overpayment: 'return_to_wallet' });
const refusing = (state: LoanState) => withProduct(state, { ...defaultProduct, overpayment: 'refuse' });
const code = (decision: ReturnType<typeof decideLoan>) => (isRejection(decision) ? decision.code : `accepted: ${decision.map((e) => e.type).join(',')}`);
const requestedOf = (events: readonly LoanEvent[]) => events.find((e): e is Extract<LoanEvent, { type: 'repayment_requested' }> => e.type === 'repayment_requested')?.data.repayment;
const sentOf = (events: readonly LoanEvent[]) => events.find((e): e is Extract<LoanEvent, { type: 'repayment_sent' }> => e.type === 'repayment_sent')?.data;

/** Periods 1 and 2 paid on their due dates: period 3 (1,010.00 due 04-01) is the last one open. */
function lastPeriodOpen(state: LoanState): LoanState {
  const one = completePayment(state, pay('r1', '2030-02-01')).state;
  return completePayment(one, pay('r2', '2030-03-01')).state;
}

t.test('given return_to_wallet, when the borrower pays 3,100.00 on 01-16, then the pay-off (3,015.00) closes the loan and 85.00 is the excess, held with it and never sent to the bank', async (t) => {
  const loan = returning(repayingLoan(threeMonthShape));
  const { state, events } = completePayment(loan, pay('p1', '2030-01-16', 3_100_00n));
  const repayment = requestedOf(events);
  t.match(repayment, { kind: 'early', requested: 3_100_00n, principal: 3_000_00n, interest: 15_00n, penalty: 0n, total: 3_015_00n, excess: 85_00n, reschedule: [] }, 'pay-off to date: 3,000.00 + 15 days (30/360) of 1 % a month = 3,015.00; 3,100.00 − 3,015.00 = 85.00');
  t.equal(repayment !== undefined && heldAmountOf(repayment), 3_100_00n, 'the hold takes what the payer sent');
  const items = sentOf(events)?.items ?? [];
  t.equal(items.reduce((sum, item) => sum + item.amount, 0n), 3_015_00n, 'the bank moves what closes the loan, not the excess');
  t.equal(state.status, 'settled');
  t.same(state.claims.map((c) => c.principalOutstanding), [0n, 0n], 'every claim settled to zero');
  t.same(decideLoan(state, pay('p1', '2030-01-16', 3_100_00n)), [], 'the same payment again: a duplicate (its excess is returned once, under an id derived from it)');
  t.equal(code(decideLoan(state, pay('p1', '2030-01-16', 3_200_00n))), 'id_reused_with_different_content');
});

t.test('given refuse (the default, and loans published before the option), the same payment is refused with its code', async (t) => {
  for (const loan of [repayingLoan(threeMonthShape), refusing(repayingLoan(threeMonthShape))]) {
    t.equal(code(decideLoan(loan, pay('p1', '2030-01-16', 3_100_00n))), 'early_repayment_amount_above_balance', 'above the pay-off');
    t.equal(code(decideLoan(loan, pay('p1', '2030-01-16', 3_015_00n))), 'accepted: repayment_book_opened,repayment_requested', 'exactly the pay-off closes it');
  }
});

t.test('the last period on or after its due date: its due closes the loan; above it returns the excess, or is refused repayment_amount_above_due', async (t) => {
  const open = lastPeriodOpen(returning(repayingLoan(threeMonthShape)));
  const onTime = completePayment(open, pay('r3', '2030-04-01', 1_050_00n));
  t.match(requestedOf(onTime.events), { kind: 'due', period: 3, total: 1_010_00n, penalty: 0n, excess: 40_00n }, 'on the due date: 1,050.00 − 1,010.00');
  t.equal(onTime.state.status, 'settled');
  const late = completePayment(open, pay('r3', '2030-04-11', 1_100_00n));
  t.match(requestedOf(late.events), { kind: 'due', period: 3, total: 1_015_05n, penalty: 5_05n, excess: 84_95n }, '10 days late: 1,010.00 × 0.05 % × 10 = 5.05; 1,100.00 − 1,015.05 = 84.95');
  const refused = lastPeriodOpen(repayingLoan(threeMonthShape));
  t.equal(code(decideLoan(refused, pay('r3', '2030-04-01', 1_050_00n))), 'repayment_amount_above_due', 'refuse: above the last due');
  t.equal(code(decideLoan(refused, pay('r3', '2030-04-01', 1_010_00n))), 'accepted: repayment_requested', 'exactly the due');
});

t.test('a payment above the due that does not close the loan is no overpayment: an early repayment, or refused as before, under both rules', async (t) => {
  for (const loan of [returning(repayingLoan(threeMonthShape)), repayingLoan(threeMonthShape)]) {
    const part = completePayment(loan, pay('p1', '2030-01-16', 2_000_00n));
    t.match(requestedOf(part.events), { kind: 'early', principal: 1_985_00n, interest: 15_00n, excess: 0n }, 'below the pay-off: interest to date, the rest principal');
    t.equal(code(decideLoan(loan, pay('p1', '2030-02-01', 1_100_00n))), 'early_repayment_date_outside_period', 'period 1 on its due date is not the last: pay what is due first');
    t.equal(code(decideLoan(loan, pay('p1', '2030-01-16', 1_029_99n))), 'repayment_amount_below_due');
  }
});

t.test('a compensated period owed back: the last debt with nothing open closes the loan (its excess returned); any other debt is taken exactly', async (t) => {
  const open = lastPeriodOpen(returning(repayingLoan(threeMonthShape)));
  const compensated = completePayment(open, pay('c3', '2030-04-05', null, 'guarantee', 3)).state;
  const back = completePayment(compensated, pay('d3', '2030-04-10', 1_100_00n));
  t.match(requestedOf(back.events), { kind: 'debt', period: 3, total: 1_014_54n, penalty: 4_54n, excess: 85_46n }, '1,010.00 × 0.05 % × 9 days = 4.545 → 4.54 (half-even); 1,100.00 − 1,014.54 = 85.46');
  t.equal(back.state.status, 'settled');
  const sent = sentOf(back.events);
  t.same(sent?.items.map((i) => [i.to, i.amount]), [['sys.guarantee', 1_014_54n]], 'the bank moves the debt to the guarantee, not the excess');
  const refusing = lastPeriodOpen(repayingLoan(threeMonthShape));
  const owed = completePayment(refusing, pay('c3', '2030-04-05', null, 'guarantee', 3)).state;
  t.equal(code(decideLoan(owed, pay('d3', '2030-04-10', 1_100_00n))), 'repayment_amount_above_due', 'refuse');
  const early = returning(repayingLoan(threeMonthShape));
  const firstCompensated = completePayment(early, pay('c1', '2030-02-05', null, 'guarantee', 1)).state;
  t.equal(code(decideLoan(firstCompensated, pay('d1', '2030-02-10', 1_100_00n))), 'repayment_amount_above_due', 'periods still open: the debt does not close the loan, the rest is not an excess');
  t.ok(drive(firstCompensated, pay('d1', '2030-02-10', null)).events.length > 0, 'exactly the debt is taken');
});

t.test('property: under return_to_wallet, the pay-off quote + any excess settles the loan and every claim to zero; the bank moves the quote, the excess is returned whole', async (t) => {
  const days = fc.integer({ min: 0, max: 30 }).map((day) => `2030-01-${String(day + 1).padStart(2, '0')}`);
  const amounts = fc.bigInt({ min: 1_000_00n, max: 5_000_000_00n });
  const methods = fc.constantFrom<LoanShape['method']>('equal_installment', 'equal_principal', 'interest_first', 'flat');
  const rules = fc.constantFrom('to_date', 'to_period_end') as fc.Arbitrary<'to_date' | 'to_period_end'>;
  fc.assert(
    fc.property(amounts, fc.integer({ min: 1, max: 12 }), methods, rules, days, fc.bigInt({ min: 1n, max: 10_000_000_00n }), (amount, months, method, rule, on, excess) => {
      const first = amount / 3n;
      const claims = [{ amount: first, investor: 'alice', property: 'principal' as const }, { amount: amount - first, investor: 'bob', property: 'interest' as const }];
      const loan = withProduct(repayingLoan({ amount, annualRate: '0.0875', termMonths: months, method, claims }), { ...defaultProduct, payoffInterest: rule, overpayment: 'return_to_wallet' });
      const quote = payoffQuoteOf(loan, on);
      if (isRejection(quote)) return false;
      const paid = completePayment(loan, pay('off', on, quote.amount + excess));
      const repayment = paid.state.repayments.get('off');
      const moved = (sentOf(paid.events)?.items ?? []).reduce((sum, item) => sum + item.amount, 0n);
      return (
        paid.state.status === 'settled' &&
        paid.state.claims.every((claim) => claim.principalOutstanding === 0n) &&
        repayment?.total === quote.amount &&
        repayment.excess === excess &&
        heldAmountOf(repayment) === quote.amount + excess &&
        moved === quote.amount
      );
    }),
    { numRuns: 150 },
  );
  t.pass('held over the runs');
});
