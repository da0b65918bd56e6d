import { addDays, addMonths, type BusinessDate } from '../../calendar/business-date.js';
import type { Loan } from '../loan/loan.js';
import { maturityOf } from '../loan/term.js';

export interface PlanPeriod {
  readonly number: number;
  readonly dueDate: BusinessDate;
  /** The amounts come with the schedule math (issue 5); until then null. */
  readonly principalDue: bigint | null;
  readonly interestDue: bigint | null;
}

/**
 * The repayment plan's skeleton: how many periods and when each is due. It is the one
 * function issue 5 replaces with the schedule math (equal installment, equal principal,
 * interest first, bullet — exact to the cent); nothing else depends on its amounts yet.
 * A term in days is one period; a term in months is monthly, except a bullet loan (one period).
 */
export function planSkeletonOf(loan: Loan, startDate: BusinessDate): PlanPeriod[] {
  const { term } = loan;
  if (term.unit === 'days') return [{ number: 1, dueDate: addDays(startDate, term.count), principalDue: null, interestDue: null }];
  if (loan.method === 'bullet') return [{ number: 1, dueDate: maturityOf(term, startDate), principalDue: null, interestDue: null }];
  return Array.from({ length: term.count }, (_, i) => ({ number: i + 1, dueDate: addMonths(startDate, i + 1), principalDue: null, interestDue: null }));
}
