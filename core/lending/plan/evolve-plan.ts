import { assert, assertNever, violated } from '../../rejection.js';
import type { PlanEvent, PlanPeriod, PlanState } from './plan.js';

/** The plan after one event; a new state, the given one untouched. */
export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'plan_generated':
      return { plan: event.data.plan };
    case 'period_settled': {
      const { plan } = state;
      assert(plan !== null, 'a period is settled in a plan');
      const { period: number, by, settlement } = event.data;
      const periods = plan.periods.map((period): PlanPeriod => (period.number !== number ? period : by === 'borrower' ? { ...period, paid: settlement } : { ...period, compensated: settlement }));
      return { plan: { ...plan, periods } };
    }
    case 'plan_rescheduled': {
      const { plan } = state;
      assert(plan !== null, 'a plan is rescheduled once it exists');
      const replacing = new Map(event.data.periods.map((period) => [period.number, period]));
      const periods = plan.periods.map((period) => replacing.get(period.number) ?? period);
      return { plan: { ...plan, periods, earlyRepayments: [...plan.earlyRepayments, event.data.record] } };
    }
    default:
      return assertNever(event, 'plan event');
  }
}

/**
 * The plan's books balance: Σ principal of the periods + Σ principal repaid early = the
 * loan's amount; periods numbered 1..n, each `remaining` ≥ 0 and total = principal + interest.
 */
export function assertPlanInvariants(state: PlanState): void {
  const { plan } = state;
  if (plan === null) return;
  assert(plan.periods.length > 0, 'a plan has at least one period');
  const scheduled = plan.periods.reduce((sum, p) => sum + p.principal, 0n);
  const early = plan.earlyRepayments.reduce((sum, r) => sum + r.principal, 0n);
  if (scheduled + early !== plan.amount) violated(`plan ${plan.planId}: principal ${scheduled} + ${early} early ≠ ${plan.amount}`);
  plan.periods.forEach((p, index) => {
    assert(p.number === index + 1, 'plan periods are numbered 1..n');
    const wellFormed = p.principal >= 0n && p.interest >= 0n && p.remaining >= 0n && p.total === p.principal + p.interest;
    if (!wellFormed) violated(`plan ${plan.planId} period ${p.number} is well formed`);
  });
}
