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

/** Rewrites the periods of a loan whose repayment book changed in this entry. */
export function writeLoanPeriods(db: ReadDatabase, before: LoanState, after: LoanState, dayOf: (settledOn: string) => string): void {
  const book = after.book ?? scheduleOnceRepaying(before, after);
  if (book === null || book === before.book) return;
  const loanId = after.loan?.id;
  if (loanId === undefined) return;
  const debts = new Map(book.guaranteeDebts.map((debt) => [debt.period, debt.principal + debt.interest]));
  const scheduled = new Map<number, SchedulePeriod>();
  for (const period of before.book?.open ?? []) scheduled.set(period.number, period);
  for (const period of book.open) scheduled.set(period.number, period);
  const rows: PeriodRow[] = book.open.map((period) => [loanId, period.number, period.startDate, period.dueDate, period.principal, period.interest, period.remaining, 'open', null, null, null, null, 0n]);
  const settledBefore = new Set(before.book?.settled.map((s) => s.number) ?? []);
  for (const settled of book.settled) {
    const known = settledBefore.has(settled.number);
    rows.push(settledRow(loanId, settled, scheduled.get(settled.number), known ? null : dayOf(settled.settledOn), debts.get(settled.number) ?? 0n));
  }
  const upsert = prepared(db,
    `insert into loan_periods values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict(loan_id, number) do update set start_date = excluded.start_date,
      due_date = excluded.due_date, principal = excluded.principal, interest = excluded.interest, remaining = excluded.remaining, status = excluded.status,
      settled_by = excluded.settled_by, repayment_id = excluded.repayment_id, penalty = excluded.penalty,
      settled_day = coalesce(loan_periods.settled_day, excluded.settled_day), debt_outstanding = excluded.debt_outstanding`,
  );
  for (const row of rows) upsert.run(row[0], BigInt(row[1]), ...row.slice(2));
  // An early repayment that shortens nothing keeps the numbers; one that pays the loan off leaves no open period past the settled ones.
  const highest = Math.max(0, ...rows.map((row) => row[1]));
  prepared(db, "delete from loan_periods where loan_id = ? and number > ? and status = 'open'").run(loanId, BigInt(highest));
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
