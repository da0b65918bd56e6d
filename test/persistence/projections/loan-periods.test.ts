import fc from 'fast-check';
import { addDays } from '../../../core/calendar/business-date.js';
import t from 'tap';
import type { LoanCommand } from '../../../core/lending/loan/commands.js';
import { decideLoan } from '../../../core/lending/loan/decide-loan.js';
import { evolveLoan } from '../../../core/lending/loan/evolve-loan.js';
import { initialLoanState, type LoanState } from '../../../core/lending/loan/loan.js';
import { bookOf } from '../../../core/lending/repayment/decide-repayment.js';
import type { SchedulePeriod } from '../../../core/lending/schedule/schedule.js';
import { isRejection } from '../../../core/rejection.js';
import { writeLoanPeriods } from '../../../persistence/projections/loan-periods.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel, prepared, type ReadDatabase } from '../../../persistence/projections/read-model.js';
import { bankSays, holdPlaced, pay, repayingLoan } from '../../core/lending/repayment/loan-fixture.js';

type Step = 'due' | 'guarantee' | 'debt' | 'early' | 'payoff';

interface Row {
  number: bigint;
  start_date: string;
  due_date: string;
  principal: bigint;
  interest: bigint;
  remaining: bigint;
  status: string;
  settled_day: string | null;
  debt_outstanding: bigint;
}

function rowsOf(db: ReadDatabase): Row[] {
  return prepared(db, 'select number, start_date, due_date, principal, interest, remaining, status, settled_day, debt_outstanding from loan_periods order by number').all() as Row[];
}

const changesOf = (db: ReadDatabase) => Number((prepared(db, 'select total_changes() as n').get() as { n: bigint }).n);

/** The command a step asks for on the loan as it stands (null: the step does not apply now). */
function commandOf(state: LoanState, step: Step, n: number): LoanCommand | null {
  const book = bookOf(state);
  const current = book.open[0];
  const debt = book.guaranteeDebts[0];
  switch (step) {
    case 'due':
      return current === undefined ? null : pay(`p${n}`, current.dueDate);
    case 'guarantee':
      // Compensated once overdue: the day after it was due.
      return current === undefined ? null : pay(`p${n}`, addDays(current.dueDate, 1), null, 'guarantee', current.number);
    case 'debt':
      // The borrower's next payment repays the oldest compensated period first.
      return debt === undefined ? null : pay(`p${n}`, addDays(debt.dueDate, 2));
    case 'early':
      return current === undefined || book.open.length < 2 ? null : pay(`p${n}`, current.startDate, current.principal + current.interest + 1_000_00n);
    case 'payoff':
      // On the period's first day nothing has accrued: the principal pays the loan off.
      return current === undefined ? null : pay(`p${n}`, current.startDate, book.principalOutstanding);
  }
}

/** Each event of a command projected as its own entry, as the runner would; what the table changed per event. */
function driveProjected(db: ReadDatabase, state: LoanState, command: LoanCommand, changes: number[]): LoanState | null {
  const decision = decideLoan(state, command);
  if (isRejection(decision)) return null;
  let s = state;
  for (const event of decision) {
    const after = evolveLoan(s, event);
    const before = changesOf(db);
    writeLoanPeriods(db, s, after, (settledOn) => settledOn);
    changes.push(changesOf(db) - before);
    s = after;
  }
  return s;
}

t.test('given any run of payments, compensations, debt repayments and early repayments, when each event is projected, then the periods are the book\'s and each settled row keeps the open period it was; a due payment writes one row', async (t) => {
  const seen = new Map<Step, number>();
  fc.assert(
    fc.property(fc.array(fc.constantFrom<Step>('due', 'due', 'guarantee', 'debt', 'early', 'payoff'), { minLength: 1, maxLength: 14 }), (steps) => {
      const model = new ReadModel(':memory:', allProjectors);
      try {
        let state = repayingLoan({ amount: 12_000_00n, annualRate: '0.12', termMonths: 12, method: 'equal_installment', claims: [{ amount: 12_000_00n, investor: 'alice', property: 'principal' }] });
        const changes: number[] = [];
        // The schedule's rows, written as the loan starts repaying (before any book).
        writeLoanPeriods(model.db, { ...initialLoanState, loan: state.loan }, state, (d) => d);
        const openWhenSettled = new Map<number, SchedulePeriod>();
        steps.forEach((step, n) => {
          const command = commandOf(state, step, n);
          if (command === null) return;
          const openBefore = bookOf(state).open;
          const requested = driveProjected(model.db, state, command, changes);
          if (requested === null) return;
          const repayment = requested.repayments.get(`p${n}`);
          if (repayment === undefined) return;
          const held = driveProjected(model.db, requested, holdPlaced(`p${n}`, repayment.requestedOn), changes) as LoanState;
          const paidChanges: number[] = [];
          state = driveProjected(model.db, held, bankSays(repayment.orderNo, 'succeeded', repayment.requestedOn), paidChanges) as LoanState;
          changes.push(...paidChanges);
          seen.set(step, (seen.get(step) ?? 0) + 1);
          for (const settled of bookOf(state).settled) {
            const was = openBefore.find((period) => period.number === settled.number);
            if (!openWhenSettled.has(settled.number) && was !== undefined) openWhenSettled.set(settled.number, was);
          }
          if (repayment.kind === 'due') t.same(paidChanges, [1], 'a due payment changes one row');
        });
        const book = bookOf(state);
        const debts = new Map(book.guaranteeDebts.map((debt) => [debt.period, debt.principal + debt.interest]));
        const expected = [
          ...book.settled.map((settled) => {
            const was = openWhenSettled.get(settled.number);
            return {
              number: BigInt(settled.number),
              start_date: was?.startDate ?? settled.dueDate,
              due_date: settled.dueDate,
              principal: settled.principal,
              interest: settled.interest,
              remaining: was?.remaining ?? 0n,
              status: settled.by === 'guarantee' ? 'compensated' : 'paid',
              settled_day: settled.settledOn,
              debt_outstanding: debts.get(settled.number) ?? 0n,
            };
          }),
          ...book.open.map((period) => ({ number: BigInt(period.number), start_date: period.startDate, due_date: period.dueDate, principal: period.principal, interest: period.interest, remaining: period.remaining, status: 'open', settled_day: null, debt_outstanding: 0n })),
        ].sort((a, b) => Number(a.number - b.number));
        t.same(rowsOf(model.db), expected);
        return true;
      } finally {
        model.close();
      }
    }),
    { numRuns: 150 },
  );
  for (const step of ['due', 'guarantee', 'debt', 'early', 'payoff'] as const) t.ok((seen.get(step) ?? 0) > 0, `${step} payments ran (${seen.get(step) ?? 0})`);
});
