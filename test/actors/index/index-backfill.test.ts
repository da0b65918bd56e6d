import t from 'tap';
import { backfillIndexGroups } from '../../../actors/index/index-backfill.js';
import { indexBehavior } from '../../../actors/index/index-behavior.js';
import { indexActorId, type IndexListing } from '../../../actors/index/messages.js';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';

t.test('a journal written before the index groups: its claims and depository entries reach the groups once', async (t) => {
  const journal = new MemoryJournal();
  // As loans and bank orders wrote them then: the claims index by investment/order, the depository by wallet/order.
  await journal.append({
    actorId: 'loan:L1',
    expectedSeq: 0,
    events: [{ type: 'placeholder' }],
    indexWrites: [
      { index: 'claims', key: 'inv-1/L1-1', value: { orderNo: 'L1-1', loanId: 'L1', investmentId: 'inv-1', status: 'matched' } },
      { index: 'claims', key: 'inv-1/L1-2', value: { orderNo: 'L1-2', loanId: 'L1', investmentId: 'inv-1', status: 'finished' } },
      { index: 'claims', key: 'inv-2/L1-3', value: { orderNo: 'L1-3', loanId: 'L1', investmentId: 'inv-2', status: 'matched' } },
      { index: 'depository', key: 'ann/open-a1', value: { orderNo: 'open-a1', status: 'failed' } },
      { index: 'depository', key: 'ann/open-a2', value: { orderNo: 'open-a2', status: 'succeeded' } },
    ],
  }).durable;
  const system = new ActorSystem({ journal, behaviors: [indexBehavior] });
  system.start();
  t.teardown(() => system.stop());
  t.equal(await backfillIndexGroups(journal, system), 5, 'every old entry put');
  const list = async (id: string) => ((await system.ask(id, { type: 'list_entries' })) as { value: IndexListing }).value.entries;
  t.same(await list(indexActorId('claims', 'inv-1')), [{ key: 'L1', value: 'L1' }], "inv-1's loans");
  t.same(await list(indexActorId('claims', 'inv-2')), [{ key: 'L1', value: 'L1' }], "inv-2's loans");
  t.same(await list(indexActorId('depository', 'ann')), [
    { key: 'open-a1', value: { orderNo: 'open-a1', status: 'failed' } },
    { key: 'open-a2', value: { orderNo: 'open-a2', status: 'succeeded' } },
  ]);
  t.equal(await backfillIndexGroups(journal, system), 0, 'marked: not again');
});
