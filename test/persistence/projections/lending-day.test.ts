import fc from 'fast-check';
import t from 'tap';
import { addDays, daysBetween } from '../../../core/calendar/business-date.js';
import { initialLoanState, repaymentMethods, type LoanState } from '../../../core/lending/loan/loan.js';
import { bookOf } from '../../../core/lending/repayment/decide-repayment.js';
import { penaltyInterestOf } from '../../../core/lending/schedule/accrual.js';
import { dayCounts, defaultProduct, interestPeriods, roundingModes, type LoanProduct } from '../../../core/lending/schedule/product.js';
import { lendingDayOf, sumOfLendingDays } from '../../../persistence/projections/lending-day.js';
import { loanProjector } from '../../../persistence/projections/lending-projectors.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel, prepared } from '../../../persistence/projections/read-model.js';
import { completePayment, pay, repayingLoan } from '../../core/lending/repayment/loan-fixture.js';

interface Period {
  loan: string;
  number: number;
  start: string;
  due: string;
  principal: bigint;
  interest: bigint;
  remaining: bigint;
  status: 'open' | 'paid' | 'compensated';
  settledDay: string | null;
  debt: bigint;
}

/** partitionOf: the partition each loan is on (the read model keeps it; a day's cut reads its own partition's loans). */
function modelWith(periods: readonly Period[], rate = '0.12', dayCount = '30/360', method = 'equal_principal', partitionOf: (loan: string) => number = () => 0): ReadModel {
  const model = new ReadModel(':memory:', allProjectors);
  const loans = new Set(periods.map((p) => p.loan));
  for (const loan of loans) {
    prepared(model.db, "insert into loans values (?, 'b', 100000, ?, '3 months', ?, 'repaying', '2030-01-01', 0, '2030-01-01', '2030-04-01', 0, 'standard', ?, 'half_even', '0.0005', 0, ?, null)").run(loan, rate, method, dayCount, BigInt(partitionOf(loan)));
  }
  const insert = prepared(model.db, 'insert into loan_periods values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const p of periods) insert.run(p.loan, BigInt(p.number), p.start, p.due, p.principal, p.interest, p.remaining, p.status, p.status === 'open' ? null : 'borrower', null, 0n, p.settledDay, p.debt);
  return model;
}

const open = (loan: string, number: number, start: string, due: string, principal = 1000_00n, interest = 10_00n, remaining = 0n): Period => ({
  loan,
  number,
  start,
  due,
  principal,
  interest,
  remaining,
  status: 'open',
  settledDay: null,
  debt: 0n,
});

t.test('overdue classes by days past due at the end of the day: due today, M1 1–30, M2 31–60, M3 61–90, M3+ beyond', async (t) => {
  // Given periods due on the day and 1, 30, 31, 60, 61, 90 and 91 days before it
  const d = '2030-06-30';
  const dues = [0, 1, 30, 31, 60, 61, 90, 91].map((late, i) => open(`L${i}`, 1, addDays(d, -late - 30), addDays(d, -late)));
  // When the day is read
  const day = lendingDayOf(modelWith(dues).db, d);
  // Then each falls in its class, and a period not yet due in none
  const counts = Object.fromEntries(Object.entries(day.overdue).map(([name, line]) => [name, line.periods]));
  t.same(counts, { due_today: 1, m1: 2, m2: 2, m3: 2, m3_plus: 1 });
  // Penalty through the day on 1,010.00 at 0.05 % a day: 1 day 0.505 → 0.50 (half-even), 30 days 15.15.
  t.same(day.overdue.m1, { periods: 2, loans: 2, principal: 2000_00n, interest: 20_00n, penalty: 15_65n });
});

t.test('a period settled by a posting of a later day is still unsettled for this day; one settled on or before it is not', async (t) => {
  const d = '2030-03-10';
  const late = { ...open('A', 1, '2030-01-01', '2030-02-01'), status: 'paid' as const, settledDay: '2030-03-11' };
  const paid = { ...open('B', 1, '2030-01-01', '2030-02-01'), status: 'paid' as const, settledDay: '2030-03-10' };
  const day = lendingDayOf(modelWith([late, paid]).db, d);
  t.equal(day.overdue.m2.periods, 1, 'A was 37 days past due at the end of the 10th');
  t.equal(day.overdue.m2.loans, 1);
  t.equal(day.accrual.receivable, 10_00n + 18_68n, "only A's interest is receivable, with its 37 days of penalty (1,010.00 × 0.05 % × 37 = 18.685 → 18.68)");
});

t.test('what the guarantee is owed: compensated periods settled on or before the day whose debt is outstanding', async (t) => {
  const compensated = (loan: string, settledDay: string, debt: bigint): Period => ({ ...open(loan, 1, '2030-01-01', '2030-02-01'), status: 'compensated', settledDay, debt });
  const day = lendingDayOf(modelWith([compensated('A', '2030-02-05', 1010_00n), compensated('B', '2030-02-20', 500_00n), compensated('C', '2030-02-05', 0n)]).db, '2030-02-10');
  t.same(day.compensatedOwed, { periods: 1, amount: 1010_00n });
});

t.test('accrual: the current period has earned its balance × rate × days / 360 through the day, never more than its interest', async (t) => {
  // Given 3,000.00 outstanding at 12 % in a period 01-01 → 02-01 worth 30.00
  const period = open('L', 1, '2030-01-01', '2030-02-01', 1000_00n, 30_00n, 2000_00n);
  const at = (d: string) => lendingDayOf(modelWith([period]).db, d).accrual;
  t.same(at('2030-01-01'), { loans: 1, receivable: 1_00n, earnedOnDay: 1_00n, penalty: 0n }, 'one day');
  t.same(at('2030-01-10'), { loans: 1, receivable: 10_00n, earnedOnDay: 1_00n, penalty: 0n }, 'ten days');
  t.same(at('2030-01-31'), { loans: 1, receivable: 30_00n, earnedOnDay: 0n, penalty: 0n }, 'the 31st: capped at the period (30/360 counts 30 days in January)');
  t.same(at('2030-02-01'), { loans: 1, receivable: 30_00n, earnedOnDay: 0n, penalty: 0n }, 'due: all of it (no penalty on the due day)');
  t.same(at('2029-12-31'), { loans: 0, receivable: 0n, earnedOnDay: 0n, penalty: 0n }, 'before its start: nothing');
});

t.test('accrual of a flat-rate loan: the current period earns its own interest evenly (on the original principal), not its balance\'s', async (t) => {
  // Given period 2 of 1,200.00 flat at 12 % over 12 months: 12.00 of interest (1 % of 1,200.00), the balance 1,100.00
  const period = open('F', 2, '2030-02-01', '2030-03-01', 100_00n, 12_00n, 1_000_00n);
  const at = (d: string) => lendingDayOf(modelWith([period], '0.12', '30/360', 'flat').db, d).accrual;
  t.same(at('2030-02-15'), { loans: 1, receivable: 6_00n, earnedOnDay: 40n, penalty: 0n }, '15 days of 30: 12.00 × 15/30 = 6.00 (the balance would say 1,100.00 × 1 % × 15/30 = 5.50); a day 0.40');
  t.same(at('2030-03-01'), { loans: 1, receivable: 12_00n, earnedOnDay: 0n, penalty: 0n }, 'due: the whole 12.00, reached evenly (no jump on the due date)');
  const declining = lendingDayOf(modelWith([period]).db, '2030-02-15').accrual;
  t.equal(declining.receivable, 5_50n, 'the same row under a balance method: the balance\'s 5.50');
});

t.test("accrual follows the loan's own day count: ACT/365 fixed", async (t) => {
  // Given 3,650.00 at 10 % from 01-01 (a 31-day period worth 31.00): 1.00 a day
  const period = open('L', 1, '2030-01-01', '2030-02-01', 3650_00n, 31_00n, 0n);
  const day = lendingDayOf(modelWith([period], '0.1', 'ACT/365F').db, '2030-01-30');
  t.same(day.accrual, { loans: 1, receivable: 30_00n, earnedOnDay: 1_00n, penalty: 0n }, 'thirty days, not capped by 30/360');
});

t.test('property: receivable = Σ interest of due unsettled periods + the current periods’ part, which never exceeds their interest', async (t) => {
  const date = fc.integer({ min: 0, max: 120 }).map((n) => addDays('2030-01-01', n));
  const periods = fc.array(
    fc.record({ startOffset: fc.integer({ min: 0, max: 90 }), days: fc.integer({ min: 1, max: 60 }), principal: fc.bigInt({ min: 1n, max: 10_000_00n }), settled: fc.option(fc.integer({ min: 0, max: 150 })) }),
    { maxLength: 12 },
  );
  fc.assert(
    fc.property(periods, date, (shapes, d) => {
      const rows = shapes.map((s, i): Period => {
        const start = addDays('2030-01-01', s.startOffset);
        const interest = (s.principal * BigInt(s.days)) / 3000n; // 12 % × days / 360, truncated: any interest will do
        const settledDay = s.settled === null ? null : addDays('2030-01-01', s.settled);
        return { ...open(`L${i}`, 1, start, addDays(start, s.days), s.principal, interest), status: settledDay === null ? 'open' : 'paid', settledDay };
      });
      const day = lendingDayOf(modelWith(rows).db, d);
      const unsettled = rows.filter((r) => (r.settledDay === null || r.settledDay > d) && r.start <= d);
      const due = unsettled.filter((r) => r.due <= d).reduce((sum, r) => sum + r.interest, 0n);
      const current = unsettled.filter((r) => r.due > d);
      const currentCap = current.reduce((sum, r) => sum + r.interest, 0n);
      // Penalty as a payment on d is charged (core/lending/repayment/decide-repayment.ts): on principal + interest, from the due date.
      const penalty = unsettled.filter((r) => r.due <= d).reduce((sum, r) => sum + penaltyInterestOf(r.principal + r.interest, r.due, d, defaultProduct), 0n);
      const currentPart = day.accrual.receivable - due - penalty;
      const overdue = Object.values(day.overdue).reduce((sum, line) => sum + line.periods, 0);
      return (
        day.accrual.penalty === penalty &&
        currentPart >= 0n &&
        currentPart <= currentCap &&
        day.accrual.earnedOnDay >= 0n &&
        day.accrual.earnedOnDay <= currentPart + penalty &&
        overdue === unsettled.filter((r) => r.due <= d).length &&
        unsettled.filter((r) => r.due <= d).every((r) => daysBetween(r.due, d) >= 0)
      );
    }),
    { numRuns: 200 },
  );
  t.pass('held for 200 random books');
});

t.test('property: lending read partition by partition and summed is lending read over every loan (a loan is on one partition)', async (t) => {
  const shapes = fc.array(
    fc.record({
      startOffset: fc.integer({ min: 0, max: 90 }),
      days: fc.integer({ min: 1, max: 60 }),
      principal: fc.bigInt({ min: 1n, max: 10_000_00n }),
      settled: fc.option(fc.integer({ min: 0, max: 150 })),
      compensated: fc.boolean(),
      loan: fc.integer({ min: 0, max: 6 }),
    }),
    { maxLength: 14 },
  );
  fc.assert(
    fc.property(shapes, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 4 }), (rows, offset, partitions) => {
      const d = addDays('2030-01-01', offset);
      const periods = rows.map((s, i): Period => {
        const start = addDays('2030-01-01', s.startOffset);
        const settledDay = s.settled === null ? null : addDays('2030-01-01', s.settled);
        const status = settledDay === null ? 'open' : s.compensated ? 'compensated' : 'paid';
        return { ...open(`L${s.loan}`, i + 1, start, addDays(start, s.days), s.principal, s.principal / 100n), status, settledDay, debt: s.compensated ? s.principal : 0n };
      });
      const db = modelWith(periods, '0.12', '30/360', 'equal_principal', (loan) => Number(loan.slice(1)) % partitions).db;
      const parts = Array.from({ length: partitions }, (_, p) => lendingDayOf(db, d, p));
      t.same(sumOfLendingDays(d, parts), lendingDayOf(db, d));
    }),
    { numRuns: 100 },
  );
});

t.test('property: the penalty accrued at the end of a day is what paying every overdue period that day is charged by the loan (random loans, products and days)', async (t) => {
  const products = fc.record<LoanProduct>({
    name: fc.constant('p'),
    dayCount: fc.constantFrom(...dayCounts),
    interestPeriod: fc.constantFrom(...interestPeriods),
    rounding: fc.constantFrom(...roundingModes),
    installmentMultipleMinor: fc.constantFrom(1n, 100n),
    penaltyDailyRate: fc.constantFrom('0.0005', '0.001', '0.00035', '0.0002'),
    penaltyCountsDueDay: fc.boolean(),
  });
  const shapes = fc.record({
    amount: fc.bigInt({ min: 1_000_00n, max: 1_000_000_00n }),
    termMonths: fc.integer({ min: 1, max: 12 }),
    method: fc.constantFrom(...repaymentMethods),
  });
  let charged = 0;
  fc.assert(
    fc.property(shapes, products, fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 100 }), (shape, product, paidFirst, late) => {
      const first = shape.amount / 3n;
      const claims = [{ amount: first, investor: 'alice', property: 'principal' as const }, { amount: shape.amount - first, investor: 'bob', property: 'interest' as const }];
      const disbursed = repayingLoan({ ...shape, annualRate: '0.105', claims });
      let state: LoanState = disbursed.loan === null ? disbursed : { ...disbursed, loan: { ...disbursed.loan, product } };
      // Some periods paid on their due dates first.
      for (let n = 0; n < paidFirst && bookOf(state).open.length > 1; n++) state = completePayment(state, pay(`r${n}`, bookOf(state).open[0]!.dueDate)).state;
      const d = addDays(bookOf(state).open[0]!.dueDate, late);
      const model = new ReadModel(':memory:', allProjectors);
      loanProjector.project(model.db, { position: 1, partition: 0, actorId: 'loan:L1', firstSeq: 1, businessDate: null, events: [], causes: [], at: null, before: initialLoanState, after: state });
      const accrued = lendingDayOf(model.db, d).accrual.penalty;
      model.close();
      // Then pay, on d, every period due by then: the loan charges each its penalty.
      let paid = 0n;
      for (let n = 0; bookOf(state).open[0] !== undefined && bookOf(state).open[0]!.dueDate <= d; n++) {
        const payment = completePayment(state, pay(`d${n}`, d));
        paid += payment.state.repayments.get(`d${n}`)?.penalty ?? 0n;
        state = payment.state;
      }
      if (paid > 0n) charged++;
      return accrued === paid;
    }),
    { numRuns: 150 },
  );
  t.ok(charged > 50, `runs with a penalty charged: ${charged}`);
});
