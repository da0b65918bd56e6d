import t from 'tap';
import { decidePool } from '../../../core/lending/pool/decide-pool.js';
import { evolvePool } from '../../../core/lending/pool/evolve-pool.js';
import { assertPoolShard } from '../../../core/lending/pool/pool-invariants.js';
import { initialPoolShardState, type PoolCommand, type PoolEvent } from '../../../core/lending/pool/pool.js';
import { capital, piece } from './fixtures.js';
import { deciderOf } from './given.js';

const given = deciderOf(decidePool, evolvePool, initialPoolShardState(0));
const added = (id: string, arrival: number, patch: Parameters<typeof capital>[2] = {}): PoolEvent => ({ type: 'capital_added', data: { capital: capital(id, arrival, patch) } });
const answered = (loanId: string, pieces: ReturnType<typeof piece>[]): PoolEvent => ({ type: 'reservation_answered', data: { loanId, requestNo: 1, pieces } });
const pullBack = (round = 1, recorded: Extract<PoolCommand, { type: 'pull_back_investment' }>['data']['recorded'] = null): PoolCommand => ({
  type: 'pull_back_investment',
  data: { investmentId: 'a', investor: 'alice', redemptionId: 'r1', round, recorded },
});

t.test('settle_transfer: the named amounts become matched, the rest is freed; settled twice is a duplicate', async (t) => {
  const held = [added('cap-x', 1), added('cap-y', 2), answered('L1~x1', [piece('cap-x', 60_00n), piece('cap-y', 40_00n)])];
  const settle: PoolCommand = { type: 'settle_transfer', data: { key: 'L1~x1', confirmed: [{ capitalId: 'cap-x', amount: 60_00n }, { capitalId: 'cap-y', amount: 10_00n }], outcome: null } };
  const split = given(...held).when(settle);
  split.then(t, [{ type: 'reservations_split', data: { loanId: 'L1~x1', confirmed: settle.data.confirmed, released: [{ capitalId: 'cap-y', amount: 30_00n }] } }]);
  t.match(split.after.capitals.get('cap-x'), { matched: 60_00n, reserved: 0n, status: 'normal' });
  t.match(split.after.capitals.get('cap-y'), { matched: 10_00n, reserved: 0n });
  t.equal(split.after.reservations.has('L1~x1'), false);
  assertPoolShard(split.after);
  given(...held).when({ type: 'settle_transfer', data: { key: 'L1~x9', confirmed: [], outcome: 'confirmed' } }).then(t, [], 'settled before (or nothing held): nothing');
  t.throws(() => given(...held).when({ type: 'settle_transfer', data: { key: 'L1~x1', confirmed: [{ capitalId: 'cap-x', amount: 61_00n }], outcome: null } }), /confirms/, 'more than held is a bug');
});

t.test('pull_back_investment: the unmatched, unreserved principal and interest capital of the investment come back (told apart); the loans still holding some are named; recorded once', async (t) => {
  const events = [
    added('cap-a', 1, { principal: 100_00n }),
    added('cap-a.r1', 2, { principal: 30_00n, investmentId: 'a', source: 'repayment_reinvest' }),
    added('cap-other', 3, { investmentId: 'b' }),
    added('ir.alice.1', 4, { principal: 7_00n, investmentId: 'a', property: 'interest', source: 'interest_reinvest' }),
    answered('L7', [piece('cap-a', 20_00n)]),
    answered('L8~x2', [piece('cap-a', 5_00n)]),
  ];
  const pulled = given(...events).when(pullBack());
  const answer = { shard: 0, round: 1, pulledBack: 105_00n, interestPulledBack: 7_00n, reservedAmount: 25_00n, reservedLoans: ['L7', 'L8'], tellsBooking: true };
  pulled.then(t, [
    {
      type: 'capital_pulled_back',
      data: { investmentId: 'a', investor: 'alice', redemptionId: 'r1', pullBackNo: 1, pieces: [{ capitalId: 'cap-a', amount: 75_00n }, { capitalId: 'cap-a.r1', amount: 30_00n }, { capitalId: 'ir.alice.1', amount: 7_00n }], answer },
    },
  ]);
  const after = pulled.after;
  t.match(after.capitals.get('cap-a'), { pulledBack: 75_00n, reserved: 25_00n, status: 'pulled_back' });
  t.match(after.capitals.get('cap-other'), { pulledBack: 0n, status: 'normal' }, 'other investments untouched');
  assertPoolShard(after);
  given(...events).when(pullBack(1, answer)).then(t, [], 'a recorded round is a duplicate');
  const again = decidePool(after, pullBack(2));
  t.match(again, [{ data: { pullBackNo: 2, pieces: [], answer: { pulledBack: 0n, reservedAmount: 25_00n } } }], 'a later round finds nothing new, still reserved');
  const reserveAfter = decidePool(after, { type: 'reserve', data: { loanId: 'L9', requestNo: 1, source: 'new', amount: 10_00n, on: '2029-01-01', piecesMax: 5, recorded: null } });
  t.match(reserveAfter, [{ data: { pieces: [{ capitalId: 'cap-other' }] } }], 'pulled-back capital is never reserved again');
});
