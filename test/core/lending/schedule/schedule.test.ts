import t from 'tap';
import { isRejection } from '../../../../core/rejection.js';
import {
  defaultProduct,
  earlyRepaymentOf,
  interestAccruedOf,
  loanProductProblemOf,
  isOverdue,
  penaltyInterestOf,
  periodInterestEarnedOf,
  ratioOfDecimal,
  roundRatio,
  scheduleOf,
  yearFractionOf,
  type LoanProduct,
  type ScheduleTerms,
} from '../../../../core/lending/schedule/index.js';

const product = (patch: Partial<LoanProduct> = {}): LoanProduct => ({ ...defaultProduct, ...patch });
const terms = (patch: Partial<ScheduleTerms> = {}): ScheduleTerms => ({ amount: 10_000_00n, annualRate: '0.12', term: { unit: 'months', count: 12 }, method: 'equal_installment', ...patch });

t.test('day counts: 30/360 (bond basis), ACT/365 fixed, ACT/ACT ISDA, as exact ratios', async (t) => {
  t.same(yearFractionOf('2030-01-31', '2030-02-28', '30/360'), { num: 28n, den: 360n }, '30/360: 31st → 30th, February has 28');
  t.same(yearFractionOf('2030-01-30', '2030-03-31', '30/360'), { num: 60n, den: 360n }, '30/360: end day 31 → 30 when the start is the 30th');
  t.same(yearFractionOf('2030-01-15', '2030-02-15', '30/360'), { num: 30n, den: 360n }, '30/360: a whole month is 1/12');
  t.same(yearFractionOf('2028-01-01', '2029-01-01', 'ACT/365F'), { num: 366n, den: 365n }, 'ACT/365F: a leap year is 366/365');
  t.same(yearFractionOf('2027-07-01', '2028-07-01', 'ACT/ACT'), { num: 184n * 366n + 182n * 365n, den: 365n * 366n }, 'ACT/ACT: 184/365 + 182/366, each year by its own length');
  t.same(yearFractionOf('2030-02-01', '2030-01-01', 'ACT/365F'), { num: 0n, den: 1n }, 'backwards is nothing');
});

t.test('rounding a ratio once: half-even, half-up, down, to a multiple', async (t) => {
  const r = (num: bigint, den: bigint) => ({ num, den });
  t.same([roundRatio(r(5n, 2n), 'half_even'), roundRatio(r(7n, 2n), 'half_even'), roundRatio(r(5n, 2n), 'half_up'), roundRatio(r(5n, 2n), 'down')], [2n, 4n, 3n, 2n], '2.5 and 3.5');
  t.same([roundRatio(r(251n, 100n), 'half_even'), roundRatio(r(249n, 100n), 'half_up')], [3n, 2n], 'off the half');
  t.same([roundRatio(r(88_849n, 1n), 'half_even', 100n), roundRatio(r(88_850n, 1n), 'half_even', 100n), roundRatio(r(88_950n, 1n), 'half_even', 100n), roundRatio(r(88_899n, 1n), 'down', 100n)], [88_800n, 88_800n, 89_000n, 88_800n], 'to whole yuan');
  t.same(ratioOfDecimal('0.0825'), { num: 825n, den: 10_000n });
  t.same(ratioOfDecimal('1'), { num: 1n, den: 1n });
});

t.test('methods: given a loan, when scheduled, then its periods', async (t) => {
  const bullet = scheduleOf(terms({ method: 'bullet' }), '2030-01-31', defaultProduct);
  t.same(bullet, [{ number: 1, startDate: '2030-01-31', dueDate: '2031-01-31', principal: 10_000_00n, interest: 1_200_00n, total: 11_200_00n, remaining: 0n, months: 12 }], 'bullet: one period, 12/12 of a year');
  const interestFirst = scheduleOf(terms({ method: 'interest_first', term: { unit: 'months', count: 3 } }), '2030-01-31', defaultProduct);
  t.same(
    interestFirst.map((p) => [p.dueDate, p.principal, p.interest, p.remaining]),
    [
      ['2030-02-28', 0n, 100_00n, 10_000_00n],
      ['2030-03-31', 0n, 100_00n, 10_000_00n],
      ['2030-04-30', 10_000_00n, 100_00n, 0n],
    ],
    'interest first: month ends clamped, principal with the last',
  );
  const equalPrincipal = scheduleOf(terms({ method: 'equal_principal', term: { unit: 'months', count: 3 } }), '2030-01-01', defaultProduct);
  t.same(
    equalPrincipal.map((p) => [p.principal, p.interest, p.remaining]),
    [
      [3_333_33n, 100_00n, 6_666_67n],
      [3_333_33n, 66_67n, 3_333_34n],
      [3_333_34n, 33_33n, 0n],
    ],
    'equal principal: 10,000 / 3 = 3,333.33, the last absorbs the cent',
  );
  const annuity = scheduleOf(terms(), '2030-01-01', defaultProduct);
  t.equal(annuity[0]?.total, 888_49n, 'equal installment: 10,000 at 12 % over 12 months is 888.49');
  t.equal(annuity[11]?.total, 888_47n, 'the last absorbs the rounding');
});

t.test('a term in days: one period, interest by the day count', async (t) => {
  const days = (dayCount: LoanProduct['dayCount']) => scheduleOf(terms({ annualRate: '0.0365', term: { unit: 'days', count: 90 }, method: 'equal_installment' }), '2030-01-01', product({ dayCount }));
  t.same(days('ACT/365F').map((p) => [p.dueDate, p.principal, p.interest]), [['2030-04-01', 10_000_00n, 90_00n]], 'ACT/365F: 90/365');
  t.same(days('30/360').map((p) => p.interest), [91_25n], '30/360: 01-01 → 04-01 is 90 days of 360');
});

t.test('daily interest: each monthly period by its days', async (t) => {
  const schedule = scheduleOf(terms({ annualRate: '0.0365', method: 'interest_first', term: { unit: 'months', count: 2 } }), '2030-01-01', product({ dayCount: 'ACT/365F', interestPeriod: 'daily' }));
  t.same(
    schedule.map((p) => p.interest),
    [31_00n, 28_00n],
    'January 31 days, February 28 days, at 1.00 a day',
  );
});

t.test('rounding modes: half-even, half-up, down', async (t) => {
  const firstInterest = (amount: bigint, rounding: LoanProduct['rounding']) =>
    scheduleOf(terms({ amount, annualRate: '0.06', method: 'interest_first', term: { unit: 'months', count: 2 } }), '2030-01-01', product({ rounding }))[0]?.interest;
  t.same([firstInterest(1_001_00n, 'half_even'), firstInterest(1_001_00n, 'half_up'), firstInterest(1_001_00n, 'down')], [5_00n, 5_01n, 5_00n], '5.005');
  t.same([firstInterest(1_003_00n, 'half_even'), firstInterest(1_003_00n, 'half_up'), firstInterest(1_003_00n, 'down')], [5_02n, 5_02n, 5_01n], '5.015');
});

t.test('installment rounded to a multiple: whole yuan, the last period absorbs', async (t) => {
  const schedule = scheduleOf(terms(), '2030-01-01', product({ installmentMultipleMinor: 100n }));
  t.ok(schedule.slice(0, -1).every((p) => p.total === 888_00n), '888.49 → 888.00');
  t.equal(schedule.reduce((sum, p) => sum + p.principal, 0n), 10_000_00n);
  t.ok((schedule[11]?.total ?? 0n) > 888_00n, 'the last pays what the rounding left');
  const up = scheduleOf(terms(), '2030-01-01', product({ installmentMultipleMinor: 100n, rounding: 'half_up' }));
  t.equal(up[0]?.total, 888_00n, 'half-up of 888.49 is 888 too');
});

t.test('interest accrued to a date and penalty interest', async (t) => {
  t.equal(interestAccruedOf(10_000_00n, '0.12', '2030-01-15', '2030-02-15', defaultProduct), 100_00n, 'a whole month = the month interest (30/360)');
  t.equal(interestAccruedOf(10_000_00n, '0.12', '2030-01-15', '2030-01-30', defaultProduct), 50_00n, '15 days of 360');
  t.equal(interestAccruedOf(10_000_00n, '0.12', '2030-01-15', '2030-01-15', defaultProduct), 0n);
  t.equal(penaltyInterestOf(1_000_00n, '2030-03-01', '2030-03-01', defaultProduct), 0n, 'on the due date: not late');
  t.equal(penaltyInterestOf(1_000_00n, '2030-03-01', '2030-03-11', defaultProduct), 5_00n, '10 days × 0.05 %');
  t.equal(penaltyInterestOf(1_000_00n, '2030-03-01', '2030-03-11', product({ penaltyCountsDueDay: true })), 5_50n, 'days + 1: 11 days');
  t.notOk(isOverdue({ dueDate: '2030-03-01', settled: false }, '2030-03-01'), 'due today is not overdue');
  t.ok(isOverdue({ dueDate: '2030-03-01', settled: false }, '2030-03-02'), 'the day after, unpaid: overdue');
  t.notOk(isOverdue({ dueDate: '2030-03-01', settled: true }, '2030-04-01'), 'settled is never overdue');
});

t.test("a period's own interest earned pro rata (flat-rate accrual)", async (t) => {
  // Period 2 of 1,200.00 flat at 12 % over 12 months from 01-15: 02-15 → 03-15, 12.00 of interest.
  const period = { startDate: '2030-02-15', dueDate: '2030-03-15', interest: 12_00n };
  t.equal(periodInterestEarnedOf(period, '2030-03-01', defaultProduct), 6_40n, '16 days of 30 (30/360): 12.00 × 16/30 = 6.40 (the balance 1,100.00 would earn 5.87)');
  t.equal(periodInterestEarnedOf(period, '2030-03-15', defaultProduct), 12_00n, 'the due date: all of it');
  t.equal(periodInterestEarnedOf(period, '2030-04-01', defaultProduct), 12_00n, 'never more');
  t.equal(periodInterestEarnedOf(period, '2030-02-15', defaultProduct), 0n, 'nothing on its start');
  t.equal(periodInterestEarnedOf(period, '2030-03-01', product({ dayCount: 'ACT/365F' })), 6_00n, 'ACT/365F: 14 of 28 actual days = 6.00');
});

t.test('early repayment: interest to the date, the rest principal, lower installments on the same due dates', async (t) => {
  const schedule = scheduleOf(terms(), '2030-01-01', defaultProduct);
  const open = { periods: schedule.slice(1), annualRate: '0.12', method: 'equal_installment' as const };
  const outstanding = schedule[0]?.remaining ?? 0n;
  const repaid = earlyRepaymentOf(open, '2030-02-16', 5_000_00n, defaultProduct);
  if (isRejection(repaid)) return t.fail(repaid.code);
  const expectedInterest = BigInt(Math.round((Number(outstanding) * 0.12 * 15) / 360));
  t.equal(repaid.interest, expectedInterest, '15 days (30/360) of interest on the outstanding principal');
  t.equal(repaid.principal, 5_000_00n - expectedInterest);
  t.equal(repaid.remaining, outstanding - repaid.principal);
  t.same(repaid.schedule.map((p) => p.dueDate), schedule.slice(1).map((p) => p.dueDate), 'the same due dates');
  t.same(repaid.schedule.map((p) => p.number), schedule.slice(1).map((p) => p.number), 'the same numbers');
  t.equal(repaid.schedule[0]?.startDate, '2030-02-16', 'the current period now runs from the repayment');
  t.equal(repaid.schedule.reduce((sum, p) => sum + p.principal, 0n), repaid.remaining, 'the rest amortizes exactly');
  t.ok((repaid.schedule[1]?.total ?? 0n) < (schedule[2]?.total ?? 0n), 'a lower installment');
  const payoff = earlyRepaymentOf(open, '2030-02-01', outstanding, defaultProduct);
  t.same(isRejection(payoff) ? payoff.code : [payoff.remaining, payoff.schedule], [0n, []], 'on the period start: no interest; all of it pays the loan off');
});

t.test('early repayment refusals, in order', async (t) => {
  const schedule = scheduleOf(terms(), '2030-01-01', defaultProduct);
  const open = { periods: schedule.slice(1), annualRate: '0.12', method: 'equal_installment' as const };
  const code = (value: unknown) => (isRejection(value) ? value.code : 'accepted');
  t.equal(code(earlyRepaymentOf({ ...open, periods: [] }, '2030-02-16', 1n, defaultProduct)), 'early_repayment_nothing_open', '1.');
  t.equal(code(earlyRepaymentOf(open, '2030-01-31', 1_000_00n, defaultProduct)), 'early_repayment_date_outside_period', '2. before the current period');
  t.equal(code(earlyRepaymentOf(open, '2030-03-01', 1_000_00n, defaultProduct)), 'early_repayment_date_outside_period', '2. on its due date');
  t.equal(code(earlyRepaymentOf(open, '2030-02-16', 1n, defaultProduct)), 'early_repayment_amount_below_interest', '3.');
  t.equal(code(earlyRepaymentOf(open, '2030-02-16', 100_000_00n, defaultProduct)), 'early_repayment_amount_above_balance', '4.');
});

t.test('flat: interest on the original principal every period, equal installments, the last absorbing the rest (figures by hand)', async (t) => {
  const flat = (amount: bigint, annualRate: string, months: number, product = defaultProduct) => scheduleOf({ amount, annualRate, term: { unit: 'months', count: months }, method: 'flat' }, '2030-01-15', product);
  const rows = (periods: ReturnType<typeof flat>) => periods.map((p) => [p.principal, p.interest, p.total, p.remaining]);
  // 1,200.00 at 12 % over 12 months: 12.00 of interest each month on the original 1,200.00; (1,200 + 144) / 12 = 112.00.
  const even = flat(1_200_00n, '0.12', 12);
  t.same(new Set(even.map((p) => `${p.principal}/${p.interest}/${p.total}`)), new Set(['10000/1200/11200']), 'every period 100.00 + 12.00');
  t.equal(even.at(-1)?.remaining, 0n);
  // 1,000.00 at 10 % over 3 months: 8.333… a month → 8.33, 8.33 and the last 8.34 (25.00 in all, exactly 1,000 × 10 % × 3/12);
  // installment (1,000 + 25) / 3 = 341.666… → 341.67; the last repays what remains.
  t.same(rows(flat(1_000_00n, '0.10', 3)), [
    [333_34n, 8_33n, 341_67n, 666_66n],
    [333_34n, 8_33n, 341_67n, 333_32n],
    [333_32n, 8_34n, 341_66n, 0n],
  ]);
  // The same with installments in whole units (multiple 1.00): 342.00, 342.00, then the rest.
  t.same(rows(flat(1_000_00n, '0.10', 3, { ...defaultProduct, installmentMultipleMinor: 100n })), [
    [333_67n, 8_33n, 342_00n, 666_33n],
    [333_67n, 8_33n, 342_00n, 332_66n],
    [332_66n, 8_34n, 341_00n, 0n],
  ]);
  const declining = scheduleOf({ amount: 1_000_00n, annualRate: '0.10', term: { unit: 'months', count: 3 }, method: 'equal_principal' }, '2030-01-15', defaultProduct);
  t.ok(declining.reduce((sum, p) => sum + p.interest, 0n) < 25_00n, 'a declining balance pays less interest than flat');
});

t.test('installmentFrom actual_days: the annuity over each period\'s own day-count rate; with 30/360 it agrees with nominal', async (t) => {
  const daily: LoanProduct = { ...defaultProduct, dayCount: 'ACT/365F', interestPeriod: 'daily' };
  const annuity = (product: LoanProduct) => scheduleOf({ amount: 1_000_00n, annualRate: '0.12', term: { unit: 'months', count: 3 }, method: 'equal_installment' }, '2030-01-01', product);
  const rows = (periods: ReturnType<typeof annuity>) => periods.map((p) => [p.principal, p.interest, p.total, p.remaining]);
  // By hand: r = 12 % × 31/365, 28/365, 31/365; A = P·Π(1+r) / Σ_k Π_{j>k}(1+r_j) = 339.9304… → 339.93.
  // Jan: 1,000.00 × 0.12 × 31/365 = 10.19; Feb: 670.26 × 0.12 × 28/365 = 6.17; Mar: 336.50 × 0.12 × 31/365 = 3.43 — and the last
  // installment is 339.93 too, where the nominal one (340.02 at 1 % a month) leaves a different last period under daily interest.
  t.same(rows(annuity({ ...daily, installmentFrom: 'actual_days' })), [
    [329_74n, 10_19n, 339_93n, 670_26n],
    [333_76n, 6_17n, 339_93n, 336_50n],
    [336_50n, 3_43n, 339_93n, 0n],
  ]);
  t.equal(annuity(daily)[0]?.total, 340_02n, 'nominal: the annuity at 1 % a month');
  const thirty: LoanProduct = { ...defaultProduct, dayCount: '30/360', interestPeriod: 'daily' };
  t.same(annuity({ ...thirty, installmentFrom: 'actual_days' }), annuity(thirty), 'every month is 30/360 = 1/12: the two agree');
  t.equal(loanProductProblemOf({ ...defaultProduct, installmentFrom: 'weekly' as never }), 'standard: installmentFrom is one of nominal, actual_days');
});
