import fc from 'fast-check';
import t from 'tap';
import { addDays, daysBetween } from '../../../../core/calendar/business-date.js';
import { repaymentMethods } from '../../../../core/lending/loan/loan.js';
import { dayCounts, earlyRepaymentOf, installmentFroms, interestPeriods, ratioOfDecimal, roundRatio, roundingModes, scheduleOf, type LoanProduct, type ScheduleTerms } from '../../../../core/lending/schedule/index.js';
import { isRejection } from '../../../../core/rejection.js';

const products = fc.record<LoanProduct>({
  name: fc.constant('p'),
  dayCount: fc.constantFrom(...dayCounts),
  interestPeriod: fc.constantFrom(...interestPeriods),
  rounding: fc.constantFrom(...roundingModes),
  installmentMultipleMinor: fc.constantFrom(1n, 100n, 1_000n),
  penaltyDailyRate: fc.constant('0.0005'),
  penaltyCountsDueDay: fc.boolean(),
  installmentFrom: fc.constantFrom(...installmentFroms),
});

const rates = fc.integer({ min: 1, max: 360_000 }).map((micro) => (micro / 1_000_000).toFixed(6).replace(/0+$/, ''));
const loanTerms = fc.record<ScheduleTerms>({
  amount: fc.bigInt({ min: 100_00n, max: 50_000_000_00n }),
  annualRate: rates,
  term: fc.oneof(fc.record({ unit: fc.constant('months' as const), count: fc.integer({ min: 1, max: 60 }) }), fc.record({ unit: fc.constant('days' as const), count: fc.integer({ min: 1, max: 1_095 }) })),
  method: fc.constantFrom(...repaymentMethods),
});
const startDates = fc.integer({ min: 0, max: 365 * 30 }).map((days) => addDays('2024-01-01', days));

t.test('every schedule: Σ principal = amount exactly, remaining falls to 0, nothing negative, totals add up', async (t) => {
  fc.assert(
    fc.property(loanTerms, startDates, products, (terms, start, product) => {
      const schedule = scheduleOf(terms, start, product);
      let remaining = terms.amount;
      for (const period of schedule) {
        if (period.principal < 0n || period.interest < 0n || period.remaining < 0n) return false;
        if (period.total !== period.principal + period.interest) return false;
        remaining -= period.principal;
        if (period.remaining !== remaining) return false;
      }
      return remaining === 0n && schedule.at(-1)?.remaining === 0n;
    }),
  );
  t.pass('held over the runs');
});

t.test('flat and actual-day schedules amortize exactly: Σ principal = amount, remaining falls to 0, total = principal + interest (every run one of them)', async (t) => {
  const flatOrActual = fc.oneof(
    fc.tuple(loanTerms.map((terms) => ({ ...terms, method: 'flat' as const })), products),
    fc.tuple(loanTerms.map((terms) => ({ ...terms, method: 'equal_installment' as const })), products.map((product) => ({ ...product, installmentFrom: 'actual_days' as const, interestPeriod: 'daily' as const }))),
  );
  fc.assert(
    fc.property(flatOrActual, startDates, ([terms, product], start) => {
      const schedule = scheduleOf(terms, start, product);
      let remaining = terms.amount;
      for (const period of schedule) {
        if (period.principal < 0n || period.interest < 0n || period.total !== period.principal + period.interest) return false;
        remaining -= period.principal;
        if (period.remaining !== remaining) return false;
      }
      return remaining === 0n;
    }),
    { numRuns: 300 },
  );
  t.pass('held over the runs');
});

t.test('periods are numbered 1..n, contiguous, each due after it starts', async (t) => {
  fc.assert(
    fc.property(loanTerms, startDates, products, (terms, start, product) => {
      const schedule = scheduleOf(terms, start, product);
      return schedule.every((p, i) => p.number === i + 1 && daysBetween(p.startDate, p.dueDate) > 0 && (i === 0 ? p.startDate === start : p.startDate === schedule[i - 1]?.dueDate));
    }),
  );
  t.pass('held over the runs');
});

t.test('equal installment: the same total every period but the last (a loan large enough for its multiple)', async (t) => {
  const monthlyAnnuities = loanTerms.filter((terms) => terms.term.unit === 'months' && terms.amount >= 1_000_00n).map((terms) => ({ ...terms, method: 'equal_installment' as const }));
  fc.assert(
    fc.property(monthlyAnnuities, startDates, products, (terms, start, product) => {
      const schedule = scheduleOf(terms, start, product);
      const first = schedule[0]?.total;
      return schedule.slice(0, -1).every((p) => p.total === first);
    }),
  );
  t.pass('held over the runs');
});

t.test('early repayment: interest + principal = the amount; the recomputed rest amortizes exactly what remains', async (t) => {
  const monthly = loanTerms.filter((terms) => terms.term.unit === 'months');
  fc.assert(
    fc.property(monthly, startDates, products, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 1_000 }).map((permille) => permille / 1_000), (terms, start, product, periodPick, dayPick, share) => {
      const schedule = scheduleOf(terms, start, product);
      const settled = periodPick % schedule.length;
      const open = schedule.slice(settled);
      const current = open[0];
      if (current === undefined) return true;
      const date = addDays(current.startDate, dayPick % daysBetween(current.startDate, current.dueDate));
      const outstanding = current.principal + current.remaining;
      const amount = BigInt(Math.floor(Number(outstanding) * share)) + 1n;
      const repaid = earlyRepaymentOf({ periods: open, annualRate: terms.annualRate, method: terms.method }, date, amount, product);
      if (isRejection(repaid)) return repaid.code === 'early_repayment_amount_below_interest' || repaid.code === 'early_repayment_amount_above_balance';
      const rest = repaid.schedule.reduce((sum, p) => sum + p.principal, 0n);
      return (
        repaid.interest + repaid.principal === amount &&
        repaid.remaining === outstanding - repaid.principal &&
        rest === repaid.remaining &&
        repaid.schedule.every((p) => p.principal >= 0n && p.interest >= 0n && p.remaining >= 0n) &&
        (repaid.schedule.length === 0 ? repaid.remaining === 0n : repaid.schedule.length === open.length)
      );
    }),
  );
  t.pass('held over the runs');
});

t.test('flat: the interest totals amount × rate × the term exactly (rounded once), and every installment but the last is the same', async (t) => {
  const monthlyFlat = loanTerms.filter((terms) => terms.term.unit === 'months' && terms.amount >= 1_000_00n).map((terms) => ({ ...terms, method: 'flat' as const }));
  const periodProducts = products.map((product) => ({ ...product, interestPeriod: 'period' as const }));
  fc.assert(
    fc.property(monthlyFlat, startDates, periodProducts, (terms, start, product) => {
      const schedule = scheduleOf(terms, start, product);
      const rate = ratioOfDecimal(terms.annualRate);
      const months = BigInt(terms.term.count);
      const expected = roundRatio({ num: terms.amount * rate.num * months, den: rate.den * 12n }, product.rounding);
      const interest = schedule.reduce((sum, p) => sum + p.interest, 0n);
      const first = schedule[0]?.total;
      const equal = schedule.slice(0, -1).every((p) => p.total === first || p.principal === 0n || p.remaining === 0n);
      return interest === expected && equal;
    }),
  );
  t.pass('held over the runs');
});

t.test('actual_days: under 30/360 (a start day that every month has) every month is 1/12, so it agrees with nominal', async (t) => {
  const annuities = loanTerms.filter((terms) => terms.term.unit === 'months').map((terms) => ({ ...terms, method: 'equal_installment' as const }));
  const earlyStarts = startDates.filter((date) => Number(date.slice(8, 10)) <= 28);
  const thirty = products.map((product) => ({ ...product, dayCount: '30/360' as const }));
  fc.assert(
    fc.property(annuities, earlyStarts, thirty, (terms, start, product) => {
      const nominal = scheduleOf(terms, start, { ...product, installmentFrom: 'nominal' });
      const actual = scheduleOf(terms, start, { ...product, installmentFrom: 'actual_days' });
      return JSON.stringify(nominal, (_, v) => (typeof v === 'bigint' ? String(v) : v)) === JSON.stringify(actual, (_, v) => (typeof v === 'bigint' ? String(v) : v));
    }),
  );
  t.pass('held over the runs');
});
