import type { BusinessDate } from '../../calendar/business-date.js';
import { assertNever, reject, type Rejection } from '../../rejection.js';
import type { Loan } from '../loan/loan.js';
import { maturityOf } from '../loan/term.js';
import type { LendingRejectionCode } from '../rejections.js';
import { planSkeletonOf, type PlanPeriod } from './plan-skeleton.js';

/** A loan's repayment plan (还款计划), generated once per loan by the repayment service. */
export interface RepaymentPlan {
  readonly planId: string;
  readonly loanId: string;
  readonly method: Loan['method'];
  readonly startDate: BusinessDate;
  readonly maturityDate: BusinessDate;
  readonly periods: readonly PlanPeriod[];
  /** 'skeleton': due dates only; issue 5's schedule math fills in the amounts. */
  readonly detail: 'skeleton';
  readonly generatedAt: number;
}

export interface PlanState {
  readonly plan: RepaymentPlan | null;
}

export const initialPlanState: PlanState = { plan: null };

export type PlanCommand = { readonly type: 'generate_plan'; readonly data: { readonly loan: Loan; readonly startDate: BusinessDate; readonly at: number } };

export type PlanEvent = { readonly type: 'plan_generated'; readonly data: { readonly plan: RepaymentPlan } };

export function planIdOf(loanId: string): string {
  return `plan-${loanId}`;
}

/**
 * generate_plan, checked in this order:
 * 1. a plan exists: for the same loan and start → duplicate (the reply restates it), else
 *    id_reused_with_different_content
 * 2. otherwise generate it: exactly one plan_generated per loan, however often it is asked
 */
export function decidePlan(state: PlanState, command: PlanCommand): readonly PlanEvent[] | Rejection<LendingRejectionCode> {
  switch (command.type) {
    case 'generate_plan': {
      const { loan, startDate, at } = command.data;
      if (state.plan !== null) {
        return state.plan.loanId === loan.id && state.plan.startDate === startDate ? [] : reject('id_reused_with_different_content', `plan of ${loan.id} exists with another start`);
      }
      const plan: RepaymentPlan = {
        planId: planIdOf(loan.id),
        loanId: loan.id,
        method: loan.method,
        startDate,
        maturityDate: maturityOf(loan.term, startDate),
        periods: planSkeletonOf(loan, startDate),
        detail: 'skeleton',
        generatedAt: at,
      };
      return [{ type: 'plan_generated', data: { plan } }];
    }
    default:
      return assertNever(command.type, 'plan command');
  }
}

export function evolvePlan(_state: PlanState, event: PlanEvent): PlanState {
  return { plan: event.data.plan };
}
