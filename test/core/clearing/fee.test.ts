import fc from 'fast-check';
import t from 'tap';
import { feeOf, parseFeeRule, type FeeRule } from '../../../core/clearing/fee.js';
import { splitRepayment, netInterestOf, type SplitClaim } from '../../../core/lending/split/split.js';

const rule = (value: object): FeeRule => {
  const parsed = parseFeeRule(value, 'CNY', 'fee');
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

t.test('the rule table: a percentage within min and max, a fixed fee, rounding', async (t) => {
  // Given 10 % with a minimum of 0.50 and a maximum of 20.00
  const service = rule({ rate: '0.10', min: '0.50', max: '20.00' });
  t.equal(feeOf(service, 30_00n), 3_00n, '10 % of 30.00');
  t.equal(feeOf(service, 2_00n), 50n, 'the minimum: 0.50, not 0.20');
  t.equal(feeOf(service, 1_000_00n), 20_00n, 'the maximum: 20.00, not 100.00');
  t.equal(feeOf(service, 30n), 30n, 'never more than what it is charged on');
  t.equal(feeOf(service, 0n), 0n);
  // A fixed fee, and one with both
  t.equal(feeOf(rule({ fixed: '2.00' }), 500_00n), 2_00n);
  t.equal(feeOf(rule({ rate: '0.001', fixed: '1.00' }), 500_00n), 1_50n);
  // Rounding: 10 % of 0.05 = 0.005
  t.equal(feeOf(rule({ rate: '0.10' }), 5n), 0n, 'half-even: 0.005 → 0.00');
  t.equal(feeOf(rule({ rate: '0.10', rounding: 'half_up' }), 5n), 1n, 'half-up: 0.005 → 0.01');
  t.equal(feeOf(rule({ rate: '0.10', rounding: 'up' }), 1n), 1n, 'up: 0.001 → 0.01');
  t.equal(feeOf(rule({ rate: '0.10', rounding: 'down' }), 19n), 1n, 'down: 0.019 → 0.01');
});

t.test('bad rules are refused with a clear message', async (t) => {
  const problem = (value: unknown) => parseFeeRule(value, 'CNY', 'serviceFee');
  t.match(problem({}), /needs a rate, a fixed amount, or both/);
  t.match(problem({ rate: '10%' }), /rate: a decimal fraction/);
  t.match(problem({ rate: '0.1', rounding: 'nearest' }), /rounding: one of/);
  t.match(problem({ fixed: '1.001' }), /serviceFee.fixed/);
  t.match(problem({ rate: '0.1', min: '5.00', max: '1.00' }), /max is below min/);
  t.match(problem({ rate: '0.1', percent: 3 }), /unknown field percent/);
  t.match(problem('0.1'), /a fee is an object/);
});

const claimsArb = fc.array(
  fc.record({ outstanding: fc.bigInt({ min: 1n, max: 10_000_00n }), interestClaim: fc.boolean() }),
  { minLength: 1, maxLength: 8 },
);

t.test('property: at every split, fees + net = gross on each share, and the totals are the payment', async () => {
  fc.assert(
    fc.property(claimsArb, fc.bigInt({ min: 0n, max: 100_000_00n }), fc.integer({ min: 0, max: 30 }), (specs, interest, percent) => {
      const claims: SplitClaim[] = specs.map((c, i) => ({ orderNo: `c${i}`, investor: `i${i}`, investmentId: `inv${i}`, investRepayDate: '2031-01-01', property: c.interestClaim ? 'interest' : 'principal', principalOutstanding: c.outstanding }));
      const principal = specs.reduce((sum, c) => sum + c.outstanding, 0n) / 2n;
      const split = splitRepayment(claims, principal, interest, rule({ rate: `0.${String(percent).padStart(2, '0')}`, min: '0.01' }));
      const fees = split.shares.reduce((sum, share) => sum + (share.fee ?? 0n), 0n);
      const net = split.shares.reduce((sum, share) => sum + (share.interestTo === 'interest_pool' ? netInterestOf(share) : 0n), 0n);
      return (
        split.shares.every((share) => netInterestOf(share) + (share.fee ?? 0n) === share.interest && netInterestOf(share) >= 0n && (share.interestTo === 'revenue' ? share.fee === undefined : true)) &&
        split.toInterestPools === net &&
        split.toInterestPools + split.toRevenue === interest &&
        fees <= split.toRevenue
      );
    }),
  );
});
