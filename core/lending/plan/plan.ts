import type { BusinessDate } from '../../calendar/business-date.js';
import type { Loan, RepaymentMethod } from '../loan/loan.js';
import type { EarlyRepaymentRejectionCode } from '../schedule/early-repayment.js';
import type { LoanProduct } from '../schedule/product.js';
import type { SchedulePeriod } from '../schedule/schedule.js';

/**
 * A loan's repayment plan (还款计划): generated once per loan at approval from the schedule
 * math (core/lending/schedule) and the loan's product, then it records what happens to each
 * period. The actor is `plan:<loanId>` (actors/lending/plan-behavior.ts); its messages are
 * `PlanMessage` in actors/lending/messages.ts:
 *
 * - `generate_plan {loan, startDate}` — sent by the loan's approval (outbox); exactly once.
 * - `settle_period {period, by: 'borrower' | 'guarantee', repaymentId, on, penalty}` — the
 *   period is paid in full (its principal + interest, plus `penalty` of penalty interest) by
 *   the borrower (还款) or by the guarantee account (代偿). Replies the period (`PlanPeriod`).
 *   A compensated period can later be paid by the borrower (that repays the guarantee).
 *   Idempotent: the same repaymentId for the same period and payer answers the same.
 * - `reschedule_after_early_repayment {repaymentId, on, amount}` — an early repayment (提前
 *   还款) of `amount` on `on`: interest to `on`, the rest principal; the open periods are
 *   recomputed (lower installments, same due dates; a payoff settles them all). Replies the
 *   `EarlyRepaymentRecord` (interest, principal, remaining). Idempotent by repaymentId.
 * - `quote_early_repayment {on, amount}` (query) — the same computation without recording it.
 * - `get_plan` (query) — the plan.
 *
 * A period's status (due, paid, overdue, compensated) is derived when read, from the
 * business date: `periodStatusOf` in plan-status.ts.
 */
export interface RepaymentPlan {
  readonly planId: string;
  readonly loanId: string;
  readonly amount: bigint;
  readonly annualRate: string;
  readonly method: RepaymentMethod;
  readonly product: LoanProduct;
  readonly startDate: BusinessDate;
  readonly maturityDate: BusinessDate;
  readonly periods: readonly PlanPeriod[];
  readonly earlyRepayments: readonly EarlyRepaymentRecord[];
  readonly generatedAt: number;
}

/** A scheduled period and what settled it. */
export interface PlanPeriod extends SchedulePeriod {
  /** Paid by the borrower (also after a compensation: that repays the guarantee). */
  readonly paid: PeriodSettlement | null;
  /** Paid by the guarantee account on the borrower's behalf. */
  readonly compensated: PeriodSettlement | null;
}

export interface PeriodSettlement {
  readonly repaymentId: string;
  /** The business date of the payment. */
  readonly on: BusinessDate;
  readonly at: number;
  /** Penalty interest paid with it (minor units). */
  readonly penalty: bigint;
}

export interface EarlyRepaymentRecord {
  readonly repaymentId: string;
  readonly on: BusinessDate;
  readonly amount: bigint;
  readonly interest: bigint;
  readonly principal: bigint;
  /** Principal outstanding after it. */
  readonly remaining: bigint;
  readonly at: number;
}

export type Payer = 'borrower' | 'guarantee';

export interface PlanState {
  readonly plan: RepaymentPlan | null;
}

export const initialPlanState: PlanState = { plan: null };

export type PlanCommand =
  | { readonly type: 'generate_plan'; readonly data: { readonly loan: Loan; readonly startDate: BusinessDate; readonly at: number } }
  | {
      readonly type: 'settle_period';
      readonly data: { readonly period: number; readonly by: Payer; readonly repaymentId: string; readonly on: BusinessDate; readonly penalty: bigint; readonly at: number };
    }
  | { readonly type: 'reschedule_after_early_repayment'; readonly data: { readonly repaymentId: string; readonly on: BusinessDate; readonly amount: bigint; readonly at: number } };

export type PlanEvent =
  | { readonly type: 'plan_generated'; readonly data: { readonly plan: RepaymentPlan } }
  | { readonly type: 'period_settled'; readonly data: { readonly period: number; readonly by: Payer; readonly settlement: PeriodSettlement } }
  | {
      readonly type: 'plan_rescheduled';
      /** `periods`: the recomputed open periods, replacing those of the same numbers (a payoff: all of them, settled, zero). */
      readonly data: { readonly record: EarlyRepaymentRecord; readonly periods: readonly PlanPeriod[] };
    };

export type PlanRejectionCode =
  | 'id_reused_with_different_content'
  | 'plan_not_found'
  | 'period_not_found'
  | 'period_already_paid'
  | 'period_already_compensated'
  | 'earlier_period_open'
  | 'period_not_overdue'
  | 'penalty_invalid'
  | EarlyRepaymentRejectionCode;

export function planIdOf(loanId: string): string {
  return `plan-${loanId}`;
}

/** Periods the borrower still owes on (not paid by them; a compensated one is owed to the guarantee). */
export function openPeriodsOf(plan: RepaymentPlan): readonly PlanPeriod[] {
  return plan.periods.filter((period) => period.paid === null);
}
