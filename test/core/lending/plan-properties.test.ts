import fc from 'fast-check';
import t from 'tap';
import { addDays, daysBetween } from '../../../core/calendar/business-date.js';
import { repaymentMethods } from '../../../core/lending/loan/loan.js';
import { decidePlan } from '../../../core/lending/plan/decide-plan.js';
import { assertPlanInvariants, evolvePlan } from '../../../core/lending/plan/evolve-plan.js';
import { initialPlanState, openPeriodsOf, type PlanCommand, type PlanState } from '../../../core/lending/plan/plan.js';
import { dayCounts, defaultProduct, interestPeriods, roundingModes } from '../../../core/lending/schedule/product.js';
import { isRejection } from '../../../core/rejection.js';
import { loan, t0 } from './fixtures.js';

const loans = fc.record({
  amount: fc.bigInt({ min: 100_00n, max: 10_000_000_00n }),
  rate: fc.integer({ min: 1, max: 360 }).map((permille) => (permille / 1000).toString()),
  months: fc.integer({ min: 1, max: 36 }),
  method: fc.constantFrom(...repaymentMethods),
  product: fc.record({ dayCount: fc.constantFrom(...dayCounts), interestPeriod: fc.constantFrom(...interestPeriods), rounding: fc.constantFrom(...roundingModes), installmentMultipleMinor: fc.constantFrom(1n, 100n) }),
});
type Action = { readonly kind: 'pay' | 'compensate'; readonly lateDays: number } | { readonly kind: 'early'; readonly dayPick: number; readonly share: number };
const actions: fc.Arbitrary<Action[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('pay' as const), lateDays: fc.integer({ min: 0, max: 40 }) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('compensate' as const), lateDays: fc.integer({ min: 1, max: 40 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('early' as const), dayPick: fc.nat(), share: fc.integer({ min: 0, max: 1_050 }).map((permille) => permille / 1_000) }), weight: 4 },
  ),
  { maxLength: 40 },
);

/** The command an action becomes against the plan as it stands (null: nothing to do). */
function commandOf(state: PlanState, action: Action, n: number): PlanCommand | null {
  const plan = state.plan;
  if (plan === null) return null;
  const open = openPeriodsOf(plan);
  const current = open[0];
  if (current === undefined) return null;
  const id = `r${n}`;
  if (action.kind === 'early') {
    const on = addDays(current.startDate, action.dayPick % daysBetween(current.startDate, current.dueDate));
    const outstanding = current.principal + current.remaining;
    return { type: 'reschedule_after_early_repayment', data: { repaymentId: id, on, amount: BigInt(Math.floor(Number(outstanding) * action.share)) + 1n, at: t0 + n } };
  }
  if (action.kind === 'pay') return { type: 'settle_period', data: { period: current.number, by: 'borrower', repaymentId: id, on: addDays(current.dueDate, action.lateDays), penalty: 0n, at: t0 + n } };
  const uncompensated = open.find((p) => p.compensated === null);
  return uncompensated === undefined ? null : { type: 'settle_period', data: { period: uncompensated.number, by: 'guarantee', repaymentId: id, on: addDays(uncompensated.dueDate, action.lateDays), penalty: 0n, at: t0 + n } };
}

t.test('any sequence of payments, compensations and early repayments: the books of the plan balance, nothing negative, each command idempotent', async (t) => {
  fc.assert(
    fc.property(loans, actions, (l, steps) => {
      const product = { ...defaultProduct, ...l.product };
      const generated = decidePlan(initialPlanState, { type: 'generate_plan', data: { loan: loan({ amount: l.amount, annualRate: l.rate, term: { unit: 'months', count: l.months }, method: l.method, product }), startDate: '2030-01-31', at: t0 } });
      if (isRejection(generated)) return false;
      let state = generated.reduce(evolvePlan, initialPlanState);
      for (const [n, action] of steps.entries()) {
        const command = commandOf(state, action, n);
        if (command === null) continue;
        const decision = decidePlan(state, command);
        if (isRejection(decision)) continue;
        state = decision.reduce(evolvePlan, state);
        assertPlanInvariants(state);
        const again = decidePlan(state, command);
        if (!Array.isArray(again) || again.length !== 0) return false;
      }
      const plan = state.plan;
      if (plan === null) return false;
      const open = openPeriodsOf(plan);
      // What the borrower still owes in principal is what the last paid step left.
      const owed = open.reduce((sum, p) => sum + p.principal, 0n);
      const repaid = plan.periods.filter((p) => p.paid !== null).reduce((sum, p) => sum + p.principal, 0n) + plan.earlyRepayments.reduce((sum, r) => sum + r.principal, 0n);
      return owed + repaid === plan.amount && plan.periods.every((p) => p.principal >= 0n && p.interest >= 0n);
    }),
    { numRuns: 200 },
  );
  t.pass('held over the runs');
});
