import { addDays, addMonths, type BusinessDate } from '../../calendar/business-date.js';
import { assert, assertNever } from '../../rejection.js';
import type { LoanTerm, RepaymentMethod } from '../loan/loan.js';
import { yearFractionOf } from './day-count.js';
import type { LoanProduct } from './product.js';
import { ratioOfDecimal, roundRatio, type Ratio } from './ratio.js';

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
 * (先息后本) interest each period, the principal with the last; `bullet` (一次性还本付息);
 * `flat` (flat-rate interest) interest on the original principal every period, equal
 * installments (amortizeFlat).
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
export function spanInterestOf(balance: bigint, annualRate: string | Ratio, span: PeriodSpan, product: LoanProduct): bigint {
  return interestOf(balance, annualRate, spanFractionOf(span, product), product);
}

/** balance × annualRate × fraction of a year, rounded once by the product's mode. */
export function interestOf(balance: bigint, annualRate: string | Ratio, fraction: Ratio, product: LoanProduct): bigint {
  const rate = typeof annualRate === 'string' ? ratioOfDecimal(annualRate) : annualRate;
  return roundRatio({ num: balance * rate.num * fraction.num, den: rate.den * fraction.den }, product.rounding);
}

/**
 * Amortizes `amount` over `spans` (at least one) by `method`. Used for a new loan and again
 * for what remains after an early repayment (then the first span may be cut short).
 */
export function amortize(amount: bigint, annualRate: string, method: RepaymentMethod, spans: readonly PeriodSpan[], product: LoanProduct): SchedulePeriod[] {
  assert(spans.length > 0, 'a schedule has at least one period');
  assert(amount >= 0n, 'a schedule amortizes a non-negative amount');
  if (method === 'flat') return amortizeFlat(amount, annualRate, spans, product);
  const regularPrincipalOf = regularPrincipalRule(amount, annualRate, method, spans, product);
  const rate = ratioOfDecimal(annualRate);
  const periods: SchedulePeriod[] = [];
  let balance = amount;
  spans.forEach((span, index) => {
    const interest = spanInterestOf(balance, rate, span, product);
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
function regularPrincipalRule(amount: bigint, annualRate: string, method: Exclude<RepaymentMethod, 'flat'>, spans: readonly PeriodSpan[], product: LoanProduct): (interest: bigint) => bigint {
  const count = spans.length;
  switch (method) {
    case 'equal_installment': {
      const installment = product.installmentFrom === 'actual_days' ? actualDaysInstallmentOf(amount, annualRate, spans, product) : equalInstallmentOf(amount, annualRate, count, product);
      return (interest) => installment - interest;
    }
    case 'equal_principal': {
      const part = roundRatio({ num: amount, den: BigInt(count) }, product.rounding, product.installmentMultipleMinor);
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
 * Flat interest: every period's interest is on the original `amount` (not the balance),
 * each rounded by the product's mode, and the last takes what makes the total exactly
 * amount × rate × the whole term, rounded once. The installment is (amount + that total) / n
 * rounded to the product's multiple; each period but the last repays installment − its
 * interest, and the last repays what remains (absorbing every rounding).
 */
export function amortizeFlat(amount: bigint, annualRate: string, spans: readonly PeriodSpan[], product: LoanProduct): SchedulePeriod[] {
  const rate = ratioOfDecimal(annualRate);
  const fractions = spans.map((span) => spanFractionOf(span, product));
  const totalInterest = roundRatio(sumOfRatios(fractions.map((fraction) => ({ num: amount * rate.num * fraction.num, den: rate.den * fraction.den }))), product.rounding);
  const installment = roundRatio({ num: amount + totalInterest, den: BigInt(spans.length) }, product.rounding, product.installmentMultipleMinor);
  const periods: SchedulePeriod[] = [];
  let balance = amount;
  let interestLeft = totalInterest;
  spans.forEach((span, index) => {
    const isLast = index === spans.length - 1;
    const rounded = interestOf(amount, rate, fractions[index] as Ratio, product);
    const interest = isLast ? interestLeft : rounded < interestLeft ? rounded : interestLeft;
    const wanted = isLast ? balance : installment - interest;
    const principal = wanted < 0n ? 0n : wanted > balance ? balance : wanted;
    balance -= principal;
    interestLeft -= interest;
    periods.push({ number: span.number, startDate: span.startDate, dueDate: span.dueDate, principal, interest, total: principal + interest, remaining: balance, months: span.months });
  });
  return periods;
}

/** The fraction of a year a span's interest runs for, by the product's conventions. */
function spanFractionOf(span: PeriodSpan, product: LoanProduct): Ratio {
  return product.interestPeriod === 'period' && span.months !== null ? { num: BigInt(span.months), den: 12n } : yearFractionOf(span.startDate, span.dueDate, product.dayCount);
}

function sumOfRatios(parts: readonly Ratio[]): Ratio {
  return parts.reduce((sum, part) => ({ num: sum.num * part.den + part.num * sum.den, den: sum.den * part.den }), { num: 0n, den: 1n });
}

/**
 * The annuity over each period's own rate r_k = annualRate × fraction_k (the day count's
 * fraction of a year, or months / 12 for whole months under `period` interest): the A with
 * B_0 = P, B_k = B_{k−1}(1 + r_k) − A, B_n = 0, that is A = P·Π(1+r_k) / Σ_k Π_{j>k}(1+r_j).
 * With 1 + r_k = G_k / D_k, exact in integers: A = P·ΠG / Σ_k (Π_{j≤k} D_j · Π_{j>k} G_j),
 * rounded once to the product's multiple.
 */
export function actualDaysInstallmentOf(amount: bigint, annualRate: string, spans: readonly PeriodSpan[], product: LoanProduct): bigint {
  const rate = ratioOfDecimal(annualRate);
  const factors = spans.map((span) => {
    const fraction = spanFractionOf(span, product);
    const den = rate.den * fraction.den;
    return { grown: den + rate.num * fraction.num, den };
  });
  // Σ_k prefix-of-D(k) · suffix-of-G(k), in one pass each way.
  const suffixGrown: bigint[] = new Array<bigint>(factors.length + 1).fill(1n);
  for (let k = factors.length - 1; k >= 0; k--) suffixGrown[k] = (suffixGrown[k + 1] as bigint) * (factors[k] as { grown: bigint }).grown;
  let prefixDen = 1n;
  let sum = 0n;
  factors.forEach((factor, k) => {
    prefixDen *= factor.den;
    sum += prefixDen * (suffixGrown[k + 1] as bigint);
  });
  return roundRatio({ num: amount * (suffixGrown[0] as bigint), den: sum }, product.rounding, product.installmentMultipleMinor);
}

/**
 * The annuity installment A = P·i·(1+i)^n / ((1+i)^n − 1) at i = annualRate / 12, rounded
 * to the product's multiple by its mode. With the rate R / S, i = R / D where D = 12·S, so
 * A = P·R·(D+R)^n / (D·((D+R)^n − D^n)) — exact in integers, rounded once.
 */
export function equalInstallmentOf(amount: bigint, annualRate: string, count: number, product: LoanProduct): bigint {
  const rate = ratioOfDecimal(annualRate);
  const multiple = product.installmentMultipleMinor;
  if (rate.num === 0n) return roundRatio({ num: amount, den: BigInt(count) }, product.rounding, multiple);
  const d = 12n * rate.den;
  const grown = (d + rate.num) ** BigInt(count);
  return roundRatio({ num: amount * rate.num * grown, den: d * (grown - d ** BigInt(count)) }, product.rounding, multiple);
}
