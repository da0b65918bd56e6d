import t from 'tap';
import { decideWaitingBook, evolveWaitingBook, initialWaitingBookState } from '../../../core/lending/book/waiting-book.js';
import { decidePlan, evolvePlan, initialPlanState, type PlanCommand } from '../../../core/lending/plan/plan.js';
import { planSkeletonOf } from '../../../core/lending/plan/plan-skeleton.js';
import { loan, t0 } from './fixtures.js';
import { deciderOf } from './given.js';

const givenPlan = deciderOf(decidePlan, evolvePlan, initialPlanState);
const givenBook = deciderOf(decideWaitingBook, evolveWaitingBook, initialWaitingBookState);

const generate = (start = '2030-01-31', loanId = 'L1'): PlanCommand => ({ type: 'generate_plan', data: { loan: loan({ id: loanId, term: { unit: 'months', count: 3 }, method: 'equal_installment' }), startDate: start, at: t0 } });

t.test('generate_plan: once per loan; the same request again is a duplicate; another start is refused', async (t) => {
  const first = givenPlan().when(generate());
  first.emits(t, ['plan_generated']);
  t.match(first.after.plan, { planId: 'plan-L1', loanId: 'L1', startDate: '2030-01-31', maturityDate: '2030-04-30', detail: 'skeleton' });
  t.same(first.after.plan?.periods.map((p) => p.dueDate), ['2030-02-28', '2030-03-31', '2030-04-30'], 'monthly, month ends clamped');
  const events = first.decision as Parameters<typeof givenPlan>;
  givenPlan(...events).when(generate()).then(t, [], '1. the same request');
  givenPlan(...events).when(generate('2030-02-01')).rejects(t, 'id_reused_with_different_content', '1. another start');
});

t.test('the plan skeleton: days → one period; bullet → one period at maturity; monthly otherwise', async (t) => {
  t.same(planSkeletonOf(loan({ term: { unit: 'days', count: 90 } }), '2030-01-01').map((p) => p.dueDate), ['2030-04-01']);
  t.same(planSkeletonOf(loan({ term: { unit: 'months', count: 12 }, method: 'bullet' }), '2030-01-01').map((p) => p.dueDate), ['2031-01-01']);
  t.equal(planSkeletonOf(loan({ term: { unit: 'months', count: 12 }, method: 'interest_first' }), '2030-01-01').length, 12);
  t.ok(planSkeletonOf(loan(), '2030-01-01').every((p) => p.principalDue === null && p.interestDue === null), 'amounts wait for the schedule math');
});

t.test('waiting book: register once, deregister once, announce to the oldest waiting loans (at most notifyMax)', async (t) => {
  givenBook().when({ type: 'register_loan', data: { loanId: 'L1', at: t0 } }).then(t, [{ type: 'loan_waiting', data: { loanId: 'L1', at: t0 } }]);
  const waiting = [1, 2, 3].map((n) => ({ type: 'loan_waiting' as const, data: { loanId: `L${n}`, at: t0 + n } }));
  givenBook(...waiting).when({ type: 'register_loan', data: { loanId: 'L1', at: t0 + 9 } }).then(t, []);
  givenBook(...waiting).when({ type: 'announce_capital', data: { notifyMax: 2 } }).then(t, [{ type: 'capital_announced', data: { loans: ['L1', 'L2'] } }]);
  givenBook().when({ type: 'announce_capital', data: { notifyMax: 2 } }).then(t, [], 'nobody waits: nothing to say');
  givenBook(...waiting).when({ type: 'deregister_loan', data: { loanId: 'L2' } }).then(t, [{ type: 'loan_no_longer_waiting', data: { loanId: 'L2' } }]);
  givenBook().when({ type: 'deregister_loan', data: { loanId: 'L2' } }).then(t, []);
});
