import t from 'tap';
import { balanceOf, memoryNode, openAccount, quiescent, transfer } from '../helpers/ledger.js';

t.test('a transfer debits at once and credits once delivered', async (t) => {
  const node = memoryNode(t);
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await openAccount(node, 'w2');
  const deposit = await node.ledger.createTransfer(transfer('t1', 'bank', 'w1', '100.00'));
  t.ok(deposit.ok);
  await quiescent(node);
  const pay = await node.ledger.createTransfer(transfer('t2', 'w1', 'w2', '30.50'));
  t.ok(pay.ok);
  await quiescent(node);
  t.equal(await balanceOf(node, 'bank'), -10000n);
  t.equal(await balanceOf(node, 'w1'), 6950n);
  t.equal(await balanceOf(node, 'w2'), 3050n);
  const status = await node.ledger.getTransfer('t2');
  t.ok(status.ok && status.value.credit !== null, 'the credit has landed');
  const tooMuch = await node.ledger.createTransfer(transfer('t3', 'w1', 'w2', '70.00'));
  t.same(tooMuch.ok ? null : tooMuch.code, 'insufficient_funds');
  const again = await node.ledger.createTransfer(transfer('t3', 'w1', 'w2', '70.00'));
  t.same(again.ok ? null : again.code, 'insufficient_funds', 'the same id gets the first answer');
});

t.test("a batch: the same id from two debit accounts binds to the first; a refusal that records nothing binds nothing", async (t) => {
  // Given two funded accounts
  const node = memoryNode(t);
  await openAccount(node, 'bank', 'bank_settlement', true);
  for (const id of ['w1', 'w2', 'w3']) await openAccount(node, id);
  // When a batch reuses an id across debit accounts, and repeats one on the same account
  const results = await node.ledger.createTransfers([
    transfer('x1', 'bank', 'w1', '5.00'),
    transfer('x1', 'w2', 'w3', '1.00'),
    transfer('x2', 'bank', 'w2', '5.00'),
    transfer('x2', 'bank', 'w2', '5.00'),
    transfer('x3', 'bank', 'bank', '5.00'),
    transfer('x3', 'bank', 'w3', '5.00'),
  ]);
  // Then each item is answered as if alone, in order
  t.same(
    results.map((r) => (r.ok ? 'ok' : r.code)),
    ['ok', 'id_reused_with_different_content', 'ok', 'ok', 'accounts_must_be_different', 'ok'],
    'a refusal that records nothing (x3, first) bound nothing',
  );
  await quiescent(node);
  t.equal(await balanceOf(node, 'w1'), 500n);
  t.equal(await balanceOf(node, 'w2'), 500n, 'x2 moved once');
  t.equal(await balanceOf(node, 'w3'), 500n);
});
