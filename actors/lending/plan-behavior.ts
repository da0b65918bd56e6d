import { decidePlan, evolvePlan, initialPlanState, type PlanEvent, type PlanState } from '../../core/lending/plan/plan.js';
import { assert, isRejection } from '../../core/rejection.js';
import type { ActorBehavior, Handled } from '../runtime/behavior.js';
import type { PlanMessage, PlanSummary } from './messages.js';

/**
 * The repayment service's plan of one loan (`plan:<loanId>`). Asked by the loan's approval
 * through the outbox — at least once, even across crashes — it generates the plan exactly
 * once: a second request is answered from the plan it already holds.
 */
export const planBehavior: ActorBehavior<PlanState, PlanEvent> = {
  type: 'plan',
  initialState: () => initialPlanState,
  isQuery: (message) => (message as PlanMessage).type === 'get_plan',
  query: (state) => (state.plan === null ? { ok: false, code: 'plan_not_found', detail: 'no plan yet' } : { ok: true, value: state.plan }),
  handle(state, message, _lookup, at): Handled<PlanEvent> {
    const m = message as PlanMessage;
    if (m.type !== 'generate_plan') throw new Error(`${m.type} is a query`);
    const decision = decidePlan(state, { type: 'generate_plan', data: { ...m.data, at } });
    if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
    const plan = decision.reduce(evolvePlan, state).plan;
    assert(plan !== null, 'a plan exists once generated');
    const summary: PlanSummary = { planId: plan.planId, periods: plan.periods.length, maturityDate: plan.maturityDate };
    return { events: decision, reply: { ok: true, value: summary } };
  },
  evolve: evolvePlan,
  indexWritesOf: () => [],
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants(state) {
    if (state.plan !== null) assert(state.plan.periods.length > 0, 'a plan has at least one period');
  },
};
