import t from 'tap';
import { isSkeletonPlan, planOfSkeleton, type SkeletonPlan } from '../../../core/lending/plan/skeleton-plan.js';
import { isRejection } from '../../../core/rejection.js';
import { repayingLoan, threeMonthShape } from './repayment/loan-fixture.js';

/** The skeleton fundcore journaled (up to 86ea8b0) for the fixture's loan: 3,000.00 at 12 %, 3 months, equal principal, from 2030-01-01. */
const skeleton: SkeletonPlan = {
  planId: 'plan-L1',
  loanId: 'L1',
  method: 'equal_principal',
  startDate: '2030-01-01',
  maturityDate: '2030-04-01',
  periods: ['2030-02-01', '2030-03-01', '2030-04-01'].map((dueDate, i) => ({ number: i + 1, dueDate, principalDue: null, interestDue: null })),
  detail: 'skeleton',
  generatedAt: 7,
};
const code = (value: unknown) => (isRejection(value) ? value.code : 'recomputed');

t.test('given a skeleton plan and its loan, when recomputed, then the plan approval generates now, on the same due dates', async (t) => {
  t.ok(isSkeletonPlan(skeleton));
  const plan = planOfSkeleton(skeleton, repayingLoan(threeMonthShape));
  if (isRejection(plan)) throw new Error(plan.detail);
  t.match(plan, { planId: 'plan-L1', loanId: 'L1', amount: 3_000_00n, annualRate: '0.12', method: 'equal_principal', startDate: '2030-01-01', maturityDate: '2030-04-01', generatedAt: 7, earlyRepayments: [] });
  t.same(
    plan.periods.map((p) => [p.dueDate, p.principal, p.interest, p.paid, p.compensated]),
    [
      ['2030-02-01', 1_000_00n, 30_00n, null, null],
      ['2030-03-01', 1_000_00n, 20_00n, null, null],
      ['2030-04-01', 1_000_00n, 10_00n, null, null],
    ],
    '1,000.00 a month + 1 % of the balance (the default product: 30/360, whole months)',
  );
  t.notOk(isSkeletonPlan(plan), 'the recomputed plan is no skeleton');
});

t.test('a skeleton that is not its loan\'s plan is refused (plan_skeleton_mismatch), never guessed', async (t) => {
  const loan = repayingLoan(threeMonthShape);
  t.equal(code(planOfSkeleton({ ...skeleton, loanId: 'L2' }, loan)), 'plan_skeleton_mismatch', 'another loan');
  t.equal(code(planOfSkeleton(skeleton, { ...loan, approval: null })), 'plan_skeleton_mismatch', 'a loan never approved');
  t.equal(code(planOfSkeleton({ ...skeleton, startDate: '2030-01-02' }, loan)), 'plan_skeleton_mismatch', 'another value date');
  t.equal(code(planOfSkeleton({ ...skeleton, method: 'bullet' }, loan)), 'plan_skeleton_mismatch', 'another method');
  const moved = skeleton.periods.map((p) => (p.number === 2 ? { ...p, dueDate: '2030-03-02' } : p));
  t.equal(code(planOfSkeleton({ ...skeleton, periods: moved }, loan)), 'plan_skeleton_mismatch', 'a due date the schedule does not give: the borrower was shown it');
});
