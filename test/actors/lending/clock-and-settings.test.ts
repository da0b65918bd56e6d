import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeTime } from '../../helpers/fake-time.js';
import { startNode } from '../../helpers/lending.js';

t.test('the simulated business date: set, advanced, never back, and kept across a restart', async (t) => {
  const time = new FakeTime();
  const journal = new MemoryJournal();
  const options = { clock: time, timers: time, businessClock: { mode: 'sim', startDate: '2030-01-01' } as const };
  const node = await startNode({ journal, ...options }, time);
  t.same(node.clock.view(), { mode: 'sim', date: '2030-01-01' });
  t.same(await node.clock.change({ advanceDays: 45 }), { ok: true, value: { mode: 'sim', date: '2030-02-15' } });
  t.same(await node.clock.change({ date: '2030-03-01' }), { ok: true, value: { mode: 'sim', date: '2030-03-01' } });
  const back = await node.clock.change({ date: '2030-02-01' });
  t.equal(!back.ok && back.code, 'clock_cannot_go_back');
  await node.stop();
  const restarted = await startNode({ journal: journal.reopen(), ...options }, time);
  t.teardown(() => restarted.stop());
  t.same(restarted.clock.view(), { mode: 'sim', date: '2030-03-01' }, 'the start date does not reset it');
});

t.test('the wall clock: the UTC date of the runtime clock (with an offset); ops cannot set it', async (t) => {
  const time = new FakeTime(Date.UTC(2030, 5, 30, 20, 0));
  const utc = await startNode({ journal: new MemoryJournal(), clock: time, timers: time }, time);
  t.teardown(() => utc.stop());
  t.same(utc.clock.view(), { mode: 'wall', date: '2030-06-30' });
  const refused = await utc.clock.change({ advanceDays: 1 });
  t.equal(!refused.ok && refused.code, 'clock_not_simulated');
  const beijing = await startNode({ journal: new MemoryJournal(), clock: time, timers: time, businessClock: { mode: 'wall', offsetMinutes: 480 } }, time);
  t.teardown(() => beijing.stop());
  t.equal(beijing.clock.view().date, '2030-07-01', 'UTC+8 is a day ahead at 20:00 UTC');
});

t.test('the pool shard count is fixed at the first start: another count refuses to start', async (t) => {
  const time = new FakeTime();
  const journal = new MemoryJournal();
  const first = await startNode({ journal, clock: time, timers: time, lending: { poolShards: 4 } }, time);
  await first.stop();
  await t.rejects(startNode({ journal: journal.reopen(), clock: time, timers: time, lending: { poolShards: 8 } }, time), /pool_shards_mismatch/);
  t.throws(() => FundcoreNode.start({ journal: new MemoryJournal(), lending: { claimsPerLoanMax: 10_000, bankBatchItemsMax: 5_000 } }), /claimsPerLoanMax/, 'limit relations are checked at start-up');
  t.throws(() => FundcoreNode.start({ journal: new MemoryJournal(), lending: { claimsPerLoanMax: 3_000, bankBatchItemsMax: 5_000 } }), /2 × claimsPerLoanMax/, 'a repayment batch holds two items per claim at most');
  t.throws(() => FundcoreNode.start({ journal: new MemoryJournal(), lending: { matchPriority: ['new', 'new'] } }), /matchPriority/);
});
