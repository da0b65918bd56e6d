import { addDays, daysBetween, type BusinessDate } from '../../core/calendar/business-date.js';
import { interestAccruedOf, penaltyInterestOf, periodInterestEarnedOf } from '../../core/lending/schedule/accrual.js';
import { defaultProduct, type DayCount, type LoanProduct, type RoundingMode } from '../../core/lending/schedule/product.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** Days past due that bound each overdue class (M1 … M3+, as lenders report delinquency). */
export const overdueClasses = [
  { name: 'due_today', minDays: 0, maxDays: 0 },
  { name: 'm1', minDays: 1, maxDays: 30 },
  { name: 'm2', minDays: 31, maxDays: 60 },
  { name: 'm3', minDays: 61, maxDays: 90 },
  { name: 'm3_plus', minDays: 91, maxDays: Number.POSITIVE_INFINITY },
] as const;

export type OverdueClassName = (typeof overdueClasses)[number]['name'];

export interface OverdueClassLine {
  readonly periods: number;
  readonly loans: number;
  readonly principal: bigint;
  readonly interest: bigint;
  /** Penalty interest (罚息) accrued on these periods through the day, as a payment that day would be charged. */
  readonly penalty: bigint;
}

/**
 * What a close of day d reports of lending, read at the cut (each partition's at its marker): each unsettled period due on or
 * before d by days past due; what the guarantee is owed for compensated periods; and the
 * interest earned and not yet paid (the accrual target).
 */
export interface LendingDay {
  readonly date: BusinessDate;
  readonly overdue: Readonly<Record<OverdueClassName, OverdueClassLine>>;
  readonly compensatedOwed: { readonly periods: number; readonly amount: bigint };
  readonly accrual: {
    /** Loans with a period open at d. */
    readonly loans: number;
    /**
     * Interest earned through the end of d and not paid: periods due and unpaid (with their
     * penalty interest so far — what a payment on d would be charged), and the current periods' part.
     */
    readonly receivable: bigint;
    /** Of which penalty interest of overdue periods. */
    readonly penalty: bigint;
    /** Of which earned on d itself (the current periods' day). */
    readonly earnedOnDay: bigint;
  };
}

interface OpenPeriodRow {
  loan_id: string;
  start_date: string;
  due_date: string;
  principal: bigint;
  interest: bigint;
  remaining: bigint;
  annual_rate: string;
  method: string;
  day_count: DayCount;
  rounding: RoundingMode;
  penalty_daily_rate: string;
  penalty_counts_due_day: bigint;
}

/** The conventions accrual reads: the loan's day count, rounding and penalty (the product it kept at publication). */
function productOf(row: OpenPeriodRow): LoanProduct {
  return { ...defaultProduct, dayCount: row.day_count, rounding: row.rounding, penaltyDailyRate: row.penalty_daily_rate, penaltyCountsDueDay: row.penalty_counts_due_day === 1n };
}

/** Penalty interest an unsettled period due on or before `date` has run up through `date`: what a payment on `date` is charged. */
function penaltyThrough(row: OpenPeriodRow, date: BusinessDate): bigint {
  return penaltyInterestOf(row.principal + row.interest, row.due_date, date, productOf(row));
}

/** A period is unsettled at d while open, or settled by a posting of a later day. */
const unsettledAt = `(p.status = 'open' or p.settled_day > ?)`;

const openPeriodsSql = (partitionFilter: string) =>
  `select p.loan_id, p.start_date, p.due_date, p.principal, p.interest, p.remaining, l.annual_rate, l.method, l.day_count, l.rounding, l.penalty_daily_rate, l.penalty_counts_due_day from loan_periods p
    join loans l on l.id = p.loan_id where ${unsettledAt} and p.start_date <= ?${partitionFilter} order by p.loan_id, p.number`;

const owedSql = (partitionFilter: string) =>
  `select count(*) as periods, coalesce(sum(debt_outstanding), 0) as amount from loan_periods p join loans l on l.id = p.loan_id
    where p.status = 'compensated' and p.settled_day <= ? and p.debt_outstanding > 0${partitionFilter}`;

/**
 * Lending at the end of d, as the read model holds it: of every loan, or only of the loans on
 * one partition (a day's cut reads its own partition's loans at its marker, when exactly the
 * entries before the marker are applied to them).
 */
export function lendingDayOf(db: ReadDatabase, date: BusinessDate, partition: number | null = null): LendingDay {
  const filter = partition === null ? '' : ' and l.partition = ?';
  const only = partition === null ? [] : [BigInt(partition)];
  const rows = prepared(db, openPeriodsSql(filter)).all(date, date, ...only) as OpenPeriodRow[];
  const owed = prepared(db, owedSql(filter)).get(date, ...only) as { periods: bigint; amount: bigint };
  return { date, overdue: overdueOf(rows, date), compensatedOwed: { periods: Number(owed.periods), amount: owed.amount }, accrual: accrualOf(rows, date) };
}

/** The lending of a day over all partitions: the sum of the partitions' (a loan is on one partition, so counts of loans add up too). */
export function sumOfLendingDays(date: BusinessDate, parts: readonly LendingDay[]): LendingDay {
  const overdue = {} as Record<OverdueClassName, OverdueClassLine>;
  for (const { name } of overdueClasses) {
    const lines = parts.map((part) => part.overdue[name]);
    overdue[name] = {
      periods: sumOf(lines, (l) => l.periods),
      loans: sumOf(lines, (l) => l.loans),
      principal: bigSumOf(lines, (l) => l.principal),
      interest: bigSumOf(lines, (l) => l.interest),
      penalty: bigSumOf(lines, (l) => l.penalty),
    };
  }
  const owed = parts.map((part) => part.compensatedOwed);
  const accruals = parts.map((part) => part.accrual);
  return {
    date,
    overdue,
    compensatedOwed: { periods: sumOf(owed, (o) => o.periods), amount: bigSumOf(owed, (o) => o.amount) },
    accrual: {
      loans: sumOf(accruals, (a) => a.loans),
      receivable: bigSumOf(accruals, (a) => a.receivable),
      penalty: bigSumOf(accruals, (a) => a.penalty),
      earnedOnDay: bigSumOf(accruals, (a) => a.earnedOnDay),
    },
  };
}

const sumOf = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((sum, item) => sum + of(item), 0);
const bigSumOf = <T>(items: readonly T[], of: (item: T) => bigint) => items.reduce((sum, item) => sum + of(item), 0n);

function overdueOf(rows: readonly OpenPeriodRow[], date: BusinessDate): Record<OverdueClassName, OverdueClassLine> {
  const lines = new Map<OverdueClassName, { periods: number; loans: Set<string>; principal: bigint; interest: bigint; penalty: bigint }>();
  for (const c of overdueClasses) lines.set(c.name, { periods: 0, loans: new Set(), principal: 0n, interest: 0n, penalty: 0n });
  for (const row of rows) {
    if (row.due_date > date) continue;
    const late = daysBetween(row.due_date, date);
    const line = lines.get(overdueClasses.find((c) => late >= c.minDays && late <= c.maxDays)!.name)!;
    line.periods += 1;
    line.loans.add(row.loan_id);
    line.principal += row.principal;
    line.interest += row.interest;
    line.penalty += penaltyThrough(row, date);
  }
  const result = {} as Record<OverdueClassName, OverdueClassLine>;
  for (const [name, line] of lines) result[name] = { periods: line.periods, loans: line.loans.size, principal: line.principal, interest: line.interest, penalty: line.penalty };
  return result;
}

/**
 * Interest earned and not paid at the end of d: a period due on or before d and unsettled
 * owes all its interest; the current period (started, not yet due) has earned its balance's
 * interest from its start through d by the loan's day count — never more than the period's
 * interest, which it reaches on the due date. A flat-rate loan's period earns its own interest
 * pro rata instead (periodInterestEarnedOf): that interest is on the principal the schedule
 * was made on, and the balance's would fall short mid-period and jump on the due date.
 */
function accrualOf(rows: readonly OpenPeriodRow[], date: BusinessDate): LendingDay['accrual'] {
  const nextDay = addDays(date, 1);
  const loans = new Set<string>();
  let receivable = 0n;
  let earnedOnDay = 0n;
  let penalty = 0n;
  for (const row of rows) {
    loans.add(row.loan_id);
    if (row.due_date <= date) {
      const penaltySoFar = penaltyThrough(row, date);
      receivable += row.interest + penaltySoFar;
      penalty += penaltySoFar;
      earnedOnDay += penaltySoFar - penaltyThrough(row, addDays(date, -1));
      continue;
    }
    const balance = row.principal + row.remaining;
    const product = productOf(row);
    const through = (end: BusinessDate) =>
      row.method === 'flat'
        ? periodInterestEarnedOf({ startDate: row.start_date, dueDate: row.due_date, interest: row.interest }, end, product)
        : minOf(row.interest, interestAccruedOf(balance, row.annual_rate, row.start_date, end, product));
    const earned = through(nextDay);
    receivable += earned;
    earnedOnDay += earned - through(date);
  }
  return { loans: loans.size, receivable, earnedOnDay, penalty };
}

const minOf = (a: bigint, b: bigint) => (a < b ? a : b);
