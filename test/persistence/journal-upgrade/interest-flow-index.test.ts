import t from 'tap';
import { interestPoolActorId, type InterestPoolMessage } from '../../../actors/lending/interest-pool-messages.js';
import type { InterestFlow, InterestPoolEvent, InterestPoolState } from '../../../core/lending/interest-pool/interest-pool.js';
import { indexInterestFlowsWrittenBefore, interestFlowsIndexedMetaKey } from '../../../persistence/journal-upgrade/interest-flow-index.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { lendingNode } from '../../helpers/lending.js';

const pool = interestPoolActorId('alice');

const flowOf = (seq: number, amount: bigint): InterestFlow => ({
  seq, flowId: `f${seq}`, kind: 'repayment', code: 11, amount, balanceAfter: 10_00n * BigInt(seq), ref: `claim-${seq}`, on: '2030-01-01', at: seq,
});
const credited = (seq: number): InterestPoolEvent => ({ type: 'interest_credited', data: { investor: 'alice', flow: flowOf(seq, 10_00n), anchor: null } });

/**
 * A pool as the version that kept its flows in state journaled it: two flows, a snapshot
 * listing them (with its id → seq map), a third flow after the snapshot, no flow-id index.
 */
async function poolJournaledBeforeTheIndex(): Promise<MemoryJournal> {
  const journal = new MemoryJournal();
  await journal.append({ actorId: pool, expectedSeq: 0, events: [credited(1), credited(2)], indexWrites: [] }).durable;
  const legacy = {
    investor: 'alice', balance: 20_00n, reinvestOn: true, flows: [flowOf(1, 10_00n), flowOf(2, 10_00n)], flowSeqById: new Map([['f1', 1], ['f2', 2]]),
    anchor: null, reinvestments: 0, credited: 20_00n, debited: 0n,
  };
  await journal.append({ actorId: pool, expectedSeq: 2, events: [], indexWrites: [], snapshot: legacy }).durable;
  await journal.append({ actorId: pool, expectedSeq: 2, events: [credited(3)], indexWrites: [] }).durable;
  return journal;
}

const credit = (flowId: string): InterestPoolMessage => ({
  type: 'credit_interest',
  data: { investor: 'alice', flowId, kind: 'repayment', amount: 10_00n, ref: `claim-${flowId}`, source: null },
});

t.test('given a pool journaled before the flow-id index, when the node first starts on it, then a redelivered flow is recognised and counting goes on', async (t) => {
  const journal = await poolJournaledBeforeTheIndex();
  t.equal(journal.getIndex('interest_flows', 'alice/f1'), undefined, 'given: no flow in the index');
  const h = await lendingNode(t, { journal });
  t.equal(journal.getIndex('interest_flows', 'alice/f1'), 1, 'a flow the snapshot listed is indexed');
  t.equal(journal.getIndex('interest_flows', 'alice/f3'), 3, 'a flow after the snapshot is indexed');
  t.equal(journal.getMeta(interestFlowsIndexedMetaKey), true);
  for (const flowId of ['f1', 'f2', 'f3']) {
    const again = await h.node.system.ask(pool, credit(flowId));
    t.match(again, { ok: true, value: { balance: 30_00n, flows: 3 } }, `${flowId} redelivered: nothing changes`);
  }
  const next = await h.node.system.ask(pool, credit('f4'));
  t.match(next, { ok: true, value: { balance: 40_00n, flows: 4 } }, 'a new flow is the fourth');
  const state = (await h.node.system.ask(pool, { type: 'get_interest_pool', data: { investor: 'alice' } })) as { ok: true; value: InterestPoolState };
  t.notOk('flows' in state.value, 'the snapshot\'s list is dropped');
  t.equal(state.value.flowCount, 4);
  t.equal(journal.getIndex('interest_flows', 'alice/f4'), 4, 'the new flow is indexed in its own append');
  t.equal(indexInterestFlowsWrittenBefore(journal), 0, 'a later start does not look again');
});

t.test('without the index a redelivered flow would be credited twice (the index is what recognises it)', async (t) => {
  const journal = await poolJournaledBeforeTheIndex();
  journal.putMeta(interestFlowsIndexedMetaKey, true);
  const h = await lendingNode(t, { journal });
  const again = await h.node.system.ask(pool, credit('f1'));
  t.match(again, { ok: true, value: { balance: 40_00n, flows: 4 } }, 'marked as indexed while it was not: f1 counts again');
});
