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
  data: { id: 'r1', investment, loans: ['L2', 'L1', 'L1'], capitalShards: [1, 0, 1, 7], at: t0, on: '2030-01-31', shards: 2, recheckMs: 1_000, ...patch },
});
const redemption = { id: 'r1', investmentId: 'i1', investor: 'alice', principal: 300_00n, maturityDate: '2030-01-31', requestedOn: '2030-01-31', requestedAt: t0, expectedInterest: 0n };
const started: RedemptionEvent = { type: 'redemption_started', data: { redemption, shards: 2, askedShards: [0, 1], loans: ['L1', 'L2'], nextCheckAt: t0 + 1_000 } };
const answer = (shard: number, pulledBack: bigint, round = 1, reservedLoans: string[] = [], reservedAmount = 0n) => ({ shard, round, pulledBack, interestPulledBack: 0n, reservedAmount, reservedLoans });
const answered = (shard: number, pulledBack: bigint, round = 1, reservedLoans: string[] = [], reservedAmount = 0n): RedemptionCommand => ({
  type: 'pull_back_answered',
  data: { answer: answer(shard, pulledBack, round, reservedLoans, reservedAmount), at: t0 },
});
const progress = (loanId: string, proceeds: bigint, settled: boolean, open = settled ? 0 : 1): RedemptionCommand => ({
  type: 'transfers_progress',
  data: { progress: { loanId, investmentId: 'i1', redemptionId: 'r1', open, proceeds, interestProceeds: 0n, settled }, at: t0 + 5 },
});

t.test('redeem: precedence — investment_not_found, a redemption there is, investment_not_active, redemption_before_maturity', async (t) => {
  given().when(redeem({ investment: null })).rejects(t, 'investment_not_found', '1.');
  given(started).when(redeem({ id: 'other', on: '2029-01-01' })).then(t, [], '2. whatever the id and date: the one there is');
  given().when(redeem({ investment: { ...investment, status: 'failed' }, on: '2029-01-01' })).rejects(t, 'investment_not_active', '3.');
  given().when(redeem({ on: '2030-01-30' })).rejects(t, 'redemption_before_maturity', '4. the day before');
  given().when(redeem()).then(t, [started], 'on the maturity date: started, its loans and the shards of its capitals each once');
  given().when(redeem({ capitalShards: [1] })).then(t, [{ ...started, data: { ...started.data, askedShards: [1] } } as RedemptionEvent], 'only the shards holding its capitals are asked first');
  given().when(redeem({ on: '2031-05-01' })).emits(t, ['redemption_started'], 'after it too');
});

t.test('it is all back when pulled back + transferred = principal, every loan settled and no shard holds a reservation; then the interest pool is read and paid out', async (t) => {
  const first = given(started).when(answered(0, 100_00n, 1, ['L3', 'L1'], 5_00n));
  first.then(t, [{ type: 'capital_returned', data: { redemption, answer: answer(0, 100_00n, 1, ['L3', 'L1'], 5_00n), newLoans: ['L3'] } }], 'a loan still holding a reservation is asked too');
  const afterFirst: RedemptionEvent[] = [started, ...(first.decision as RedemptionEvent[])];
  given(...afterFirst).when(answered(0, 100_00n, 1)).then(t, [], 'the same answer again');
  const reported = given(...afterFirst).when(progress('L1', 150_00n, true));
  reported.emits(t, ['transfers_reported']);
  const mid: RedemptionEvent[] = [...afterFirst, ...(reported.decision as RedemptionEvent[]), { type: 'transfers_reported', data: { loanId: 'L3', proceeds: 0n, interestProceeds: 0n, settled: true } }];
  t.equal(outstandingOf(given(...mid).state), 50_00n);
  given(...mid).when(progress('L1', 100_00n, false)).then(t, [], 'an older report');
  const principalBack = given(...mid).when(progress('L2', 50_00n, true));
  principalBack.emits(t, ['transfers_reported'], 'the principal is back, but shard 0 still held a reservation and shard 1 never answered');
  const back: RedemptionEvent[] = [...mid, ...(principalBack.decision as RedemptionEvent[])];
  given(...back).when(answered(1, 0n, 1)).emits(t, ['capital_returned'], 'shard 0\'s latest answer still holds 5.00');
  const round2 = { type: 'capital_returned' as const, data: { redemption, answer: answer(1, 0n, 1), newLoans: [] } };
  given(...back, round2)
    .when(answered(0, 0n, 2))
    .then(t, [
      { type: 'capital_returned', data: { redemption, answer: answer(0, 0n, 2), newLoans: [] } },
      { type: 'redemption_returned', data: { redemption, at: t0 } },
    ]);
  const returned: RedemptionEvent[] = [...back, round2, { type: 'capital_returned', data: { redemption, answer: answer(0, 0n, 2), newLoans: [] } }, { type: 'redemption_returned', data: { redemption, at: t0 } }];
  given(...returned).when({ type: 'interest_balance', data: { balance: 12_34n, at: t0 + 9 } }).then(t, [{ type: 'interest_use_requested', data: { redemption, amount: 12_34n } }]);
  const asked: RedemptionEvent[] = [...returned, { type: 'interest_use_requested', data: { redemption, amount: 12_34n } }];
  given(...asked).when({ type: 'interest_balance', data: { balance: 1n, at: t0 + 9 } }).then(t, [], 'a use is under way: a late read changes nothing');
  given(...asked).when({ type: 'interest_use_answered', data: { accepted: true, at: t0 + 10 } }).then(t, [{ type: 'redemption_completed', data: { redemption, interestPaid: 12_34n, at: t0 + 10, paidBy: [] } }]);
  const refused = given(...asked).when({ type: 'interest_use_answered', data: { accepted: false, at: t0 + 10 } });
  refused.then(t, [{ type: 'interest_use_refused', data: { redemption } }], 'another redemption of the investor took it: read again');
  given(...asked, { type: 'interest_use_refused', data: { redemption } })
    .when({ type: 'interest_balance', data: { balance: 0n, at: t0 + 11 } })
    .then(t, [{ type: 'redemption_completed', data: { redemption, interestPaid: 0n, at: t0 + 11, paidBy: [] } }], 'nothing left: done');
  given(...back).when({ type: 'interest_balance', data: { balance: 12_34n, at: t0 + 9 } }).then(t, [], 'not before everything is back');
  const other = progress('L2', 50_00n, true) as Extract<RedemptionCommand, { type: 'transfers_progress' }>;
  given(...mid).when({ ...other, data: { ...other.data, progress: { ...other.data.progress, investmentId: 'i9' } } }).then(t, [], 'another investment\'s progress');
});

t.test('answers: a round answered by every shard asked is forgotten, and a late copy of its answers is a redelivery', async (t) => {
  const first = { type: 'capital_returned' as const, data: { redemption, answer: answer(0, 10_00n), newLoans: [] } };
  const second = { type: 'capital_returned' as const, data: { redemption, answer: answer(1, 20_00n), newLoans: [] } };
  const half = given(started, first).state;
  t.same([...half.answered.keys()], [1]);
  t.equal(half.answeredThrough, 0);
  const whole = given(started, first, second).state;
  t.same([...whole.answered.keys()], [], 'nothing kept of round 1');
  t.equal(whole.answeredThrough, 1);
  t.equal(whole.pulledBack, 30_00n);
  given(started, first, second).when(answered(1, 20_00n)).then(t, [], 'a redelivered answer of a forgotten round counts nothing');
});

t.test('recheck: a new round when due and not complete, asking only loans not settled', async (t) => {
  const mid: RedemptionEvent[] = [started, { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 10_00n, interestProceeds: 0n, settled: true } }];
  given(...mid).when({ type: 'recheck', data: { at: t0 + 999, recheckMs: 1_000, recheckMaxMs: 3_000 } }).then(t, [], 'not yet due');
  given(...mid)
    .when({ type: 'recheck', data: { at: t0 + 1_000, recheckMs: 1_000, recheckMaxMs: 3_000 } })
    .then(t, [{ type: 'redemption_round_started', data: { redemption, round: 2, shards: 2, loans: ['L2'], nextCheckAt: t0 + 3_000 } }], 'the wait doubles');
  const round2: RedemptionEvent = { type: 'redemption_round_started', data: { redemption, round: 2, shards: 2, loans: ['L2'], nextCheckAt: t0 + 3_000 } };
  given(...mid, round2)
    .when({ type: 'recheck', data: { at: t0 + 3_000, recheckMs: 1_000, recheckMaxMs: 3_000 } })
    .then(t, [{ type: 'redemption_round_started', data: { redemption, round: 3, shards: 2, loans: ['L2'], nextCheckAt: t0 + 6_000 } }], 'up to recheckMaxMs');
  const done: RedemptionEvent[] = [
    started,
    { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 300_00n, interestProceeds: 0n, settled: true } },
    { type: 'transfers_reported', data: { loanId: 'L2', proceeds: 0n, interestProceeds: 0n, settled: true } },
    { type: 'capital_returned', data: { redemption, answer: answer(0, 0n), newLoans: [] } },
    { type: 'capital_returned', data: { redemption, answer: answer(1, 0n), newLoans: [] } },
    { type: 'redemption_returned', data: { redemption, at: t0 } },
    { type: 'redemption_completed', data: { redemption, interestPaid: 0n, at: t0 } },
  ];
  given(...done).when({ type: 'recheck', data: { at: t0 + 5_000, recheckMs: 1_000, recheckMaxMs: 3_000 } }).then(t, [], 'completed: no more rounds');
  assertRedemption(given(...done).state);
  assertRedemption(given(...done.slice(0, 6)).state);
  t.throws(() => assertRedemption({ ...given(...done).state, interestPaid: null }), /completed exactly when its interest/);
  t.throws(() => assertRedemption({ ...given(...done.slice(0, 6)).state, reservedByShard: new Map() }), /only once everything is back/);
  t.throws(() => assertRedemption({ ...given(...done).state, pulledBack: 1n }), /more came back/);
});

t.test('interest capital pulled back: the pool is read only once the interest pool confirmed the credit (flow 13), each credit once', async (t) => {
  const withInterest = { shard: 0, round: 1, pulledBack: 300_00n, interestPulledBack: 7_00n, reservedAmount: 0n, reservedLoans: [] };
  const settledLoans: RedemptionEvent[] = [
    started,
    { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 0n, interestProceeds: 0n, settled: true } },
    { type: 'transfers_reported', data: { loanId: 'L2', proceeds: 0n, interestProceeds: 0n, settled: true } },
    { type: 'capital_returned', data: { redemption, answer: answer(1, 0n), newLoans: [] } },
  ];
  given(...settledLoans)
    .when({ type: 'pull_back_answered', data: { answer: withInterest, at: t0 } })
    .then(t, [{ type: 'capital_returned', data: { redemption, answer: withInterest, newLoans: [] } }], 'the principal is back, the interest credit not yet');
  const back: RedemptionEvent[] = [...settledLoans, { type: 'capital_returned', data: { redemption, answer: withInterest, newLoans: [] } }];
  given(...back)
    .when({ type: 'interest_pull_back_credited', data: { flowId: 'pb.0.1', amount: 7_00n, at: t0 + 1 } })
    .then(t, [
      { type: 'interest_credit_confirmed', data: { flowId: 'pb.0.1', amount: 7_00n } },
      { type: 'redemption_returned', data: { redemption, at: t0 + 1 } },
    ]);
  given(...back, { type: 'interest_credit_confirmed', data: { flowId: 'pb.0.1', amount: 7_00n } })
    .when({ type: 'interest_pull_back_credited', data: { flowId: 'pb.0.1', amount: 7_00n, at: t0 + 2 } })
    .then(t, [], 'a redelivered confirmation counts once');
});

t.test('a pull-back told booked: the principal counts as back once the ledger booked its transfer, not when the shard answered; each booking once, in either order; a refusal is recorded and completes nothing', async (t) => {
  const told = { shard: 0, round: 1, pulledBack: 300_00n, interestPulledBack: 0n, reservedAmount: 0n, reservedLoans: [], tellsBooking: true };
  const settledLoans: RedemptionEvent[] = [
    started,
    { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 0n, interestProceeds: 0n, settled: true } },
    { type: 'transfers_reported', data: { loanId: 'L2', proceeds: 0n, interestProceeds: 0n, settled: true } },
    { type: 'capital_returned', data: { redemption, answer: answer(1, 0n), newLoans: [] } },
  ];
  const returned: RedemptionEvent = { type: 'capital_returned', data: { redemption, answer: told, newLoans: [] } };
  const booked = (at: number): RedemptionCommand => ({ type: 'pull_back_booked', data: { transferId: 'sys.pb.0.1', amount: 300_00n, at } });
  const confirmed: RedemptionEvent = { type: 'pull_back_booking_confirmed', data: { transferId: 'sys.pb.0.1', amount: 300_00n } };
  // Given every loan settled, when the shard answers the whole principal
  given(...settledLoans).when({ type: 'pull_back_answered', data: { answer: told, at: t0 } }).then(t, [returned], 'answered, not booked: not all back yet');
  t.equal(given(...settledLoans, returned).state.status, 'redeeming');
  // When the ledger books it
  given(...settledLoans, returned).when(booked(t0 + 1)).then(t, [confirmed, { type: 'redemption_returned', data: { redemption, at: t0 + 1 } }], 'then it is all back');
  given(...settledLoans, returned, confirmed).when(booked(t0 + 2)).then(t, [], 'a redelivered booking counts once');
  // The booking may come before the shard's answer reaches the saga
  given(...settledLoans).when(booked(t0 + 1)).then(t, [confirmed], 'booked first: recorded, not yet all back');
  given(...settledLoans, confirmed).when({ type: 'pull_back_answered', data: { answer: told, at: t0 + 2 } }).then(t, [returned, { type: 'redemption_returned', data: { redemption, at: t0 + 2 } }], 'then the answer completes it');
  // Refused for good: recorded; the money is not in the wallet, so the redemption is not all back
  const refused: RedemptionCommand = { type: 'pull_back_refused', data: { transferId: 'sys.pb.0.1', code: 'credit_account_closed', detail: 'account alice is closed', at: t0 + 1 } };
  const refusal: RedemptionEvent = { type: 'pull_back_booking_refused', data: { transferId: 'sys.pb.0.1', code: 'credit_account_closed', detail: 'account alice is closed' } };
  given(...settledLoans, returned).when(refused).then(t, [refusal]);
  given(...settledLoans, returned, refusal).when(refused).then(t, [], 'a redelivered refusal counts once');
  const stuck = given(...settledLoans, returned, refusal).state;
  t.equal(stuck.status, 'redeeming', 'still redeeming');
  t.same([...stuck.pullBacksRefused], [['sys.pb.0.1', { code: 'credit_account_closed', detail: 'account alice is closed' }]], 'the refusal is in its state');
  given().when(booked(t0)).then(t, [], 'no redemption: nothing');
  // An answer given before shards told bookings counts as booked when answered
  const untold = { ...told, tellsBooking: undefined };
  given(...settledLoans).when({ type: 'pull_back_answered', data: { answer: untold, at: t0 } }).emits(t, ['capital_returned', 'redemption_returned'], 'an earlier answer: back when answered');
});

t.test('given pull-backs booked and claim transfers paid, when the redemption completes, then it names every transfer that paid the wallet, once', async (t) => {
  const payoutsOf = (loanId: string, payouts: string[]) => ({ type: 'transfers_reported' as const, data: { loanId, proceeds: 0n, interestProceeds: 0n, settled: true, payouts } });
  const history: RedemptionEvent[] = [
    started,
    { type: 'pull_back_booking_confirmed', data: { transferId: 'sys.pb.0.1', amount: 10_00n } },
    payoutsOf('L1', ['sys.xfer.L1.1', 'sys.xfer.L1.2']),
    // A report from before payouts were named
    { type: 'transfers_reported', data: { loanId: 'L2', proceeds: 0n, interestProceeds: 0n, settled: true } },
    { type: 'redemption_returned', data: { redemption, at: t0 } },
  ];
  given(...history)
    .when({ type: 'interest_balance', data: { balance: 0n, at: t0 + 1 } })
    .then(t, [{ type: 'redemption_completed', data: { redemption, interestPaid: 0n, at: t0 + 1, paidBy: ['sys.pb.0.1', 'sys.xfer.L1.1', 'sys.xfer.L1.2'] } }]);
  const known = given(started, payoutsOf('L1', ['sys.xfer.L1.1']));
  const later = progress('L1', 20_00n, true) as Extract<RedemptionCommand, { type: 'transfers_progress' }>;
  known.when({ ...later, data: { ...later.data, progress: { ...later.data.progress, payouts: ['sys.xfer.L1.2'] } } }).then(
    t,
    [{ type: 'transfers_reported', data: { loanId: 'L1', proceeds: 20_00n, interestProceeds: 0n, settled: true, payouts: ['sys.xfer.L1.1', 'sys.xfer.L1.2'] } }],
    'a later report adds to the payouts known; an overtaken one loses none',
  );
});

t.test('given a loan recorded before payouts were named, when a report names them at the same proceeds, then they are recorded', async (t) => {
  const old: RedemptionEvent = { type: 'transfers_reported', data: { loanId: 'L1', proceeds: 20_00n, interestProceeds: 0n, settled: true } };
  const report = progress('L1', 20_00n, true) as Extract<RedemptionCommand, { type: 'transfers_progress' }>;
  const named = { ...report, data: { ...report.data, progress: { ...report.data.progress, payouts: ['sys.xfer.L1.1'] } } };
  given(started, old).when(named).then(t, [{ type: 'transfers_reported', data: { loanId: 'L1', proceeds: 20_00n, interestProceeds: 0n, settled: true, payouts: ['sys.xfer.L1.1'] } }]);
  given(started, old).when(report).then(t, [], 'a report without them is the same report');
});
