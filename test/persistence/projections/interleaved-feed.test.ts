import fc from 'fast-check';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { addDays } from '../../../core/calendar/business-date.js';
import { formatAmount } from '../../../core/money/amount.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { daysView, interleavedFeed, projectedFrom, seededPick } from '../../helpers/interleaved-feed.js';
import { quiescent, transfer } from '../../helpers/ledger.js';

/**
 * A cluster's read side gets each partition in its order and the partitions interleaved in
 * any order. Whatever the interleaving, every posting gets the same day, each close the same
 * balances, each partition's cut the same lending: the days are a property of the partitions'
 * own orders, not of one node's total order.
 */
const partitionCount = 4;
const startDate = '2032-07-01';

const move = fc.record({ debit: fc.constantFrom('bank', 'a', 'b', 'hot'), credit: fc.constantFrom('a', 'b', 'hot'), minor: fc.bigInt({ min: 1n, max: 9_999n }) });
const day = fc.record({ before: fc.array(move, { maxLength: 8 }), racing: fc.array(move, { maxLength: 8 }), closes: fc.boolean() });

async function run(node: FundcoreNode, moves: readonly { debit: string; credit: string; minor: bigint }[], ids: { n: number }): Promise<void> {
  await Promise.all(
    moves.map(async (m) => {
      if (m.debit === m.credit) return;
      await node.ledger.createTransfer(transfer(`t${ids.n++}`, m.debit, m.credit, formatAmount(m.minor, 'CNY')));
    }),
  );
}

t.test('any interleaving of the partitions, every entry delivered twice, gives the days, cuts and closes of the node', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(day, { minLength: 1, maxLength: 3 }), fc.array(fc.integer(), { minLength: 3, maxLength: 3 }), async (plan, seeds) => {
      const node = await FundcoreNode.boot({ journal: new MemoryJournal(), businessClock: { mode: 'sim', startDate }, partitionCount, projectionIntervalMs: 3 });
      try {
        await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
        for (const id of ['a', 'b']) await node.ledger.openAccount({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false });
        await node.ledger.openAccount({ id: 'hot', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 3 });
        const ids = { n: 0 };
        let date = startDate;
        for (const [n, { before, racing, closes }] of plan.entries()) {
          await run(node, before, ids);
          // Traffic races the close: some of it lands before a partition's marker, some after.
          const close = closes || n === plan.length - 1 ? node.eod.close(date) : Promise.resolve({ ok: true as const, value: null });
          const [closed] = await Promise.all([close, run(node, racing, ids)]);
          if (!closed.ok) throw new Error(`close ${date}: ${closed.code} ${closed.detail}`);
          await quiescent(node);
          await node.clock.change({ advanceDays: 1 });
          date = addDays(date, 1);
        }
        await quiescent(node);
        await node.projections.catchUpFully();
        const live = daysView(node.readModel.db);
        t.ok(live.closedDays!.length >= 1 && live.dayCuts!.length >= partitionCount, 'closes and cuts to compare');
        for (const seed of seeds) {
          const model = projectedFrom(interleavedFeed(node.journal, partitionCount, seededPick(seed)), partitionCount);
          try {
            t.same(daysView(model.db), live, `interleaving ${seed}`);
          } finally {
            model.close();
          }
        }
      } finally {
        await node.stop();
      }
    }),
    { numRuns: 15 },
  );
});
