import t from 'tap';
import type { LendingHarness } from '../../helpers/lending.js';
import { balance, drain, elapse, fundedWallet, lendingNode, openAccount } from '../../helpers/lending.js';

async function openDepository(h: LendingHarness, account: string): Promise<void> {
  const created = await h.node.bank.openDepositoryAccount({ id: account, account });
  if (!created.ok) throw new Error(created.code);
  await drain(h);
  await h.node.bank.handleCallback(h.bank.complete(`open-${account}`, 'succeeded'));
  await drain(h);
}

t.test('depository accounts: a wallet opens one at the bank; deposits need it', async (t) => {
  const h = await lendingNode(t);
  await openAccount(h.node, 'alice');
  const early = await h.node.bank.deposit({ id: 'd1', account: 'alice', amount: '100.00' });
  t.match(early, { ok: false, code: 'depository_account_not_open', detail: /open one first/ });
  t.match(await h.node.bank.getDepositoryAccount('alice'), { ok: true, value: { status: 'none' } });
  await h.node.bank.openDepositoryAccount({ id: 'alice', account: 'alice' });
  await drain(h);
  t.match(await h.node.bank.getDepositoryAccount('alice'), { ok: true, value: { status: 'pending' } });
  const pending = await h.node.bank.deposit({ id: 'd1', account: 'alice', amount: '100.00' });
  t.match(pending, { ok: false, code: 'depository_account_not_open', detail: /being opened at the bank \(asynchronous\): retry once GET \/v1\/depository-accounts\/alice says "open"/ }, 'while opening: says so, and when to retry');
  await h.node.bank.handleCallback(h.bank.complete('open-alice', 'succeeded'));
  await drain(h);
  t.match(await h.node.bank.getDepositoryAccount('alice'), { ok: true, value: { status: 'open', orders: [{ orderNo: 'open-alice', status: 'succeeded' }] } });
  t.equal(h.bank.orders.get('open-alice')?.kind, 'open_account');
  const guarantee = await h.node.bank.openDepositoryAccount({ id: 'g', account: 'sys.guarantee' });
  t.equal(!guarantee.ok && guarantee.code, 'account_kind_not_allowed', 'only wallets');
  const nobody = await h.node.bank.openDepositoryAccount({ id: 'n', account: 'nobody' });
  t.equal(!nobody.ok && nobody.code, 'account_not_found');
});

t.test('a deposit credits the wallet only on the bank\'s success, once, whatever the callbacks do', async (t) => {
  const h = await lendingNode(t, { lending: { bankQueryAfterMs: 1_000 } });
  await openAccount(h.node, 'alice');
  await openDepository(h, 'alice');
  const created = await h.node.bank.deposit({ id: 'd1', account: 'alice', amount: '100.00' });
  t.match(created.ok && created.value, { orderNo: 'dep-d1', status: 'sending', payload: { kind: 'deposit', amount: 100_00n, transferId: 'sys.dep.d1' } });
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 0n, 'nothing before the bank says so');
  const callback = h.bank.complete('dep-d1', 'succeeded');
  const acks = await Promise.all([h.node.bank.handleCallback(callback), h.node.bank.handleCallback(callback)]);
  t.same(acks.map((a) => a.ok && a.value.duplicate).sort(), [false, true], 'two concurrent copies: one applies, one is a duplicate');
  await drain(h);
  await elapse(h, 5_000);
  t.equal(await balance(h.node, 'alice'), 100_00n, 'credited once');
  t.equal(await balance(h.node, 'sys.bank'), -100_00n, 'the bank mirror');
  const order = await h.node.bank.getDeposit('d1');
  t.match(order.ok && order.value, { status: 'succeeded', result: { via: 'callback', bankTxnId: 'FK2' } });
  const failed = await h.node.bank.deposit({ id: 'd2', account: 'alice', amount: '50.00' });
  t.ok(failed.ok);
  await drain(h);
  await h.node.bank.handleCallback(h.bank.complete('dep-d2', 'failed'));
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 100_00n, 'a failed deposit credits nothing');
  const reused = await h.node.bank.deposit({ id: 'd1', account: 'alice', amount: '100.01' });
  t.equal(!reused.ok && reused.code, 'id_reused_with_different_content');
  const unknown = await h.node.bank.handleCallback({ ...callback, orderNo: 'dep-zz' });
  t.equal(!unknown.ok && unknown.code, 'bank_order_not_found');
});

t.test('a withdrawal holds the amount, then posts it on success or voids it on failure; a refused hold is the recorded answer', async (t) => {
  const h = await lendingNode(t);
  await fundedWallet(h.node, 'alice', '100.00');
  await openDepository(h, 'alice');
  const first = await h.node.bank.withdraw({ id: 'w1', account: 'alice', amount: '60.00' });
  t.match(first.ok && first.value, { settled: true, state: { status: 'sending' } });
  await drain(h);
  const held = await h.node.ledger.getAccount('alice');
  t.match(held.ok && held.value, { debitsPending: 60_00n }, 'held');
  const second = await h.node.bank.withdraw({ id: 'w2', account: 'alice', amount: '60.00' });
  t.match(second.ok && second.value, { settled: true, state: { status: 'refused', refusal: { code: 'insufficient_funds' } } }, 'the hold is refused: nothing goes to the bank');
  t.notOk(h.bank.orders.has('wd-w2'));
  await h.node.bank.handleCallback(h.bank.complete('wd-w1', 'failed'));
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 100_00n, 'voided: all back');
  const retry = await h.node.bank.withdraw({ id: 'w2', account: 'alice', amount: '60.00' });
  t.match(retry.ok && retry.value.state, { status: 'refused' }, 'the same id again: the same refusal, though the money is free now');
  const third = await h.node.bank.withdraw({ id: 'w3', account: 'alice', amount: '70.00' });
  t.ok(third.ok);
  await drain(h);
  await h.node.bank.handleCallback(h.bank.complete('wd-w3', 'succeeded'));
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 30_00n, 'posted');
  t.equal(await balance(h.node, 'sys.bank'), 70_00n, 'the money left the bank mirror');
  const transfer = await h.node.ledger.getTransfer('sys.wd.w3');
  t.match(transfer.ok && transfer.value.record, { status: 'posted', debit: 'alice', credit: 'sys.bank' });
});

t.test('a deposit to a wallet closed before the bank\'s success: the refused posting is recorded for reconciliation', async (t) => {
  const h = await lendingNode(t);
  await openAccount(h.node, 'alice');
  await openDepository(h, 'alice');
  await h.node.bank.deposit({ id: 'd1', account: 'alice', amount: '10.00' });
  await drain(h);
  await h.node.ledger.closeAccount('alice');
  await h.node.bank.handleCallback(h.bank.complete('dep-d1', 'succeeded'));
  await drain(h);
  const order = await h.node.bank.getDeposit('d1');
  t.match(order.ok && order.value, { status: 'succeeded', postingRefusal: { code: 'credit_account_closed' } });
});
