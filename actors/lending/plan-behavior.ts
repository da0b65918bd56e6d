import { decidePlan } from '../../core/lending/plan/decide-plan.js';
import { assertPlanInvariants, evolvePlan } from '../../core/lending/plan/evolve-plan.js';
import { initialPlanState, openPeriodsOf, type EarlyRepaymentRecord, type PlanCommand, type PlanEvent, type PlanState } from '../../core/lending/plan/plan.js';
import { earlyRepaymentOf } from '../../core/lending/schedule/early-repayment.js';
import { assert, assertNever, isRejection } from '../../core/rejection.js';
import type { ActorBehavior, ActorReply, Handled } from '../runtime/behavior.js';
import type { PlanMessage, PlanSummary } from './messages.js';

/**
 * The repayment service's plan of one loan (`plan:<loanId>`). Asked by the loan's approval
 * through the outbox — at least once, even across crashes — it generates the plan exactly
 * once: a second request is answered from the plan it already holds. Then it records each
 * period's settlement and each early repayment (idempotent by repayment id: a redelivered
 * request is answered from what it recorded).
 */
export const planBehavior: ActorBehavior<PlanState, PlanEvent> = {
  type: 'plan',
  initialState: () => initialPlanState,
  isQuery: (message) => {
    const type = (message as PlanMessage).type;
    return type === 'get_plan' || type === 'quote_early_repayment';
  },
  query: (state, message) => queryPlan(state, message as PlanMessage),
  handle(state, message, _lookup, at): Handled<PlanEvent> {
    const command = commandOf(message as PlanMessage, at);
    const decision = decidePlan(state, command);
    if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
    const after = decision.reduce(evolvePlan, state);
    return { events: decision, reply: replyOf(after, command) };
  },
  evolve: evolvePlan,
  indexWritesOf: () => [],
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: assertPlanInvariants,
};

function commandOf(message: PlanMessage, at: number): PlanCommand {
  switch (message.type) {
    case 'generate_plan':
    case 'settle_period':
    case 'reschedule_after_early_repayment':
      return { type: message.type, data: { ...message.data, at } } as PlanCommand;
    case 'quote_early_repayment':
    case 'get_plan':
      throw new Error(`${message.type} is a query`);
    default:
      return assertNever(message, 'plan message');
  }
}

/** The reply restates what the state holds, so a duplicate gets the first answer. */
function replyOf(after: PlanState, command: PlanCommand): ActorReply {
  const plan = after.plan;
  assert(plan !== null, 'a plan exists once a command is accepted');
  switch (command.type) {
    case 'generate_plan': {
      const summary: PlanSummary = { planId: plan.planId, periods: plan.periods.length, maturityDate: plan.maturityDate };
      return { ok: true, value: summary };
    }
    case 'settle_period':
      return { ok: true, value: plan.periods.find((p) => p.number === command.data.period) };
    case 'reschedule_after_early_repayment':
      return { ok: true, value: plan.earlyRepayments.find((r) => r.repaymentId === command.data.repaymentId) };
    default:
      return assertNever(command, 'plan command');
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
