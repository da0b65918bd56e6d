import type { BusinessDate } from '../../calendar/business-date.js';
import { assertNever, isRejection, reject, type Rejection } from '../../rejection.js';
import type { Loan } from '../loan/loan.js';
import { maturityOf } from '../loan/term.js';
import { earlyRepaymentOf } from '../schedule/early-repayment.js';
import { scheduleOf } from '../schedule/schedule.js';
import { openPeriodsOf, planIdOf, type PlanCommand, type PlanEvent, type PlanPeriod, type PlanRejectionCode, type PlanState, type RepaymentPlan } from './plan.js';
import { withFields } from '../../with-fields.js';

type Decision = readonly PlanEvent[] | Rejection<PlanRejectionCode>;

export function decidePlan(state: PlanState, command: PlanCommand): Decision {
  switch (command.type) {
    case 'generate_plan':
      return decideGenerate(state, command.data);
    case 'settle_period':
      return decideSettle(state, command.data);
    case 'reschedule_after_early_repayment':
      return decideReschedule(state, command.data);
    default:
      return assertNever(command, 'plan command');
  }
}

/**
 * generate_plan, checked in this order:
 * 1. a plan exists: for the same loan and start → duplicate (the reply restates it), else
 *    id_reused_with_different_content
 * 2. otherwise the loan's schedule by its own product: exactly one plan_generated per loan
 */
function decideGenerate(state: PlanState, { loan, startDate, at }: Extract<PlanCommand, { type: 'generate_plan' }>['data']): Decision {
  if (state.plan !== null) {
    return state.plan.loanId === loan.id && state.plan.startDate === startDate ? [] : reject('id_reused_with_different_content', `plan of ${loan.id} exists with another start`);
  }
  return [{ type: 'plan_generated', data: { plan: planOf(loan, startDate, at) } }];
}

/** The plan of `loan` from `startDate`: its schedule by its own product, nothing settled yet. */
export function planOf(loan: Loan, startDate: BusinessDate, at: number): RepaymentPlan {
  const periods = scheduleOf(loan, startDate, loan.product).map((period): PlanPeriod => withFields(period, { paid: null, compensated: null }));
  return {
    planId: planIdOf(loan.id),
    loanId: loan.id,
    amount: loan.amount,
    annualRate: loan.annualRate,
    method: loan.method,
    product: loan.product,
    startDate,
    maturityDate: maturityOf(loan.term, startDate),
    periods,
    earlyRepayments: [],
    generatedAt: at,
  };
}

/**
 * settle_period, checked in this order:
 * 1. plan_not_found
 * 2. period_not_found: no period of that number
 * 3. penalty_invalid: a negative penalty
 * 4. the period already settled by this payer: by the same repaymentId → duplicate (nothing
 *    new), else period_already_paid / period_already_compensated; a period the borrower paid
 *    cannot be compensated either (period_already_paid)
 * 5. by the borrower: earlier_period_open while an earlier period is not paid by them
 *    (a compensated one included: the guarantee is repaid first)
 * 6. by the guarantee: period_not_overdue unless `on` is past the due date
 */
function decideSettle(state: PlanState, data: Extract<PlanCommand, { type: 'settle_period' }>['data']): Decision {
  const { plan } = state;
  if (plan === null) return reject('plan_not_found', 'no plan yet');
  const period = plan.periods.find((p) => p.number === data.period);
  if (period === undefined) return reject('period_not_found', `the plan has periods 1..${plan.periods.length}`);
  if (data.penalty < 0n) return reject('penalty_invalid', 'a penalty is not negative');
  if (data.by === 'borrower' && period.paid !== null) {
    return period.paid.repaymentId === data.repaymentId ? [] : reject('period_already_paid', `period ${period.number} was paid by ${period.paid.repaymentId}`);
  }
  if (data.by === 'guarantee') {
    if (period.compensated !== null) {
      return period.compensated.repaymentId === data.repaymentId ? [] : reject('period_already_compensated', `period ${period.number} was compensated by ${period.compensated.repaymentId}`);
    }
    if (period.paid !== null) return reject('period_already_paid', `period ${period.number} was paid by the borrower`);
    if (data.on <= period.dueDate) return reject('period_not_overdue', `period ${period.number} is due ${period.dueDate}; it is compensated once overdue`);
  }
  if (data.by === 'borrower') {
    const earlier = plan.periods.find((p) => p.number < period.number && p.paid === null);
    if (earlier !== undefined) return reject('earlier_period_open', `period ${earlier.number} comes first`);
  }
  const settlement = { repaymentId: data.repaymentId, on: data.on, at: data.at, penalty: data.penalty };
  return [{ type: 'period_settled', data: { period: period.number, by: data.by, settlement } }];
}

/**
 * reschedule_after_early_repayment, checked in this order:
 * 1. plan_not_found
 * 2. the repaymentId already recorded: same date and amount → duplicate, else
 *    id_reused_with_different_content
 * 3. the early repayment's own rules on the open periods (core/lending/schedule/
 *    early-repayment.ts): early_repayment_nothing_open, early_repayment_date_outside_period
 *    (also while an earlier period is overdue or compensated and unpaid: pay it first),
 *    early_repayment_amount_below_interest, early_repayment_amount_above_balance
 */
function decideReschedule(state: PlanState, data: Extract<PlanCommand, { type: 'reschedule_after_early_repayment' }>['data']): Decision {
  const { plan } = state;
  if (plan === null) return reject('plan_not_found', 'no plan yet');
  const recorded = plan.earlyRepayments.find((r) => r.repaymentId === data.repaymentId);
  if (recorded !== undefined) {
    return recorded.on === data.on && recorded.amount === data.amount ? [] : reject('id_reused_with_different_content', `early repayment ${data.repaymentId} was recorded with other content`);
  }
  const open = openPeriodsOf(plan);
  const repaid = earlyRepaymentOf({ periods: open, annualRate: plan.annualRate, method: plan.method }, data.on, data.amount, plan.product);
  if (isRejection(repaid)) return repaid;
  const record = { repaymentId: data.repaymentId, on: data.on, amount: data.amount, interest: repaid.interest, principal: repaid.principal, remaining: repaid.remaining, at: data.at };
  const settlement = { repaymentId: data.repaymentId, on: data.on, at: data.at, penalty: 0n };
  const periods: PlanPeriod[] =
    repaid.schedule.length === 0
      ? // Paid off: the open periods are settled by it, with nothing left in them (the record holds what was paid).
        open.map((period) => ({ ...period, principal: 0n, interest: 0n, total: 0n, remaining: 0n, paid: settlement }))
      : repaid.schedule.map((period, index) => withFields(period, { paid: null, compensated: open[index]?.compensated ?? null }));
  return [{ type: 'plan_rescheduled', data: { record, periods } }];
}
