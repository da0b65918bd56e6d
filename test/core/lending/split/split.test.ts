import fc from 'fast-check';
import t from 'tap';
import { splitRepayment, type SplitClaim } from '../../../../core/lending/split/split.js';

const claim = (orderNo: string, principalOutstanding: bigint, property: SplitClaim['property'] = 'principal', investor = 'alice'): SplitClaim => ({
  orderNo,
  investor,
  investmentId: `i-${orderNo}`,
  investRepayDate: '2031-01-01',
  property,
  principalOutstanding,
});

t.test('given three claims, when 100.00 principal + 10.00 interest is split, then pro rata with the largest remainder, routed by property', async (t) => {
  const claims = [claim('L/c1', 300_00n), claim('L/c2', 300_00n, 'interest', 'bob'), claim('L/c3', 300_00n, 'principal', 'carol')];
  const split = splitRepayment(claims, 100_00n, 10_00n);
  t.same(
    split.shares.map((s) => [s.orderNo, s.principal, s.interest, s.interestTo]),
    [
      ['L/c1', 33_34n, 3_34n, 'interest_pool'],
      ['L/c2', 33_33n, 3_33n, 'revenue'],
      ['L/c3', 33_33n, 3_33n, 'interest_pool'],
    ],
    'the odd cent goes to the earliest claim (stable ties)',
  );
  t.equal(split.toPool, 100_00n, 'every claim\'s principal goes back to the pool, interest claims\' too');
  t.equal(split.toInterestPools, 6_67n, 'principal claims\' interest → interest pools');
  t.equal(split.toRevenue, 3_33n, 'interest claims\' interest → platform revenue');
});

t.test('weights are the outstanding principal, not the original amount; finished claims take nothing', async (t) => {
  const split = splitRepayment([claim('c1', 0n), claim('c2', 1_00n), claim('c3', 3_00n)], 4_00n, 1n);
  t.same(split.shares.map((s) => [s.orderNo, s.principal, s.interest]), [['c2', 1_00n, 0n], ['c3', 3_00n, 1n]]);
});

t.test('more principal than the claims have out is a bug (thrown), never a silent overpayment', async (t) => {
  t.throws(() => splitRepayment([claim('c1', 1_00n)], 1_01n, 0n));
});

const claimsArb = fc
  .array(fc.record({ out: fc.bigInt({ min: 0n, max: 10n ** 10n }), interest: fc.boolean(), investor: fc.constantFrom('a', 'b', 'c') }), { minLength: 1, maxLength: 40 })
  .map((rows) => rows.map((row, i) => claim(`c${i}`, row.out, row.interest ? 'interest' : 'principal', row.investor)))
  .filter((claims) => claims.some((c) => c.principalOutstanding > 0n));

t.test('property: every split sums exactly, per part and per destination; no claim gets more than it has out; shares are within one unit of their exact part', async () => {
  fc.assert(
    fc.property(claimsArb, fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.double({ min: 0, max: 1, noNaN: true }), (claims, interest, fraction) => {
      const outstanding = claims.reduce((sum, c) => sum + c.principalOutstanding, 0n);
      const principal = (outstanding * BigInt(Math.floor(fraction * 1_000_000))) / 1_000_000n;
      const split = splitRepayment(claims, principal, interest);
      const sumP = split.shares.reduce((s, x) => s + x.principal, 0n);
      const sumI = split.shares.reduce((s, x) => s + x.interest, 0n);
      const byRoute = split.shares.reduce((s, x) => (x.interestTo === 'revenue' ? s : s + x.interest), 0n);
      const withinOne = split.shares.every((share) => {
        const c = claims.find((x) => x.orderNo === share.orderNo);
        if (c === undefined) return false;
        const exactTimesOut = principal * c.principalOutstanding;
        return share.principal <= c.principalOutstanding && share.principal * outstanding <= exactTimesOut + outstanding && share.principal * outstanding >= exactTimesOut - outstanding;
      });
      return sumP === principal && split.toPool === principal && sumI === interest && split.toInterestPools === byRoute && split.toInterestPools + split.toRevenue === interest && withinOne;
    }),
  );
});
