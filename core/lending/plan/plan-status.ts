import type { BusinessDate } from '../../calendar/business-date.js';
import { isOverdue } from '../schedule/accrual.js';
import type { PlanPeriod } from './plan.js';

export type PeriodStatus = 'due' | 'paid' | 'overdue' | 'compensated';

/**
 * A period's status on `today` (the business date): paid by the borrower → paid; paid by the
 * guarantee only → compensated (the borrower owes the guarantee); otherwise overdue once
 * past its due date, else due. Derived when read, never stored: the clock moves.
 */
export function periodStatusOf(period: PlanPeriod, today: BusinessDate): PeriodStatus {
  if (period.paid !== null) return 'paid';
  if (period.compensated !== null) return 'compensated';
  return isOverdue({ dueDate: period.dueDate, settled: false }, today) ? 'overdue' : 'due';
}
