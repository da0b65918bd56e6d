import type { LoanState } from '../../core/lending/loan/loan.js';
import type { SettledPeriod } from '../../core/lending/repayment/repayment.js';
import { scheduleOf, type SchedulePeriod } from '../../core/lending/schedule/schedule.js';
import { prepared, type ReadDatabase } from './read-model.js';

/**
 * A loan's periods as the read model keeps them: open (still owed by the borrower), paid
 * (by the borrower) or compensated (by the guarantee, which the borrower then owes). Written
 * from the loan's repayment book; `settled_day` is the business day of the posting that
 * settled the period (the cut rule's day, fixed at first sight), so what a close of day d
 * reads of a period settled later is the same whenever it reads it.
 */
export const loanPeriodsSchema = [
  `create table if not exists loan_periods (loan_id text not null, number integer not null, start_date text not null, due_date text not null,
    principal integer not null, interest integer not null, remaining integer not null, status text not null, settled_by text, repayment_id text,
    penalty integer, settled_day text, debt_outstanding integer not null, primary key (loan_id, number))`,
  'create index if not exists loan_periods_by_due on loan_periods(due_date, loan_id)',
];

type PeriodRow = readonly [string, number, string, string, bigint, bigint, bigint, string, string | null, string | null, bigint | null, string | null, bigint];

/**
 * Writes the periods of a loan that this entry changed, and only those: a payment settles one
 * period (its open row becomes a settled one), a reschedule replaces the open ones, a repaid
 * compensation changes one period's debt. The book's periods are immutable objects, so an open
 * period the previous book holds by identity is unchanged. A settled row is written once, when
 * the period settles (its start date and remaining come from the open period it was); later
 * only its debt changes.
 */
export function writeLoanPeriods(db: ReadDatabase, before: LoanState, after: LoanState, dayOf: (settledOn: string) => string): void {
  const book = after.book ?? scheduleOnceRepaying(before, after);
  if (book === null || book === before.book) return;
  const loanId = after.loan?.id;
  if (loanId === undefined) return;
  const previous = before.book;
  const openBefore = new Set(previous?.open ?? []);
  const rows: PeriodRow[] = [];
  for (const period of book.open) if (!openBefore.has(period)) rows.push([loanId, period.number, period.startDate, period.dueDate, period.principal, period.interest, period.remaining, 'open', null, null, null, null, 0n]);
  const debts = debtsOf(book);
  const debtsBefore = previous === null ? new Map<number, bigint>() : debtsOf(previous);
  const settledBefore = new Set(previous?.settled.map((s) => s.number) ?? []);
  const debtChanged: [number, bigint][] = [];
  for (const settled of book.settled) {
    const debt = debts.get(settled.number) ?? 0n;
    if (!settledBefore.has(settled.number)) rows.push(settledRow(loanId, settled, findOpen(previous, settled.number), dayOf(settled.settledOn), debt));
    else if (debt !== (debtsBefore.get(settled.number) ?? 0n)) debtChanged.push([settled.number, debt]);
  }
  const upsert = prepared(db,
    `insert into loan_periods values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict(loan_id, number) do update set start_date = excluded.start_date,
      due_date = excluded.due_date, principal = excluded.principal, interest = excluded.interest, remaining = excluded.remaining, status = excluded.status,
      settled_by = excluded.settled_by, repayment_id = excluded.repayment_id, penalty = excluded.penalty,
      settled_day = coalesce(loan_periods.settled_day, excluded.settled_day), debt_outstanding = excluded.debt_outstanding`,
  );
  for (const row of rows) upsert.run(row[0], BigInt(row[1]), ...row.slice(2));
  const updateDebt = prepared(db, 'update loan_periods set debt_outstanding = ? where loan_id = ? and number = ?');
  for (const [number, debt] of debtChanged) updateDebt.run(debt, loanId, BigInt(number));
  // Fewer periods than before (an early repayment that shortens the loan or pays it off): the open rows past the last go.
  const highest = highestNumberOf(book);
  if (previous === null || highest < highestNumberOf(previous)) prepared(db, "delete from loan_periods where loan_id = ? and number > ? and status = 'open'").run(loanId, BigInt(highest));
}

function debtsOf(book: NonNullable<LoanState['book']>): Map<number, bigint> {
  return new Map(book.guaranteeDebts.map((debt) => [debt.period, debt.principal + debt.interest]));
}

/** The open period a settled one was, in the book before (where a period is found by the payment that settles it). */
function findOpen(book: LoanState['book'], number: number): SchedulePeriod | undefined {
  return book?.open.find((period) => period.number === number);
}

function highestNumberOf(book: NonNullable<LoanState['book']>): number {
  const lastOpen = book.open[book.open.length - 1]?.number ?? 0;
  const lastSettled = book.settled.reduce((highest, settled) => Math.max(highest, settled.number), 0);
  return Math.max(lastOpen, lastSettled);
}

/** Before its first payment a loan has no book: from the moment it repays, its periods are its schedule's. */
function scheduleOnceRepaying(before: LoanState, after: LoanState): LoanState['book'] {
  const { loan, approval } = after;
  if (loan === null || approval === null || after.status !== 'repaying' || before.status === 'repaying') return null;
  const open = scheduleOf({ amount: loan.amount, annualRate: loan.annualRate, term: loan.term, method: loan.method }, approval.startDate, loan.product);
  return { open, settled: [], principalOutstanding: loan.amount, guaranteeDebts: [], nextNo: 1 };
}

function settledRow(loanId: string, settled: SettledPeriod, scheduled: SchedulePeriod | undefined, day: string | null, debt: bigint): PeriodRow {
  const status = settled.by === 'guarantee' ? 'compensated' : 'paid';
  const startDate = scheduled?.startDate ?? settled.dueDate;
  const remaining = scheduled?.remaining ?? 0n;
  return [loanId, settled.number, startDate, settled.dueDate, settled.principal, settled.interest, remaining, status, settled.by, settled.repaymentId, settled.penalty, day, debt];
}
