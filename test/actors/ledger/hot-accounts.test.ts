import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { totalOf } from '../../../actors/ledger/ledger-service.js';
import type { AccountEvent } from '../../../core/ledger/events.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { balanceOf, idFor, memoryNode, openAccount, quiescent, transfer } from '../../helpers/ledger.js';


async function hotPlatform(node: FundcoreNode, parts = 8): Promise<void> {
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  const opened = await node.ledger.openAccount({ id: 'platform', kind: 'platform_revenue', currency: 'CNY', overdraft: false, subAccounts: parts });
  if (!opened.ok) throw new Error(opened.code);
}

t.test('a hot account is N actors; a credit lands on the sub-account its transfer id names', async (t) => {
  const node = memoryNode(t);
  await hotPlatform(node);
  const id = idFor('fund', 3, 8);
  await node.ledger.createTransfer(transfer(id, 'bank', 'platform', '1000.00'));
  await quiescent(node);
  const account = await node.ledger.getAccount('platform');
  t.ok(account.ok);
  if (!account.ok) return;
  t.equal(account.value.parts.length, 8);
  t.same(account.value.parts.map((p) => totalOf(p)), [0n, 0n, 0n, 100000n, 0n, 0n, 0n, 0n]);
  t.equal(totalOf(account.value), 100000n, 'reads sum the sub-accounts');
  t.ok(node.system.inspect('acct:platform#3'), 'the sub-account is an actor of its own');
});

t.test('a short sub-account pulls from its siblings; the logical balance never changes by it', async (t) => {
  const journal = new MemoryJournal();
  const node = FundcoreNode.start({ journal });
  t.teardown(() => node.stop());
  await hotPlatform(node);
  await node.ledger.createTransfer(transfer(idFor('fund', 3, 8), 'bank', 'platform', '1000.00'));
  await quiescent(node);
  const payout = idFor('pay', 5, 8);
  const paid = await node.ledger.createTransfer(transfer(payout, 'platform', 'w1', '800.00'));
  t.ok(paid.ok, 'the debit on sub-account 5 is covered by money that was on sub-account 3');
  t.equal(paid.ok && paid.value.debitPart, 5);
  await quiescent(node);
  const account = await node.ledger.getAccount('platform');
  if (!account.ok) throw new Error(account.code);
  t.equal(totalOf(account.value), 20000n);
  t.equal(account.value.siblingNet, 0n, 'Σ sibling moves = 0 once settled');
  t.equal(account.value.parts[5]?.siblingNet !== undefined && account.value.parts[5].siblingNet > 0n, true, 'sub-account 5 received');
  const moves = [...journal.readEvents('acct:platform#3', 1)]
    .map((e) => e.event as AccountEvent)
    .filter((e): e is Extract<AccountEvent, { type: 'sibling_sent' }> => e.type === 'sibling_sent');
  t.ok(moves.length >= 1, 'the moves are journaled by the giver');
  t.ok(moves.reduce((sum, move) => sum + move.data.amount, 0n) >= 80000n, 'together they cover the debit');
  t.equal(await balanceOf(node, 'w1'), 80000n);
});

t.test('a debit above the account total is refused insufficient_funds; exactly the total is accepted', async (t) => {
  const node = memoryNode(t);
  await hotPlatform(node);
  for (const part of [0, 2, 7]) await node.ledger.createTransfer(transfer(idFor(`fund${part}`, part, 8), 'bank', 'platform', '100.00'));
  await quiescent(node);
  const tooMuch = await node.ledger.createTransfer(transfer(idFor('big', 4, 8), 'platform', 'w1', '300.01'));
  t.equal(tooMuch.ok ? 'accepted' : tooMuch.code, 'insufficient_funds');
  const again = await node.ledger.createTransfer(transfer(idFor('big', 4, 8), 'platform', 'w1', '300.01'));
  t.equal(again.ok ? 'accepted' : again.code, 'insufficient_funds', 'recorded: the same answer again');
  const all = await node.ledger.createTransfer(transfer(idFor('all', 4, 8), 'platform', 'w1', '300.00'));
  t.ok(all.ok, 'exactly the total, gathered from three sub-accounts');
  await quiescent(node);
  t.equal(await balanceOf(node, 'platform'), 0n);
  t.equal(await balanceOf(node, 'w1'), 30000n);
});

t.test('holds work on a hot account: hold, post and void reach the sub-account that holds', async (t) => {
  const node = memoryNode(t);
  await hotPlatform(node, 4);
  await node.ledger.createTransfer(transfer(idFor('fund', 0, 4), 'bank', 'platform', '100.00'));
  await quiescent(node);
  const hold = idFor('hold', 2, 4);
  const held = await node.ledger.createTransfer(transfer(hold, 'platform', 'w1', '60.00', { pending: true }));
  t.ok(held.ok, 'the hold pulled funds to its sub-account');
  const before = await node.ledger.getAccount('platform');
  t.equal(before.ok && before.value.debitsPending, 6000n);
  const secondHold = await node.ledger.createTransfer(transfer(idFor('hold2', 1, 4), 'platform', 'w1', '50.00', { pending: true }));
  t.equal(secondHold.ok ? 'accepted' : secondHold.code, 'insufficient_funds', 'held money is not available to siblings');
  const posted = await node.ledger.postPending(hold, '10.00');
  t.ok(posted.ok);
  await quiescent(node);
  t.equal(await balanceOf(node, 'platform'), 9000n);
  t.equal(await balanceOf(node, 'w1'), 1000n);
});

t.test('a reversal debiting a hot account pulls from siblings too', async (t) => {
  const node = memoryNode(t);
  await hotPlatform(node, 4);
  await openAccount(node, 'w2');
  await node.ledger.createTransfer(transfer('fund-w2', 'bank', 'w2', '50.00'));
  await quiescent(node);
  const payIn = idFor('in', 1, 4);
  await node.ledger.createTransfer(transfer(payIn, 'w2', 'platform', '50.00'));
  await quiescent(node);
  // Move the money off sub-account 1: a payout routed to sub-account 2 pulls it away.
  await node.ledger.createTransfer(transfer(idFor('fundmore', 3, 4), 'bank', 'platform', '100.00'));
  await node.ledger.createTransfer(transfer(idFor('drain', 2, 4), 'platform', 'w1', '60.00'));
  await quiescent(node);
  const reversal = await node.ledger.reverseTransfer(payIn, null);
  t.ok(reversal.ok, 'the reversal on sub-account 1 gathered what it needed');
  await quiescent(node);
  t.equal(await balanceOf(node, 'w2'), 5000n);
  t.equal(await balanceOf(node, 'platform'), 4000n, '50 + 100 in, 60 paid out, 50 reversed');
});

t.test('closing a hot account closes every sub-account', async (t) => {
  const node = memoryNode(t);
  await hotPlatform(node, 3);
  t.equal(((await node.ledger.closeAccount('platform')) as { ok: boolean }).ok, true);
  const account = await node.ledger.getAccount('platform');
  t.ok(account.ok && account.value.closedAt !== null);
  const refused = await node.ledger.createTransfer(transfer('late', 'bank', 'platform', '1.00'));
  t.equal(refused.ok ? 'accepted' : refused.code, 'credit_account_closed');
});
