import { assertPlanInvariants } from '../../core/lending/plan/evolve-plan.js';
import { planDecider, type PlanReply } from '../../core/lending/plan/plan-decider.js';
import { openPeriodsOf, type EarlyRepaymentRecord, type PlanCommand, type PlanEvent, type PlanRejectionCode, type PlanState } from '../../core/lending/plan/plan.js';
import { earlyRepaymentOf } from '../../core/lending/schedule/early-repayment.js';
import { assertNever, isRejection } from '../../core/rejection.js';
import type { ActorBehavior, ActorReply } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import type { PlanMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * The repayment service's plan of one loan (`plan:<loanId>`). Asked by the loan's approval
 * through the outbox — at least once, even across crashes — it generates the plan exactly
 * once: a second request is answered from the plan it already holds. Then it records each
 * period's settlement and each early repayment (idempotent by repayment id: a redelivered
 * request is answered from what it recorded).
 */
export const planBehavior: ActorBehavior<PlanState, PlanEvent> = deciderBehavior<PlanState, PlanMessage, PlanCommand, PlanEvent, PlanRejectionCode, PlanReply>({
  type: 'plan',
  decider: planDecider,
  isQuery: (message) => message.type === 'get_plan' || message.type === 'quote_early_repayment',
  query: queryPlan,
  commandOf: (message, { at }) => commandOf(message, at),
  assertInvariants: assertPlanInvariants,
});

function commandOf(message: PlanMessage, at: number): PlanCommand {
  switch (message.type) {
    case 'generate_plan':
      return { type: 'generate_plan', data: withFields(message.data, { at }) };
    case 'settle_period':
      return { type: 'settle_period', data: withFields(message.data, { at }) };
    case 'reschedule_after_early_repayment':
      return { type: 'reschedule_after_early_repayment', data: withFields(message.data, { at }) };
    case 'quote_early_repayment':
    case 'get_plan':
      throw new Error(`${message.type} is a query`);
    default:
      return assertNever(message, 'plan message');
  }
}

function queryPlan(state: PlanState, message: PlanMessage): ActorReply {
  const plan = state.plan;
  if (plan === null) return { ok: false, code: 'plan_not_found', detail: 'no plan yet' };
  if (message.type !== 'quote_early_repayment') return { ok: true, value: plan };
  const { on, amount } = message.data;
  const quote = earlyRepaymentOf({ periods: openPeriodsOf(plan), annualRate: plan.annualRate, method: plan.method }, on, amount, plan.product);
  if (isRejection(quote)) return { ok: false, code: quote.code, detail: quote.detail };
  const record: EarlyRepaymentRecord = { repaymentId: '', on, amount, interest: quote.interest, principal: quote.principal, remaining: quote.remaining, at: 0 };
  return { ok: true, value: record };
}
