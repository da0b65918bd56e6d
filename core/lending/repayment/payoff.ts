import type { BusinessDate } from '../../calendar/business-date.js';
import { isRejection, reject, type Rejection } from '../../rejection.js';
import type { LoanState } from '../loan/loan.js';
import type { LendingRejectionCode } from '../rejections.js';
import { payoffOf, type EarlyRepaymentRejectionCode } from '../schedule/early-repayment.js';
import { bookOf } from './decide-repayment.js';
import type { RepaymentRejectionCode } from './rejections.js';

/** What closes a loan on a day: `amount` paid then as the borrower's repayment settles it and every claim. */
export interface PayoffQuote {
  readonly on: BusinessDate;
  readonly amount: bigint;
  readonly principal: bigint;
  readonly interest: bigint;
  /** Penalty interest: none — a loan with an overdue period pays that period first (refused below). */
  readonly penalty: bigint;
}

/**
 * The pay-off quote (pre-closure) of a loan on `on`, by its product's rule (payoffOf), from
 * the repayment book its payments are decided against. Checked in this order:
 * 1. loan_not_found, 2. loan_not_repaying,
 * 3. guarantee_debt_open: a compensated period is owed back first (a payment then is exactly that debt),
 * 4. early_repayment_nothing_open, 5. early_repayment_date_outside_period (on or after the current
 *    due date, or overdue: the due period is paid first).
 */
export function payoffQuoteOf(state: LoanState, on: BusinessDate): PayoffQuote | Rejection<LendingRejectionCode | RepaymentRejectionCode | EarlyRepaymentRejectionCode> {
  const loan = state.loan;
  if (loan === null) return reject('loan_not_found', 'no such loan');
  if (state.status !== 'repaying') return reject('loan_not_repaying', `loan ${loan.id} is ${state.status}`);
  const book = bookOf(state);
  const debt = book.guaranteeDebts[0];
  if (debt !== undefined) return reject('guarantee_debt_open', `the compensated period ${debt.period} is owed back to the guarantee first`);
  const payoff = payoffOf({ periods: book.open, annualRate: loan.annualRate, method: loan.method }, on, loan.product);
  if (isRejection(payoff)) return payoff;
  return { on, amount: payoff.principal + payoff.interest, principal: payoff.principal, interest: payoff.interest, penalty: 0n };
}
