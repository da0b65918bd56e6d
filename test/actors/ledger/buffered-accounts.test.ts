import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { balanceOf, openAccount, quiescent, transfer } from '../../helpers/ledger.js';

async function revenueNode(journal: MemoryJournal, accountLimits = { bufferFlushCreditsMax: 1_000, bufferFlushIntervalMs: 60 }) {
  const node = FundcoreNode.start({ journal, accountLimits });
  await openAccount(node, 'bank', 'bank_settlement', true);
  const opened = await node.ledger.openAccount({ id: 'revenue', kind: 'platform_revenue', currency: 'CNY', overdraft: false, bufferCredits: true });
  if (!opened.ok) throw new Error(opened.code);
  return node;
}

const postings = (journal: MemoryJournal) =>
  [...journal.readEvents('acct:revenue', 1)].map((e) => e.event as AccountEvent).filter((e) => e.type === 'credits_posted');

t.test('credits are buffered, read as buffered, and posted aggregated: one posting per flush', async (t) => {
  const journal = new MemoryJournal();
  const node = await revenueNode(journal);
  t.teardown(() => node.stop());
  await Promise.all(Array.from({ length: 5 }, (_, i) => node.ledger.createTransfer(transfer(`fee-${i}`, 'bank', 'revenue', '2.00'))));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const buffering = await node.ledger.getAccount('revenue');
  t.match(buffering.ok && buffering.value, { bufferedCount: 5, bufferedTotal: 1000n, creditsPosted: 0n }, 'held, not posted yet');
  const inFlight = await node.ledger.getTransfer('fee-0');
  t.ok(inFlight.ok && inFlight.value.credit === null, 'a buffered credit is still in flight');
  await quiescent(node);
  const posted = await node.ledger.getAccount('revenue');
  t.match(posted.ok && posted.value, { bufferedCount: 0, bufferedTotal: 0n, creditsPosted: 1000n });
  t.equal(postings(journal).length, 1, 'one posting for the five credits');
  t.equal((postings(journal)[0] as Extract<AccountEvent, { type: 'credits_posted' }>).data.credits.length, 5);
});

t.test('the size limit flushes without waiting for the interval', async (t) => {
  const journal = new MemoryJournal();
  const node = await revenueNode(journal, { bufferFlushCreditsMax: 3, bufferFlushIntervalMs: 60_000 });
  t.teardown(() => node.stop());
  const replies = await Promise.race([
    Promise.all(Array.from({ length: 6 }, (_, i) => node.ledger.createTransfer(transfer(`fee-${i}`, 'bank', 'revenue', '1.00')))),
    new Promise((resolve) => setTimeout(resolve, 200)),
  ]);
  t.ok(Array.isArray(replies), 'the debits answer at once');
  await quiescent(node);
  t.same(
    postings(journal).map((e) => (e as Extract<AccountEvent, { type: 'credits_posted' }>).data.credits.length),
    [3, 3],
  );
  t.equal(await balanceOf(node, 'revenue'), 600n);
});

t.test('nothing buffered is lost in a crash: the credits are still owed by the senders', async (t) => {
  const journal = new MemoryJournal();
  const node = await revenueNode(journal, { bufferFlushCreditsMax: 1_000, bufferFlushIntervalMs: 60_000 });
  for (let i = 0; i < 4; i++) await node.ledger.createTransfer(transfer(`fee-${i}`, 'bank', 'revenue', '5.00'));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const held = await node.ledger.getAccount('revenue');
  t.equal(held.ok && held.value.bufferedCount, 4);
  // Crash: the node is abandoned without flushing; a new one opens the same journal.
  const restarted = FundcoreNode.start({ journal: journal.reopen(), accountLimits: { bufferFlushIntervalMs: 20 } });
  t.teardown(() => restarted.stop());
  await quiescent(restarted);
  t.equal(await balanceOf(restarted, 'revenue'), 2000n, 'the relay redelivered; the new node posted them');
  t.equal(await balanceOf(restarted, 'bank'), -2000n);
  void node;
});

t.test('a credit to a buffering account that closed meanwhile is refused at the flush and returned', async (t) => {
  const journal = new MemoryJournal();
  const node = await revenueNode(journal, { bufferFlushCreditsMax: 1_000, bufferFlushIntervalMs: 30 });
  t.teardown(() => node.stop());
  await openAccount(node, 'w1');
  await node.ledger.createTransfer(transfer('fund', 'bank', 'w1', '10.00'));
  await quiescent(node);
  const pending = await node.ledger.createTransfer(transfer('p1', 'w1', 'revenue', '4.00', { pending: true }));
  t.ok(pending.ok);
  t.ok((await node.ledger.closeAccount('revenue')).ok, 'closed while nothing is posted or held');
  await node.ledger.postPending('p1', null);
  await quiescent(node);
  const status = await node.ledger.getTransfer('p1');
  t.equal(status.ok && status.value.record.status, 'returned');
  t.equal(await balanceOf(node, 'w1'), 1000n);
});
