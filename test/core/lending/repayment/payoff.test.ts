import fc from 'fast-check';
import t from 'tap';
import type { LoanState } from '../../../../core/lending/loan/loan.js';
import { payoffQuoteOf } from '../../../../core/lending/repayment/payoff.js';
import { defaultProduct, type LoanProduct } from '../../../../core/lending/schedule/product.js';
import { decideLoan } from '../../../../core/lending/loan/decide-loan.js';
import { isRejection } from '../../../../core/rejection.js';
import { completePayment, pay, repayingLoan, threeMonthShape, type LoanShape } from './loan-fixture.js';

const shape = threeMonthShape;
const withProduct = (state: LoanState, product: LoanProduct): LoanState => (state.loan === null ? state : { ...state, loan: { ...state.loan, product } });
const code = (value: unknown) => (isRejection(value) ? value.code : 'quoted');

t.test('given a repaying loan, when a pay-off is quoted mid-period, then to_date asks interest to the day and to_period_end the period\'s whole interest', async (t) => {
  const loan = repayingLoan(shape);
  t.match(payoffQuoteOf(loan, '2030-01-16'), { amount: 3_015_00n, principal: 3_000_00n, interest: 15_00n, penalty: 0n }, 'to_date: 15 days (30/360) of 1 % a month on 3,000.00');
  const periodEnd = withProduct(loan, { ...defaultProduct, payoffInterest: 'to_period_end' });
  t.match(payoffQuoteOf(periodEnd, '2030-01-16'), { amount: 3_030_00n, principal: 3_000_00n, interest: 30_00n }, "to_period_end: January's 30.00");
  t.match(payoffQuoteOf(loan, '2030-01-01'), { amount: 3_000_00n, interest: 0n }, 'on the value date: the principal alone');
});

t.test('pay-off quote refusals, in order', async (t) => {
  const loan = repayingLoan(shape);
  t.equal(code(payoffQuoteOf({ ...loan, loan: null }, '2030-01-16')), 'loan_not_found', '1.');
  t.equal(code(payoffQuoteOf({ ...loan, status: 'disbursing' }, '2030-01-16')), 'loan_not_repaying', '2.');
  const debt = { period: 1, principal: 1n, interest: 0n, dueDate: '2030-02-01', compensatedOn: '2030-02-05' };
  const owing = { ...loan, book: { open: [], settled: [], principalOutstanding: 0n, guaranteeDebts: [debt], nextNo: 2 } } as unknown as LoanState;
  t.equal(code(payoffQuoteOf(owing, '2030-02-10')), 'guarantee_debt_open', '3.');
  const settled = { ...loan, book: { open: [], settled: [], principalOutstanding: 0n, guaranteeDebts: [], nextNo: 4 } } as unknown as LoanState;
  t.equal(code(payoffQuoteOf(settled, '2030-04-02')), 'early_repayment_nothing_open', '4.');
  t.equal(code(payoffQuoteOf(loan, '2030-02-01')), 'early_repayment_date_outside_period', '5. on the due date the period is paid first');
});

t.test('given to_period_end, when the borrower pays principal + interest to date only, then it is refused (closing takes the quote)', async (t) => {
  const periodEnd = withProduct(repayingLoan(shape), { ...defaultProduct, payoffInterest: 'to_period_end' });
  const short = decideLoan(periodEnd, pay('p1', '2030-01-16', 3_015_00n));
  t.equal(code(short), 'early_repayment_amount_above_balance');
  const part = completePayment(periodEnd, pay('p2', '2030-01-16', 1_515_00n));
  t.equal(part.state.book?.principalOutstanding, 1_500_00n, 'a part is still a part, with interest to date (15.00)');
});

t.test('property: a repayment of the quoted amount on the quoted day settles the loan and every claim to zero, under both rules', async (t) => {
  const days = fc.integer({ min: 0, max: 30 }).map((day) => `2030-01-${String(day + 1).padStart(2, '0')}`);
  const amounts = fc.bigInt({ min: 1_000_00n, max: 5_000_000_00n });
  fc.assert(
    fc.property(amounts, fc.integer({ min: 1, max: 12 }), fc.constantFrom<LoanShape['method']>('equal_installment', 'equal_principal', 'interest_first', 'flat'), fc.constantFrom('to_date', 'to_period_end') as fc.Arbitrary<'to_date' | 'to_period_end'>, days, (amount, months, method, rule, on) => {
      const first = amount / 3n;
      const loan = withProduct(repayingLoan({ amount, annualRate: '0.0875', termMonths: months, method, claims: [{ amount: first, investor: 'alice', property: 'principal' }, { amount: amount - first, investor: 'bob', property: 'interest' }] }), { ...defaultProduct, payoffInterest: rule });
      const quote = payoffQuoteOf(loan, on);
      if (isRejection(quote)) return false;
      const paid = completePayment(loan, pay('off', on, quote.amount));
      return paid.state.status === 'settled' && paid.state.claims.every((claim) => claim.principalOutstanding === 0n) && paid.state.repayments.get('off')?.total === quote.amount;
    }),
    { numRuns: 150 },
  );
  t.pass('held over the runs');
});
