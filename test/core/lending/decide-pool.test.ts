import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import { decidePool } from '../../../core/lending/pool/decide-pool.js';
import { evolvePool } from '../../../core/lending/pool/evolve-pool.js';
import { assertPoolShard } from '../../../core/lending/pool/pool-invariants.js';
import { initialPoolShardState, type PoolCommand, type PoolEvent } from '../../../core/lending/pool/pool.js';
import { capital, capitalContent, piece } from './fixtures.js';
import { deciderOf } from './given.js';

const given = deciderOf(decidePool, evolvePool, initialPoolShardState(0));

const added = (id: string, arrival: number, patch: Parameters<typeof capital>[2] = {}): PoolEvent => ({ type: 'capital_added', data: { capital: capital(id, arrival, patch) } });
const reserve = (amount: bigint, patch: Partial<Extract<PoolCommand, { type: 'reserve' }>['data']> = {}): PoolCommand => ({
  type: 'reserve',
  data: { loanId: 'L1', requestNo: 1, source: 'new', amount, on: '2030-01-01', piecesMax: 10, recorded: null, ...patch },
});
const answered = (requestNo: number, pieces: ReturnType<typeof piece>[], loanId = 'L1'): PoolEvent => ({ type: 'reservation_answered', data: { loanId, requestNo, pieces } });

t.test('add_capital: precedence', async (t) => {
  given().when({ type: 'add_capital', data: { capital: capitalContent('cap-a'), shard: 0 } }).then(t, [added('cap-a', 1)]);
  given(added('cap-a', 1)).when({ type: 'add_capital', data: { capital: capitalContent('cap-a'), shard: 0 } }).then(t, [], 'the same capital again');
  given(added('cap-a', 1)).when({ type: 'add_capital', data: { capital: capitalContent('cap-a', { principal: 1n }), shard: 3 } }).rejects(t, 'id_reused_with_different_content', '1.');
  given().when({ type: 'add_capital', data: { capital: capitalContent('cap-a', { principal: 1n }), shard: 3, addedBefore: true } }).then(t, [], '1a. added before and no longer live (fully matched): a redelivery');
  given().when({ type: 'add_capital', data: { capital: capitalContent('cap-a'), shard: 1 } }).rejects(t, 'capital_shard_mismatch', '2.');
});

t.test('add_capitals: precedence', async (t) => {
  const addGroup = (patch: Partial<Extract<PoolCommand, { type: 'add_capitals' }>['data']> = {}): PoolCommand => ({
    type: 'add_capitals',
    data: { group: 'L1:r1', capitals: [capitalContent('cap-a'), capitalContent('cap-b')], shard: 0, ...patch },
  });
  const grouped: PoolEvent = { type: 'capitals_added', data: { group: 'L1:r1', capitals: [capital('cap-a', 1), capital('cap-b', 2)] } };
  given().when(addGroup()).then(t, [grouped], 'one event, the capitals in arrival order');
  given(added('cap-x', 7)).when(addGroup()).then(t, [{ type: 'capitals_added', data: { group: 'L1:r1', capitals: [capital('cap-a', 8), capital('cap-b', 9)] } }], 'arrivals go on from the shard\'s');
  given().when(addGroup({ addedBefore: true, shard: 3 })).then(t, [], '1. added here before (its capitals may have left): a redelivery');
  given().when(addGroup({ shard: 1 })).rejects(t, 'capital_shard_mismatch', '2.');
  given(added('cap-b', 1)).when(addGroup()).rejects(t, 'id_reused_with_different_content', '3. a capital of the group is live already');
});

t.test('given a group added, then each capital is in the shard as if added alone, and matched oldest first with the others', async (t) => {
  const grouped: PoolEvent = { type: 'capitals_added', data: { group: 'L1:r1', capitals: [capital('cap-a', 2), capital('cap-b', 3)] } };
  const alone = given(added('cap-0', 1), added('cap-a', 2), added('cap-b', 3)).state;
  const together = given(added('cap-0', 1), grouped).state;
  assertPoolShard(together);
  t.same(together, alone);
  given(added('cap-0', 1), grouped).when(reserve(150_00n)).then(t, [answered(1, [piece('cap-0', 100_00n), piece('cap-a', 50_00n)])]);
});

t.test('property: a group decided and evolved leaves the shard exactly as its capitals added one by one, and reservations then draw the same pieces', async (t) => {
  const sources = ['new', 'repayment_reinvest', 'compensation_reinvest'] as const;
  const contentArb = fc.record({
    principal: fc.bigInt({ min: 1n, max: 10_000_00n }),
    source: fc.constantFrom(...sources),
    createdOn: fc.constantFrom('2029-12-01', '2029-12-31', '2030-01-01'),
    investRepayDate: fc.constantFrom('2030-01-01', '2031-01-01'),
  });
  const scenario = fc.record({ before: fc.array(contentArb, { maxLength: 5 }), group: fc.array(contentArb, { minLength: 1, maxLength: 8 }), asked: fc.bigInt({ min: 1n, max: 50_000_00n }) });
  fc.assert(
    fc.property(scenario, ({ before, group, asked }) => {
      const earlier = before.map((c, i) => added(`cap-b${i}`, i + 1, c));
      const contents = group.map((c, i) => capitalContent(`cap-g${i}`, c));
      const decided = decidePool(given(...earlier).state, { type: 'add_capitals', data: { group: 'L1:r1', capitals: contents, shard: 0 } });
      if (!Array.isArray(decided) || decided.length !== 1) return false;
      const alone = contents.map((c, i) => added(c.id, earlier.length + 1 + i, c));
      const together = given(...earlier, ...decided).state;
      const oneByOne = given(...earlier, ...alone).state;
      assertPoolShard(together);
      const draws = (state: typeof together) => sources.map((source) => decidePool(state, reserve(asked, { source, on: '2030-01-01' })));
      return isDeepStrictEqual(together, oneByOne) && isDeepStrictEqual(draws(together), draws(oneByOne));
    }),
    { numRuns: 200 },
  );
  t.pass('200 random groups over random shards');
});

t.test('reserve: oldest first by creation date then arrival; only the asked source, normal, available and not matured', async (t) => {
  const events = [
    added('cap-late', 1, { createdOn: '2030-01-05' }),
    added('cap-old', 2, { createdOn: '2029-12-01' }),
    added('cap-repay', 3, { source: 'repayment_reinvest', createdOn: '2029-01-01' }),
    added('cap-matures', 4, { createdOn: '2029-06-01', investRepayDate: '2030-01-01' }),
    added('cap-full', 5, { createdOn: '2029-01-01', matched: 100_00n, status: 'fully_matched' }),
    added('cap-old-2', 6, { createdOn: '2029-12-01' }),
  ];
  given(...events)
    .when(reserve(250_00n))
    .then(t, [answered(1, [piece('cap-old', 100_00n), piece('cap-old-2', 100_00n), piece('cap-late', 50_00n)])], 'same day: arrival order; a capital maturing on the business date is skipped');
  given(...events).when(reserve(50_00n, { source: 'repayment_reinvest' })).then(t, [answered(1, [piece('cap-repay', 50_00n, 0, { source: 'repayment_reinvest' })])]);
  given(...events).when(reserve(250_00n, { piecesMax: 1 })).then(t, [answered(1, [piece('cap-old', 100_00n)])], 'at most piecesMax pieces');
  given().when(reserve(10_00n)).then(t, [answered(1, [])], 'nothing available: the empty answer is recorded too');
});

t.test('reserve: a recorded answer is a duplicate; reserved capital is not reserved again', async (t) => {
  given(added('cap-a', 1)).when(reserve(10_00n, { recorded: [piece('cap-a', 10_00n)] })).then(t, []);
  const after = given(added('cap-a', 1), answered(1, [piece('cap-a', 60_00n)])).state;
  t.equal(after.capitals.get('cap-a')?.reserved, 60_00n);
  given(added('cap-a', 1), answered(1, [piece('cap-a', 60_00n)]))
    .when(reserve(100_00n, { loanId: 'L2' }))
    .then(t, [answered(1, [piece('cap-a', 40_00n)], 'L2')], 'another loan gets only what is left');
});

t.test('confirm and release: precedence', async (t) => {
  const held = [added('cap-a', 1), answered(1, [piece('cap-a', 60_00n)])];
  const confirmed: PoolEvent = { type: 'reservations_confirmed', data: { loanId: 'L1', pieces: [{ capitalId: 'cap-a', amount: 60_00n }] } };
  given(...held).when({ type: 'confirm_reservations', data: { loanId: 'L1', outcome: null } }).then(t, [confirmed], '1. open reservations are confirmed');
  t.match(given(...held, confirmed).state.capitals.get('cap-a'), { matched: 60_00n, reserved: 0n, status: 'normal' });
  given(...held, confirmed).when({ type: 'release_reservations', data: { loanId: 'L1', outcome: 'confirmed' } }).rejects(t, 'reservations_already_confirmed', '2.');
  given(...held, confirmed).when({ type: 'confirm_reservations', data: { loanId: 'L1', outcome: 'confirmed' } }).then(t, [], '3. a duplicate');
  given().when({ type: 'release_reservations', data: { loanId: 'L9', outcome: null } }).then(t, [], '3. nothing reserved here');
  const released: PoolEvent = { type: 'reservations_released', data: { loanId: 'L1', pieces: [{ capitalId: 'cap-a', amount: 60_00n }] } };
  given(...held).when({ type: 'release_reservations', data: { loanId: 'L1', outcome: null } }).then(t, [released]);
  given(...held, released).when({ type: 'confirm_reservations', data: { loanId: 'L1', outcome: 'released' } }).rejects(t, 'reservations_already_released', '2.');
  t.match(given(...held, released).state.capitals.get('cap-a'), { matched: 0n, reserved: 0n, status: 'normal' }, 'back to normal, all available');
  const full = given(added('cap-a', 1), answered(1, [piece('cap-a', 100_00n)]), { type: 'reservations_confirmed', data: { loanId: 'L1', pieces: [{ capitalId: 'cap-a', amount: 100_00n }] } }).state;
  t.same([full.capitals.has('cap-a'), full.byInvestment.size], [false, 0], 'fully matched: it leaves the live state, and its investment\'s list');
  assertPoolShard(full);
  given(added('cap-a', 1), answered(1, [piece('cap-a', 100_00n)]), { type: 'reservations_confirmed', data: { loanId: 'L1', pieces: [{ capitalId: 'cap-a', amount: 100_00n }] } })
    .when(reserve(10_00n, { loanId: 'L2', requestNo: 1 }))
    .then(t, [answered(1, [], 'L2')], 'nothing of it is reserved again');
});

t.test('evolve checks every capital it writes: over-reservation is a broken invariant, never a state', async (t) => {
  t.throws(() => given(added('cap-a', 1), answered(1, [piece('cap-a', 100_01n)])), { name: 'InvariantViolation' });
  t.throws(() => given(added('cap-a', 1), answered(1, [piece('cap-a', 60_00n)]), answered(2, [piece('cap-a', 40_01n)])), { name: 'InvariantViolation' });
});

t.test('given a capital fully matched while queued behind one a loan skipped, when an older capital is released, then it goes back before the younger ones (the queue keeps arrivals of capitals that left)', async (t) => {
  const on = '2030-01-01';
  const confirmed = (loanId: string, capitalId: string, amount: bigint): PoolEvent => ({ type: 'reservations_confirmed', data: { loanId, pieces: [{ capitalId, amount }] } });
  const released: PoolEvent = { type: 'reservations_released', data: { loanId: 'L1', pieces: [{ capitalId: 'cap-x', amount: 100_00n }] } };
  const history = [
    added('cap-x', 1),
    added('cap-matures', 2, { investRepayDate: on }),
    added('cap-b', 3),
    added('cap-y', 4),
    added('cap-z', 5),
    answered(1, [piece('cap-x', 100_00n)]),
    answered(1, [piece('cap-b', 100_00n)], 'L2'),
    confirmed('L2', 'cap-b', 100_00n),
    released,
  ];
  const state = given(...history).state;
  t.equal(state.capitals.has('cap-b'), false, 'cap-b left the live state, its id still queued behind cap-matures');
  given(...history)
    .when(reserve(100_00n, { loanId: 'L3', piecesMax: 1, on: '2029-12-31' }))
    .then(t, [answered(1, [piece('cap-x', 100_00n)], 'L3')], 'a day earlier nothing is skipped: cap-x, the oldest, before cap-matures (and the rest)');
});
