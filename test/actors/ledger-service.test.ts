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
