import { addDays, addMonths, type BusinessDate } from '../../calendar/business-date.js';
import type { LoanTerm } from './loan.js';

/** When a loan starting on `start` is due in full. */
export function maturityOf(term: LoanTerm, start: BusinessDate): BusinessDate {
  return term.unit === 'days' ? addDays(start, term.count) : addMonths(start, term.count);
}
