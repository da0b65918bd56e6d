import type { BusinessDate } from '../../calendar/business-date.js';
import type { Decider } from '../../decider.js';
import { assert, assertNever } from '../../rejection.js';
import { decidePlan } from './decide-plan.js';
import { evolvePlan } from './evolve-plan.js';
import { initialPlanState, type EarlyRepaymentRecord, type PlanCommand, type PlanEvent, type PlanPeriod, type PlanRejectionCode, type PlanState } from './plan.js';

/** What the loan hears when its plan is generated. */
export interface PlanSummary {
  readonly planId: string;
  readonly periods: number;
  readonly maturityDate: BusinessDate;
}

export type PlanReply = PlanSummary | PlanPeriod | EarlyRepaymentRecord | undefined;

/** The reply restates what the state holds, so a duplicate gets the first answer. */
function planReplyOf(after: PlanState, command: PlanCommand): PlanReply {
  const plan = after.plan;
  assert(plan !== null, 'a plan exists once a command is accepted');
  switch (command.type) {
    case 'generate_plan':
      return { planId: plan.planId, periods: plan.periods.length, maturityDate: plan.maturityDate };
    case 'settle_period':
      return plan.periods.find((p) => p.number === command.data.period);
    case 'reschedule_after_early_repayment':
      return plan.earlyRepayments.find((r) => r.repaymentId === command.data.repaymentId);
    default:
      return assertNever(command, 'plan command');
  }
}

/** A loan's repayment plan (the repayment service's record of it). */
export const planDecider: Decider<PlanState, PlanCommand, PlanEvent, PlanRejectionCode, PlanReply> = {
  initialState: initialPlanState,
  decide: decidePlan,
  evolve: evolvePlan,
  reply: planReplyOf,
};
