import fc from 'fast-check';
import t from 'tap';
import { decideInterestPool } from '../../../../core/lending/interest-pool/decide-interest-pool.js';
import { evolveInterestPool } from '../../../../core/lending/interest-pool/evolve-interest-pool.js';
import { initialInterestPoolState, type InterestPoolCommand, type InterestPoolState, type ReinvestRule } from '../../../../core/lending/interest-pool/interest-pool.js';
import {
  decideInterestPoolShard,
  evolveInterestPoolShard,
  initialInterestPoolShardState,
  interestPoolShardActorIdOf,
  interestPoolShardDecider,
  partitionNamedByInterestPoolShard,
  poolOf,
  type InterestPoolShardCommand,
  type InterestPoolShardState,
} from '../../../../core/lending/interest-pool/interest-pool-shard.js';
import { shardOfSnapshot } from '../../../../core/lending/interest-pool/per-investor-pool.js';
import { partitionOfActor } from '../../../../core/ledger/partition.js';
import { isRejection } from '../../../../core/rejection.js';
import { deciderOf } from '../given.js';

const given = deciderOf(decideInterestPoolShard, evolveInterestPoolShard, initialInterestPoolShardState(3));
const rule: ReinvestRule = { thresholdMinor: 100_00n, poolShards: 4 };
const on = '2030-02-01';

const credit = (investor: string, flowId: string, amount: bigint): InterestPoolCommand => ({
  type: 'credit_interest',
  data: { investor, flowId, kind: 'repayment', amount, ref: `ref-${flowId}`, source: null, on, at: 1, rule, knownFlowSeq: null },
});
const use = (investor: string, flowId: string, amount: bigint): InterestPoolCommand => ({
  type: 'use_for_redemption',
  data: { investor, flowId, amount, ref: 'red-1', on, at: 2, knownFlowSeq: null },
});
const to = (investor: string, command: InterestPoolCommand | null, adopt: InterestPoolState | null = null): InterestPoolShardCommand => ({ investor, adopt, command });

/** alice's pool as her per-investor actor left it: three flows, 30.00. */
const leftByAlice: InterestPoolState = { ...initialInterestPoolState, investor: 'alice', balance: 30_00n, flowCount: 3, credited: 30_00n };
const creditedAlice = { type: 'interest_credited', data: { investor: 'alice', flow: { seq: 1, flowId: 'a1', kind: 'repayment', code: 11, amount: 5_00n, balanceAfter: 5_00n, ref: 'ref-a1', on, at: 1 }, anchor: null } } as const;

t.test('given no pool left behind, when the first credit comes, then it is credited as a pool of its own would be', async (t) => {
  const when = given().when(to('alice', credit('alice', 'a1', 5_00n)));
  when.emits(t, ['interest_credited']);
  t.equal(poolOf(when.after, 'alice').balance, 5_00n);
  t.same(poolOf(when.after, 'bob'), initialInterestPoolState, 'another investor of the shard is untouched');
});

t.test('given a pool left behind, when the first credit comes, then the shard adopts it first and the flow continues its count', async (t) => {
  const when = given().when(to('alice', credit('alice', 'a4', 10_00n), leftByAlice));
  when.emits(t, ['interest_pool_adopted', 'interest_credited']);
  const pool = poolOf(when.after, 'alice');
  t.equal(pool.balance, 40_00n, '30.00 left behind + 10.00');
  t.equal(pool.flowCount, 4, 'the fourth flow');
  t.same(interestPoolShardDecider.reply(when.after, to('alice', credit('alice', 'a4', 10_00n)), []), { investor: 'alice', balance: 40_00n, reinvestOn: true, flows: 4 });
});

t.test('given the shard holds the pool, when a command still carries a pool left behind, then it is not adopted again', async (t) => {
  const when = given(creditedAlice).when(to('alice', credit('alice', 'a2', 1_00n), leftByAlice));
  when.emits(t, ['interest_credited'], 'the shard\'s own pool wins');
  t.equal(poolOf(when.after, 'alice').balance, 6_00n);
});

t.test('reads: adopt if they must, change nothing else, and answer the pool', async (t) => {
  given().when(to('alice', null, leftByAlice)).emits(t, ['interest_pool_adopted'], 'a read adopts');
  given().when(to('alice', null)).then(t, [], 'a read of a new investor journals nothing');
  const state = given(creditedAlice).state;
  t.equal((interestPoolShardDecider.reply(state, to('alice', null), []) as InterestPoolState).balance, 5_00n, 'the answer is the pool');
});

t.test('a refusal is decided on the adopted pool and journals nothing, the adoption included', async (t) => {
  given().when(to('alice', use('alice', 'r1', 40_00n), leftByAlice)).rejects(t, 'interest_pool_insufficient', '40.00 of 30.00');
  given().when(to('alice', use('alice', 'r1', 20_00n), leftByAlice)).emits(t, ['interest_pool_adopted', 'interest_used'], '20.00 of 30.00');
  given().when(to('alice', use('alice', 'r1', 20_00n))).rejects(t, 'interest_pool_insufficient', 'without the pool left behind there is nothing to use');
});

t.test('evolve updates the shard in place: an event costs O(1) in its investors', async (t) => {
  const state = initialInterestPoolShardState(3);
  const after = evolveInterestPoolShard(state, creditedAlice);
  t.equal(after, state, 'the same state');
  t.equal(after.pools, state.pools, 'the same map');
});

t.test('a snapshot of a per-investor actor is read as a shard of one, its old flow list dropped', async (t) => {
  const stored = { ...leftByAlice, flows: [{}, {}, {}], flowSeqById: new Map() } as unknown as InterestPoolState;
  const shard = shardOfSnapshot(stored);
  t.same([...shard.pools.keys()], ['alice']);
  t.notOk('flows' in (poolOf(shard, 'alice') as object));
  t.equal(poolOf(shard, 'alice').flowCount, 3, 'the count is the list\'s length');
  const own: InterestPoolShardState = initialInterestPoolShardState(7);
  t.equal(shardOfSnapshot(own), own, 'a shard\'s own snapshot is as it was');
});

t.test('a shard is pinned to the partition its id names; an investor\'s address hashes to one', async (t) => {
  t.equal(interestPoolShardActorIdOf(5), 'ipool:@5');
  t.equal(partitionNamedByInterestPoolShard('ipool:@5'), 5);
  t.equal(partitionOfActor('ipool:@5', 256), 5, 'pinned');
  for (const id of ['ipool:alice', 'ipool:@05', 'ipool:@', 'ipool:@x', 'daycut:5']) t.equal(partitionNamedByInterestPoolShard(id), null, id);
});

/** Commands of several investors, each alone or with a pool left behind. */
const step = fc.record({
  investor: fc.constantFrom('alice', 'bob', 'carol'),
  use: fc.boolean(),
  amount: fc.bigInt({ min: 1n, max: 50_00n }),
});

t.test('property: a shard holds each investor\'s pool exactly as a pool of its own would (money per investor conserved)', async (t) => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), fc.boolean(), (steps, withLeft) => {
      const left = new Map<string, InterestPoolState>(withLeft ? [['bob', { ...leftByAlice, investor: 'bob' }]] : []);
      const shard = initialInterestPoolShardState(1);
      const alone = new Map<string, InterestPoolState>(left);
      steps.forEach(({ investor, use: isUse, amount }, n) => {
        const command = isUse ? use(investor, `u${n}`, amount) : credit(investor, `c${n}`, amount);
        const adopt = shard.pools.has(investor) ? null : (left.get(investor) ?? null);
        const decision = decideInterestPoolShard(shard, to(investor, command, adopt));
        const own = decideInterestPool(alone.get(investor) ?? initialInterestPoolState, command);
        if (isRejection(own) || isRejection(decision)) {
          if (isRejection(own) !== isRejection(decision)) throw new Error(`step ${n}: one refused, the other not`);
          return;
        }
        decision.forEach((event) => evolveInterestPoolShard(shard, event));
        alone.set(investor, own.reduce(evolveInterestPool, alone.get(investor) ?? initialInterestPoolState));
      });
      for (const [investor, pool] of alone) {
        // Not adopted yet (no command of theirs accepted): still where it was left.
        const held = shard.pools.get(investor) ?? left.get(investor) ?? initialInterestPoolState;
        if (held.balance !== pool.balance || held.flowCount !== pool.flowCount || held.credited - held.debited !== held.balance) throw new Error(`${investor}: ${held.balance} held, ${pool.balance} alone`);
      }
    }),
    { numRuns: 200 },
  );
  t.pass('200 random runs');
});
