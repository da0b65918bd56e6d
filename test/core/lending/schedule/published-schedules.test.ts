import t from 'tap';
import { defaultProduct, scheduleOf, type SchedulePeriod } from '../../../../core/lending/schedule/index.js';

/**
 * The schedule math against figures published by others, to the cent. Each source states a
 * monthly rate of annualRate / 12, rounded to the cent — the default product's convention.
 */
const monthly = (amount: bigint, annualRate: string, months: number, method: 'equal_installment' | 'equal_principal') =>
  scheduleOf({ amount, annualRate, term: { unit: 'months', count: months }, method }, '2020-01-15', defaultProduct);

const row = (p: SchedulePeriod | undefined) => (p === undefined ? null : { principal: p.principal, interest: p.interest, total: p.total, remaining: p.remaining });

t.test('Wikipedia, "Mortgage calculator" (Monthly payment formula): 200,000 at 6.5 % for 30 years pays 1,264.14 a month', async (t) => {
  // https://en.wikipedia.org/wiki/Mortgage_calculator — "P = 200000, r = 0.065/12, N = 360 … c = $1,264.14"
  const schedule = monthly(200_000_00n, '0.065', 360, 'equal_installment');
  t.equal(schedule.length, 360);
  t.ok(schedule.slice(0, -1).every((p) => p.total === 1_264_14n), 'every installment but the last is 1,264.14');
  t.same(row(schedule[0]), { principal: 180_81n, interest: 1_083_33n, total: 1_264_14n, remaining: 199_819_19n }, 'month 1: 200,000 × 0.065 / 12 = 1,083.33 of interest');
});

t.test('CFPB, Loan Estimate sample (fixed rate, form H-24(B)): 162,000 at 3.875 % for 30 years', async (t) => {
  // The CFPB's sample Loan Estimate of a fixed-rate loan (TILA-RESPA integrated disclosure,
  // explained at https://www.consumerfinance.gov/owning-a-home/loan-estimate/): Loan Amount
  // $162,000, Interest Rate 3.875 %, 30 years, "Monthly Principal & Interest $761.78";
  // "Comparisons — In 5 Years … $15,773 Principal you will have paid off".
  const schedule = monthly(162_000_00n, '0.03875', 360, 'equal_installment');
  t.equal(schedule[0]?.total, 761_78n, 'principal & interest 761.78');
  const paidOffIn5Years = 162_000_00n - (schedule[59]?.remaining ?? 0n);
  t.equal(paidOffIn5Years, 15_772_59n, 'after 60 payments 15,772.59 of principal is paid');
  t.equal((paidOffIn5Years + 50n) / 100n, 15_773n, 'which the form states in whole dollars: $15,773');
});

t.test('Chinese bank mortgage calculators (PBoC benchmark 4.9 % for 5+ years, Oct 2015): 1,000,000 over 30 years', async (t) => {
  // The standard example of the banks' 房贷计算器 (e.g. China Construction Bank, China Merchants
  // Bank online calculators) and countless explanations of 等额本息 / 等额本金: 贷款100万、30年、
  // 年利率4.9%: 等额本息月供 5307.27 元 (首月利息 4083.33, 本金 1223.94); 等额本金首月 6861.11 元,
  // 每月递减 11.34 元.
  const annuity = monthly(1_000_000_00n, '0.049', 360, 'equal_installment');
  t.same(row(annuity[0]), { principal: 1_223_94n, interest: 4_083_33n, total: 5_307_27n, remaining: 998_776_06n }, '等额本息: month 1');
  t.ok(annuity.slice(0, -1).every((p) => p.total === 5_307_27n), '等额本息: 5,307.27 every month but the last');
  const declining = monthly(1_000_000_00n, '0.049', 360, 'equal_principal');
  t.same(row(declining[0]), { principal: 2_777_78n, interest: 4_083_33n, total: 6_861_11n, remaining: 997_222_22n }, '等额本金: month 1 is 6,861.11');
  t.equal(declining[1]?.total, 6_849_77n, '等额本金: month 2 is 11.34 less');
  t.equal(declining[2]?.total, 6_838_43n, '等额本金: month 3 is 11.34 less again');
});
