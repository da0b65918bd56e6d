import { addDays, addMonths, type BusinessDate } from '../../calendar/business-date.js';
import { assert, assertNever } from '../../rejection.js';
import type { LoanTerm, RepaymentMethod } from '../loan/loan.js';
import { yearFractionOf } from './day-count.js';
import type { LoanProduct } from './product.js';
import { roundMinor, ScheduleDecimal } from './rounding.js';

/** What a schedule is computed from: the loan's content (amount in minor units, the canonical rate string). */
export interface ScheduleTerms {
  readonly amount: bigint;
  readonly annualRate: string;
  readonly term: LoanTerm;
  readonly method: RepaymentMethod;
}

/** One period of a schedule. Amounts in minor units; `remaining` is the principal left after it is paid. */
export interface SchedulePeriod {
  readonly number: number;
  readonly startDate: BusinessDate;
  readonly dueDate: BusinessDate;
  readonly principal: bigint;
  readonly interest: bigint;
  readonly total: bigint;
  readonly remaining: bigint;
  /** Whole months the period spans (its interest is rate × months / 12 under the `period` convention), or null. */
  readonly months: number | null;
}

/** A period's dates and the fraction of a year its interest runs for. */
export interface PeriodSpan {
  readonly number: number;
  readonly startDate: BusinessDate;
  readonly dueDate: BusinessDate;
  /** Whole months the period spans, or null (a term in days, a period cut by an early repayment). */
  readonly months: number | null;
}

/**
 * The repayment schedule of a loan starting (value date, 起息日) on `startDate`:
 * - a term in days is one period, due `count` days later, whatever the method;
 * - a term in months is monthly (due the same day each month, a missing day → the month's
 *   last), except `bullet`: one period at maturity.
 * Methods: `equal_installment` (等额本息) the constant installment of the annuity formula at
 * rate / 12; `equal_principal` (等额本金) principal / n each period; `interest_first`
 * (先息后本) interest each period, the principal with the last; `bullet` (一次性还本付息).
 * Each period's interest is rounded by the product's mode; the last period absorbs every
 * rounding: its principal is what remains.
 */
export function scheduleOf(terms: ScheduleTerms, startDate: BusinessDate, product: LoanProduct): SchedulePeriod[] {
  return amortize(terms.amount, terms.annualRate, terms.method, spansOf(terms.term, terms.method, startDate), product);
}

export function spansOf(term: LoanTerm, method: RepaymentMethod, startDate: BusinessDate): PeriodSpan[] {
  if (term.unit === 'days') return [{ number: 1, startDate, dueDate: addDays(startDate, term.count), months: null }];
  if (method === 'bullet') return [{ number: 1, startDate, dueDate: addMonths(startDate, term.count), months: term.count }];
  return Array.from({ length: term.count }, (_, i) => ({ number: i + 1, startDate: addMonths(startDate, i), dueDate: addMonths(startDate, i + 1), months: 1 }));
}

/** Interest on `balance` over one span, rounded by the product's mode. */
export function spanInterestOf(balance: bigint, annualRate: string, span: PeriodSpan, product: LoanProduct): bigint {
  const fraction =
    product.interestPeriod === 'period' && span.months !== null ? new ScheduleDecimal(span.months).div(12) : yearFractionOf(span.startDate, span.dueDate, product.dayCount);
  return roundMinor(new ScheduleDecimal(balance.toString()).times(annualRate).times(fraction), product.rounding);
}

/**
 * Amortizes `amount` over `spans` (at least one) by `method`. Used for a new loan and again
 * for what remains after an early repayment (then the first span may be cut short).
 */
export function amortize(amount: bigint, annualRate: string, method: RepaymentMethod, spans: readonly PeriodSpan[], product: LoanProduct): SchedulePeriod[] {
  assert(spans.length > 0, 'a schedule has at least one period');
  assert(amount >= 0n, 'a schedule amortizes a non-negative amount');
  const regularPrincipalOf = regularPrincipalRule(amount, annualRate, method, spans.length, product);
  const periods: SchedulePeriod[] = [];
  let balance = amount;
  spans.forEach((span, index) => {
    const interest = spanInterestOf(balance, annualRate, span, product);
    const isLast = index === spans.length - 1;
    const wanted = isLast ? balance : regularPrincipalOf(interest);
    // Never below zero, never past the balance: a tiny loan with a coarse multiple pays off early.
    const principal = wanted < 0n ? 0n : wanted > balance ? balance : wanted;
    balance -= principal;
    periods.push({ number: span.number, startDate: span.startDate, dueDate: span.dueDate, principal, interest, total: principal + interest, remaining: balance, months: span.months });
  });
  return periods;
}

/** The principal a period before the last pays, given its interest. */
function regularPrincipalRule(amount: bigint, annualRate: string, method: RepaymentMethod, count: number, product: LoanProduct): (interest: bigint) => bigint {
  switch (method) {
    case 'equal_installment': {
      const installment = equalInstallmentOf(amount, annualRate, count, product);
      return (interest) => installment - interest;
    }
    case 'equal_principal': {
      const part = roundMinor(new ScheduleDecimal(amount.toString()).div(count), product.rounding, product.installmentMultipleMinor);
      return () => part;
    }
    case 'interest_first':
    case 'bullet':
      return () => 0n;
    default:
      return assertNever(method, 'repayment method');
  }
}

/**
 * The annuity installment A = P·i·(1+i)^n / ((1+i)^n − 1) at i = annualRate / 12, rounded
 * to the product's multiple by its mode.
 */
export function equalInstallmentOf(amount: bigint, annualRate: string, count: number, product: LoanProduct): bigint {
  const i = new ScheduleDecimal(annualRate).div(12);
  if (i.isZero()) return roundMinor(new ScheduleDecimal(amount.toString()).div(count), product.rounding, product.installmentMultipleMinor);
  const growth = i.plus(1).pow(count);
  const exact = new ScheduleDecimal(amount.toString()).times(i).times(growth).div(growth.minus(1));
  return roundMinor(exact, product.rounding, product.installmentMultipleMinor);
}
