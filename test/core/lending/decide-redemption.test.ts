import t from 'tap';
import type { InvestmentState } from '../../../core/lending/investment/investment.js';
import { decideRedemption } from '../../../core/lending/redemption/decide-redemption.js';
import { assertRedemption, evolveRedemption } from '../../../core/lending/redemption/evolve-redemption.js';
import { initialRedemptionState, outstandingOf, type RedemptionCommand, type RedemptionEvent } from '../../../core/lending/redemption/redemption.js';
import { t0 } from './fixtures.js';
import { deciderOf } from './given.js';

const given = deciderOf(decideRedemption, evolveRedemption, initialRedemptionState);
const investment: InvestmentState = {
  investment: { id: 'i1', investor: 'alice', amount: 300_00n, termDays: 30, placedOn: '2030-01-01', maturityDate: '2030-01-31', placedAt: t0 },
  status: 'active',
  capitalId: 'cap-i1',
  shard: 0,
  fundedAt: t0,
  activatedAt: t0,
  failure: null,
};
const redeem = (patch: Partial<Extract<RedemptionCommand, { type: 'redeem' }>['data']> = {}): RedemptionCommand => ({
  type: 'redeem',
  data: { id: 'r1', investment, loans: ['L2', 'L1', 'L1'], at: t0, on: '2030-01-31', shards: 2, recheckMs: 1_000, ...patch },
});
const redemption = { id: 'r1', investmentId: 'i1', investor: 'alice', principal: 300_00n, maturityDate: '2030-01-31', requestedOn: '2030-01-31', requestedAt: t0 };
const started: RedemptionEvent = { type: 'redemption_started', data: { redemption, shards: 2, loans: ['L1', 'L2'], nextCheckAt: t0 + 1_000 } };
const answer = (shard: number, pulledBack: bigint, round = 1, reservedLoans: string[] = []) => ({ shard, round, pulledBack, reservedAmount: 0n, reservedLoans });
const answered = (shard: number, pulledBack: bigint, round = 1, reservedLoans: string[] = []): RedemptionCommand => ({ type: 'pull_back_answered', data: { answer: answer(shard, pulledBack, round, reservedLoans), at: t0 } });
const progress = (loanId: string, proceeds: bigint, settled: boolean, open = settled ? 0 : 1): RedemptionCommand => ({
  type: 'transfers_progress',
  data: { progress: { loanId, investmentId: 'i1', redemptionId: 'r1', open, proceeds, settled }, at: t0 + 5 },
});

t.test('redeem: precedence — investment_not_found, a redemption there is, investment_not_active, redemption_before_maturity', async (t) => {
  given().when(redeem({ investment: null })).rejects(t, 'investment_not_found', '1.');
  given(started).when(redeem({ id: 'other', on: '2029-01-01' })).then(t, [], '2. whatever the id and date: the one there is');
  given().when(redeem({ investment: { ...investment, status: 'failed' }, on: '2029-01-01' })).rejects(t, 'investment_not_active', '3.');
  given().when(redeem({ on: '2030-01-30' })).rejects(t, 'redemption_before_maturity', '4. the day before');
  given().when(redeem()).then(t, [started], 'on the maturity date: started, its loans each once');
  given().when(redeem({ on: '2031-05-01' })).emits(t, ['redemption_started'], 'after it too');
});

t.test('it completes when pulled back + transferred = principal; answers count once; progress only grows', async (t) => {
  const first = given(started).when(answered(0, 100_00n, 1, ['L3', 'L1']));
  first.then(t, [{ type: 'capital_returned', data: { redemption, answer: answer(0, 100_00n, 1, ['L3', 'L1']), newLoans: ['L3'] } }], 'a loan still holding a reservation is asked too');
  const afterFirst: RedemptionEvent[] = [started, ...(first.decision as RedemptionEvent[])];
  given(...afterFirst).when(answered(0, 100_00n, 1)).then(t, [], 'the same answer again');
  const reported = given(...afterFirst).when(progress('L1', 150_00n, true));
  reported.emits(t, ['transfers_reported']);
  const mid: RedemptionEvent[] = [...afterFirst, ...(reported.decision as RedemptionEvent[])];
  t.equal(outstandingOf(given(...mid).state), 50_00n);
  given(...mid).when(progress('L1', 100_00n, false)).then(t, [], 'an older report');
  given(...mid).when(progress('L2', 50_00n, true)).then(t, [
    { type: 'transfers_reported', data: { loanId: 'L2', proceeds: 50_00n, settled: true } },
    { type: 'redemption_completed', data: { at: t0 + 5, investor: 'alice' } },
  ]);
  const other = { ...progress('L2', 50_00n, true) } as Extract<RedemptionCommand, { type: 'transfers_progress' }>;
  given(...mid).when({ ...other, data: { ...other.data, progress: { ...other.data.progress, investmentId: 'i9' } } }).then(t, [], 'another investment\'s progress');
});

t.test('recheck: a new round when due and not complete, asking only loans not settled', async (t) => {
  const mid: RedemptionEvent[] = [started, { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 10_00n, settled: true } }];
  given(...mid).when({ type: 'recheck', data: { at: t0 + 999, recheckMs: 1_000 } }).then(t, [], 'not yet due');
  given(...mid)
    .when({ type: 'recheck', data: { at: t0 + 1_000, recheckMs: 1_000 } })
    .then(t, [{ type: 'redemption_round_started', data: { redemption, round: 2, shards: 2, loans: ['L2'], nextCheckAt: t0 + 2_000 } }]);
  const done: RedemptionEvent[] = [started, { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 300_00n, settled: true } }, { type: 'redemption_completed', data: { at: t0, investor: 'alice' } }];
  given(...done).when({ type: 'recheck', data: { at: t0 + 5_000, recheckMs: 1_000 } }).then(t, [], 'completed: no more rounds');
  assertRedemption(given(...done).state);
  t.throws(() => assertRedemption(given(...done.slice(0, 2)).state), /completed exactly when/);
});
