import t from 'tap';
import { decidePlan } from '../../../core/lending/plan/decide-plan.js';
import { assertPlanInvariants, evolvePlan } from '../../../core/lending/plan/evolve-plan.js';
import { initialPlanState, type PlanCommand, type PlanEvent, type Payer } from '../../../core/lending/plan/plan.js';
import { periodStatusOf } from '../../../core/lending/plan/plan-status.js';
import { defaultProduct } from '../../../core/lending/schedule/product.js';
import { loan, t0 } from './fixtures.js';
import { deciderOf } from './given.js';

const given = deciderOf(decidePlan, evolvePlan, initialPlanState);

const threeMonths = loan({ id: 'L1', amount: 3_000_00n, annualRate: '0.12', term: { unit: 'months', count: 3 }, method: 'equal_principal' });
const generate = (start = '2030-01-31', loanId = 'L1'): PlanCommand => ({ type: 'generate_plan', data: { loan: { ...threeMonths, id: loanId }, startDate: start, at: t0 } });
const generated = (): PlanEvent[] => {
  const decision = given().when(generate()).decision;
  if (!Array.isArray(decision)) throw new Error('generate_plan refused');
  return [...decision];
};
const settle = (period: number, by: Payer = 'borrower', repaymentId = `R${period}`, on = '2030-02-28', penalty = 0n): PlanCommand => ({
  type: 'settle_period',
  data: { period, by, repaymentId, on, penalty, at: t0 + 1 },
});
const settled = (period: number, by: Payer = 'borrower', repaymentId = `R${period}`, on = '2030-02-28', penalty = 0n): PlanEvent => ({
  type: 'period_settled',
  data: { period, by, settlement: { repaymentId, on, at: t0 + 1, penalty } },
});
const early = (repaymentId: string, on: string, amount: bigint): PlanCommand => ({ type: 'reschedule_after_early_repayment', data: { repaymentId, on, amount, at: t0 + 2 } });

t.test('generate_plan: the schedule with amounts, by the loan\'s product; once per loan', async (t) => {
  const first = given().when(generate());
  first.emits(t, ['plan_generated']);
  const plan = first.after.plan;
  t.match(plan, { planId: 'plan-L1', loanId: 'L1', startDate: '2030-01-31', maturityDate: '2030-04-30', method: 'equal_principal', amount: 3_000_00n, product: defaultProduct });
  t.same(
    plan?.periods.map((p) => [p.dueDate, p.principal, p.interest, p.remaining, p.paid, p.compensated]),
    [
      ['2030-02-28', 1_000_00n, 30_00n, 2_000_00n, null, null],
      ['2030-03-31', 1_000_00n, 20_00n, 1_000_00n, null, null],
      ['2030-04-30', 1_000_00n, 10_00n, 0n, null, null],
    ],
    'monthly, month ends clamped, balance × 12 % / 12',
  );
  given(...generated()).when(generate()).then(t, [], '1. the same request: nothing new');
  given(...generated()).when(generate('2030-02-01')).rejects(t, 'id_reused_with_different_content', '1. another start');
  const daily = given().when({ type: 'generate_plan', data: { loan: { ...threeMonths, product: { ...defaultProduct, name: 'act365', dayCount: 'ACT/365F', interestPeriod: 'daily' } }, startDate: '2030-01-31', at: t0 } });
  t.same(daily.after.plan?.periods.map((p) => p.interest), [27_62n, 20_38n, 9_86n], 'another product: 28, 31, 30 days of 365');
});

t.test('settle_period: the borrower pays in order; the guarantee compensates an overdue period; duplicates are nothing new', async (t) => {
  const plan = generated();
  given(...plan).when(settle(1)).then(t, [settled(1)]);
  given(...plan, settled(1)).when(settle(1)).then(t, [], 'the same repayment again');
  given(...plan).when(settle(1, 'guarantee', 'C1', '2030-03-01')).then(t, [settled(1, 'guarantee', 'C1', '2030-03-01')], 'overdue: compensated');
  given(...plan, settled(1, 'guarantee', 'C1', '2030-03-01')).when(settle(1, 'borrower', 'R1', '2030-03-05', 2_06n)).then(t, [settled(1, 'borrower', 'R1', '2030-03-05', 2_06n)], 'the borrower repays a compensated period');
  const after = given(...plan, settled(1, 'guarantee', 'C1', '2030-03-01')).state.plan;
  t.equal(after === null ? null : periodStatusOf(after.periods[0]!, '2030-03-05'), 'compensated');
  t.equal(after === null ? null : periodStatusOf(after.periods[1]!, '2030-03-31'), 'due', 'due on its due date');
  t.equal(after === null ? null : periodStatusOf(after.periods[1]!, '2030-04-01'), 'overdue', 'overdue the day after');
});

t.test('settle_period: refusals, in order', async (t) => {
  const plan = generated();
  given().when(settle(9, 'borrower', 'R9', '2030-02-28', -1n)).rejects(t, 'plan_not_found', '1.');
  given(...plan).when(settle(9, 'borrower', 'R9', '2030-02-28', -1n)).rejects(t, 'period_not_found', '2.');
  given(...plan, settled(1)).when(settle(1, 'borrower', 'R1b', '2030-02-28', -1n)).rejects(t, 'penalty_invalid', '3.');
  given(...plan, settled(1)).when(settle(1, 'borrower', 'R1b')).rejects(t, 'period_already_paid', '4. paid by another repayment');
  given(...plan, settled(1, 'guarantee', 'C1', '2030-03-01')).when(settle(1, 'guarantee', 'C1b', '2030-03-01')).rejects(t, 'period_already_compensated', '4.');
  given(...plan, settled(1)).when(settle(1, 'guarantee', 'C1', '2030-03-01')).rejects(t, 'period_already_paid', '4. paid by the borrower: nothing to compensate');
  given(...plan).when(settle(2)).rejects(t, 'earlier_period_open', '5.');
  given(...plan, settled(1, 'guarantee', 'C1', '2030-03-01')).when(settle(2)).rejects(t, 'earlier_period_open', '5. a compensated period is repaid first');
  given(...plan).when(settle(1, 'guarantee', 'C1', '2030-02-28')).rejects(t, 'period_not_overdue', '6. on the due date');
});

t.test('reschedule_after_early_repayment: interest to the date, lower installments on the same dates; a payoff settles the rest', async (t) => {
  const plan = [...generated(), settled(1)];
  const partial = given(...plan).when(early('E1', '2030-03-15', 1_000_00n));
  partial.emits(t, ['plan_rescheduled']);
  const after = partial.after.plan;
  // 2,000.00 outstanding from 02-28 to 03-15: 17 days by 30/360 bond basis (February's end is not
  // the 30th) at 12 % = 11.33 of interest; 988.67 of principal.
  t.match(after?.earlyRepayments, [{ repaymentId: 'E1', on: '2030-03-15', amount: 1_000_00n, interest: 11_33n, principal: 988_67n, remaining: 1_011_33n }]);
  t.same(
    after?.periods.map((p) => [p.number, p.startDate, p.dueDate, p.principal, p.interest, p.remaining, p.paid === null]),
    [
      [1, '2030-01-31', '2030-02-28', 1_000_00n, 30_00n, 2_000_00n, false],
      [2, '2030-03-15', '2030-03-31', 505_66n, 5_39n, 505_67n, true],
      [3, '2030-03-31', '2030-04-30', 505_67n, 5_06n, 0n, true],
    ],
    'equal principal again on 1,011.33 (505.665 → 505.66 half-even, the last absorbs); period 2 runs from the repayment: 16 days of interest',
  );
  given(...plan, ...(partial.decision as PlanEvent[])).when(early('E1', '2030-03-15', 1_000_00n)).then(t, [], 'the same early repayment again');
  given(...plan, ...(partial.decision as PlanEvent[])).when(early('E1', '2030-03-16', 1_000_00n)).rejects(t, 'id_reused_with_different_content', '2.');
  const payoff = given(...plan).when(early('E2', '2030-02-28', 2_000_00n));
  t.same(
    payoff.after.plan?.periods.map((p) => [p.principal, p.total, p.paid?.repaymentId ?? null]),
    [
      [1_000_00n, 1_030_00n, 'R1'],
      [0n, 0n, 'E2'],
      [0n, 0n, 'E2'],
    ],
    'paid off on the period start (no interest): the open periods settled by it',
  );
  t.doesNotThrow(() => assertPlanInvariants(payoff.after), 'Σ principal + early principal = amount');
  t.doesNotThrow(() => assertPlanInvariants(partial.after));
});

t.test('reschedule_after_early_repayment: refusals, in order', async (t) => {
  const plan = generated();
  given().when(early('E1', '2030-02-10', 1n)).rejects(t, 'plan_not_found', '1.');
  given(...plan).when(early('E1', '2030-02-28', 500_00n)).rejects(t, 'early_repayment_date_outside_period', '3. on the due date: pay the period');
  given(...plan).when(early('E1', '2030-02-10', 1n)).rejects(t, 'early_repayment_amount_below_interest', '3.');
  given(...plan).when(early('E1', '2030-02-10', 4_000_00n)).rejects(t, 'early_repayment_amount_above_balance', '3.');
  const all = [...plan, settled(1), settled(2, 'borrower', 'R2', '2030-03-31'), settled(3, 'borrower', 'R3', '2030-04-30')];
  given(...all).when(early('E1', '2030-04-30', 1_00n)).rejects(t, 'early_repayment_nothing_open', '3. all paid');
});
