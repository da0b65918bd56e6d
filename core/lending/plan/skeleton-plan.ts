import type { BusinessDate } from '../../calendar/business-date.js';
import { reject, type Rejection } from '../../rejection.js';
import type { Loan, LoanState, RepaymentMethod } from '../loan/loan.js';
import { planOf } from './decide-plan.js';
import type { RepaymentPlan } from './plan.js';

/**
 * The plan as fundcore journaled it before plans carried amounts (up to 86ea8b0): the due
 * dates of the periods and nothing else (`detail: 'skeleton'`). Its amounts are the loan's
 * schedule, which the loan's own journal determines (its terms, the product it kept — the
 * default one for loans of that time — and the approval's value date): planOfSkeleton
 * recomputes them. The node refuses to start on a journal holding one; `npm run
 * journal:upgrade` rewrites it (persistence/journal-upgrade/).
 */
export interface SkeletonPlan {
  readonly planId: string;
  readonly loanId: string;
  readonly method: RepaymentMethod;
  readonly startDate: BusinessDate;
  readonly maturityDate: BusinessDate;
  readonly periods: readonly { readonly number: number; readonly dueDate: BusinessDate; readonly principalDue: null; readonly interestDue: null }[];
  readonly detail: 'skeleton';
  readonly generatedAt: number;
}

export function isSkeletonPlan(plan: unknown): plan is SkeletonPlan {
  return typeof plan === 'object' && plan !== null && (plan as { detail?: unknown }).detail === 'skeleton';
}

export type SkeletonPlanRejectionCode = 'plan_skeleton_mismatch';

/**
 * The plan a skeleton stands for, recomputed from its loan as approval generates it now; the
 * same plan id and generation time. Refused (plan_skeleton_mismatch) when the loan is not the
 * skeleton's — another id, not approved, another value date or maturity or method — or when
 * the schedule's due dates are not the skeleton's (the borrower was shown those dates).
 */
export function planOfSkeleton(skeleton: SkeletonPlan, loan: LoanState): RepaymentPlan | Rejection<SkeletonPlanRejectionCode> {
  const terms: Loan | null = loan.loan;
  const approval = loan.approval;
  if (terms === null || terms.id !== skeleton.loanId) return reject('plan_skeleton_mismatch', `${skeleton.planId} is the plan of loan ${skeleton.loanId}, not of ${terms?.id ?? 'no loan'}`);
  if (approval === null) return reject('plan_skeleton_mismatch', `loan ${terms.id} has no approval: its plan cannot exist`);
  if (approval.startDate !== skeleton.startDate || terms.method !== skeleton.method) {
    return reject('plan_skeleton_mismatch', `${skeleton.planId} starts ${skeleton.startDate} by ${skeleton.method}; loan ${terms.id} was approved from ${approval.startDate} by ${terms.method}`);
  }
  const plan = planOf(terms, skeleton.startDate, skeleton.generatedAt);
  const dueDates = (periods: readonly { dueDate: BusinessDate }[]) => periods.map((period) => period.dueDate).join(',');
  if (plan.maturityDate !== skeleton.maturityDate || dueDates(plan.periods) !== dueDates(skeleton.periods)) {
    return reject('plan_skeleton_mismatch', `${skeleton.planId} is due ${dueDates(skeleton.periods)}; the schedule of loan ${terms.id} now says ${dueDates(plan.periods)}`);
  }
  return plan;
}
