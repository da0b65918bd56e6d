import t from 'tap';
import { interestPoolActorId, type InterestPoolMessage } from '../../../actors/lending/interest-pool-messages.js';
import type { InterestFlow, InterestPoolEvent, InterestPoolState } from '../../../core/lending/interest-pool/interest-pool.js';
import { interestPoolShardActorIdOf } from '../../../core/lending/interest-pool/interest-pool-shard.js';
import { partitionCountDefault, partitionOfActor } from '../../../core/ledger/partition.js';
import { indexInterestPoolsLeft, interestPoolsLeftMetaKey } from '../../../persistence/journal-upgrade/interest-pools-left.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { lendingNode } from '../../helpers/lending.js';

const flowOf = (investor: string, seq: number): InterestFlow => ({
  seq, flowId: `f${seq}`, kind: 'repayment', code: 11, amount: 10_00n, balanceAfter: 10_00n * BigInt(seq), ref: `claim-${seq}`, on: '2030-01-01', at: seq,
});
const credited = (investor: string, seq: number): InterestPoolEvent => ({ type: 'interest_credited', data: { investor, flow: flowOf(investor, seq), anchor: null } });

/**
 * Pools as the version with one actor per investor journaled them: alice with three flows
 * (a snapshot after the second), bob with one flow and a redemption holding his reinvest
 * off. Their flows are in the flow-id index, as that version wrote it.
 */
async function perInvestorPools(): Promise<MemoryJournal> {
  const journal = new MemoryJournal();
  const index = (investor: string, seq: number) => ({ index: 'interest_flows' as const, key: `${investor}/f${seq}`, value: seq });
  await journal.append({ actorId: 'ipool:alice', expectedSeq: 0, events: [credited('alice', 1), credited('alice', 2)], indexWrites: [index('alice', 1), index('alice', 2)] }).durable;
  const snapshot = { investor: 'alice', balance: 20_00n, reinvestOn: true, flowCount: 2, anchor: null, reinvestments: 0, credited: 20_00n, debited: 0n };
  await journal.append({ actorId: 'ipool:alice', expectedSeq: 2, events: [], indexWrites: [], snapshot }).durable;
  await journal.append({ actorId: 'ipool:alice', expectedSeq: 2, events: [credited('alice', 3)], indexWrites: [index('alice', 3)] }).durable;
  const held: InterestPoolEvent = { type: 'reinvest_held', data: { investor: 'bob', holder: 'rdm-1', at: 1 } };
  await journal.append({ actorId: 'ipool:bob', expectedSeq: 0, events: [held, credited('bob', 1)], indexWrites: [index('bob', 1)] }).durable;
  return journal;
}

const credit = (investor: string, flowId: string): InterestPoolMessage => ({
  type: 'credit_interest',
  data: { investor, flowId, kind: 'repayment', amount: 10_00n, ref: `claim-${flowId}`, source: null },
});
const read = (investor: string): InterestPoolMessage => ({ type: 'get_interest_pool', data: { investor } });
const shardOf = (investor: string) => interestPoolShardActorIdOf(partitionOfActor(interestPoolActorId(investor), partitionCountDefault));
const adoptionsIn = (journal: MemoryJournal, investor: string) =>
  [...journal.readEvents(shardOf(investor), 1)].filter(({ event }) => (event as { type: string; data: { investor: string } }).type === 'interest_pool_adopted' && (event as { data: { investor: string } }).data.investor === investor).length;

t.test('given per-investor pools, when the node first starts on them, then each shard adopts its investors\' pools and goes on from them', async (t) => {
  const journal = await perInvestorPools();
  const h = await lendingNode(t, { journal });
  t.equal(journal.getMeta(interestPoolsLeftMetaKey), true, 'the pools were put to the index at start');
  t.match(journal.getIndex('interest_pools_left', 'alice'), { balance: 30_00n, flowCount: 3 }, 'alice\'s pool: her snapshot and the flow after it');

  const bob = (await h.node.system.ask(interestPoolActorId('bob'), read('bob'))) as { ok: true; value: InterestPoolState };
  t.match(bob.value, { balance: 10_00n, flowCount: 1, reinvestHolds: ['rdm-1'] }, 'a read before any credit answers the pool left behind, its hold on reinvest too');
  t.equal(adoptionsIn(journal, 'bob'), 1, 'the read adopted it');

  const again = await h.node.system.ask(interestPoolActorId('alice'), credit('alice', 'f2'));
  t.match(again, { ok: true, value: { balance: 30_00n, flows: 3 } }, 'a redelivered old flow changes nothing');
  const next = await h.node.system.ask(interestPoolActorId('alice'), credit('alice', 'f4'));
  t.match(next, { ok: true, value: { balance: 40_00n, flows: 4 } }, 'a new flow is alice\'s fourth');
  t.equal(journal.headSeq('ipool:alice'), 3, 'the per-investor actor takes no more events');
  t.equal(adoptionsIn(journal, 'alice'), 1, 'adopted once');
  t.equal(indexInterestPoolsLeft(journal), 0, 'a later start does not look again');
});

t.test('given an adopted pool, when the node restarts, then the shard answers it from its own journal and adopts nothing again', async (t) => {
  const journal = await perInvestorPools();
  const first = await lendingNode(t, { journal });
  await first.node.system.ask(interestPoolActorId('alice'), credit('alice', 'f4'));
  await first.node.stop();
  const h = await lendingNode(t, { journal });
  const alice = (await h.node.system.ask(interestPoolActorId('alice'), read('alice'))) as { ok: true; value: InterestPoolState };
  t.match(alice.value, { balance: 40_00n, flowCount: 4 });
  t.equal(adoptionsIn(journal, 'alice'), 1);
});

t.test('without the index a shard would start the pool from nothing (the index is what carries it over)', async (t) => {
  const journal = await perInvestorPools();
  journal.putMeta(interestPoolsLeftMetaKey, true);
  const h = await lendingNode(t, { journal });
  const bob = (await h.node.system.ask(interestPoolActorId('bob'), read('bob'))) as { ok: true; value: InterestPoolState };
  t.equal(bob.value.balance, 0n, 'marked as done while it was not: bob\'s 10.00 are not seen');
});

t.test('investors of different partitions are served by different shards; of one partition, by one', async (t) => {
  const h = await lendingNode(t);
  const investors = Array.from({ length: 300 }, (_, i) => `inv${i}`);
  for (const investor of investors) await h.node.system.ask(interestPoolActorId(investor), credit(investor, 'f1'));
  const shards = new Set(investors.map(shardOf));
  const served = h.journal.listActorIds({ prefix: 'ipool:', after: '', limit: 1_000 });
  t.same(served.sort(), [...shards].sort(), 'only shards journal, one per partition the investors hash to');
  t.ok(shards.size > 1 && shards.size < investors.length, `${shards.size} shards for ${investors.length} investors`);
});
