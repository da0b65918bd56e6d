import t from 'tap';
import { partitionOfAccount } from '../../cluster/partitions.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import { startTestCluster } from '../helpers/cluster.js';
import { transfer } from '../helpers/ledger.js';
import { startNats } from '../helpers/nats-server.js';

const nats = await startNats(t);

/** Account ids that land on node 0's half and on node 1's half of 16 partitions. */
function idsOn(half: 0 | 1, count: number, prefix: string): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) {
    const id = `${prefix}${i}`;
    if ((partitionOfAccount(id, 16) < 8 ? 0 : 1) === half) ids.push(id);
  }
  return ids;
}

t.test('a transfer between accounts on two nodes: debit decided on one, credit delivered over NATS to the other', async (t) => {
  const cluster = await startTestCluster(t, nats);
  const { ledger } = cluster;
  const [bank] = idsOn(0, 1, 'bank');
  const [alice] = idsOn(1, 1, 'alice');
  t.ok((await ledger.openAccount({ id: bank as string, kind: 'bank_settlement', currency: 'CNY', overdraft: true })).ok);
  t.ok((await ledger.openAccount({ id: alice as string, kind: 'investor_wallet', currency: 'CNY', overdraft: false })).ok);
  const created = await ledger.createTransfer(transfer('dep-1', bank as string, alice as string, '100.25'));
  t.ok(created.ok, JSON.stringify(created, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  for (let i = 0; i < 100; i++) {
    const got = await ledger.getTransfer('dep-1');
    if (got.ok && got.value.credit !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const status = await ledger.getTransfer('dep-1');
  t.ok(status.ok && status.value.credit !== null, 'the credit landed on the other node');
  const account = await ledger.getAccount(alice as string);
  t.equal(account.ok && account.value.creditsPosted, 10_025n);
  const missing = await ledger.getTransfer('nope');
  t.equal(!missing.ok && missing.code, 'transfer_not_found');
  const unknownCredit = await ledger.createTransfer(transfer('dep-2', bank as string, 'nobody', '1.00'));
  t.equal(!unknownCredit.ok && unknownCredit.code, 'credit_account_not_found');
  const record = (created as { value: TransferRecord }).value;
  t.equal(record.amount, 10_025n, 'bigints survive the wire');
});

t.test("a transfer id is its owner's to bind, whichever node its debit accounts live on", async (t) => {
  const { ledger } = await startTestCluster(t, nats);
  const [bank0] = idsOn(0, 1, 'bankx');
  const [bank1] = idsOn(1, 1, 'banky');
  const [wallet] = idsOn(1, 1, 'wallet');
  for (const id of [bank0, bank1]) t.ok((await ledger.openAccount({ id: id as string, kind: 'bank_settlement', currency: 'CNY', overdraft: true })).ok);
  t.ok((await ledger.openAccount({ id: wallet as string, kind: 'investor_wallet', currency: 'CNY', overdraft: false })).ok);

  t.ok((await ledger.createTransfer(transfer('shared', bank0 as string, wallet as string, '1.00'))).ok, 'bound to the debit account on node 0');
  const reused = await ledger.createTransfer(transfer('shared', bank1 as string, wallet as string, '1.00'));
  t.equal(!reused.ok && reused.code, 'id_reused_with_different_content', 'the same id from a debit account on node 1 is refused');
  t.ok((await ledger.createTransfer(transfer('shared', bank0 as string, wallet as string, '1.00'))).ok, 'a retry by its own debit account is answered as before');

  const unrecorded = await ledger.createTransfer(transfer('free', bank0 as string, bank0 as string, '1.00'));
  t.equal(!unrecorded.ok && unrecorded.code, 'accounts_must_be_different');
  t.ok((await ledger.createTransfer(transfer('free', bank1 as string, wallet as string, '1.00'))).ok, 'a refusal that recorded nothing bound nothing');

  const hold = await ledger.createTransfer({ ...transfer('hold', bank1 as string, wallet as string, '5.00'), pending: true });
  t.ok(hold.ok);
  const posted = await ledger.postPending('hold', '2.00');
  t.equal(posted.ok && posted.value.status, 'posted', 'post finds the record through its owner');
  t.equal((await ledger.getTransfer('hold')).ok, true);
  await waitForCredit(ledger, 'hold');
  const reversal = await ledger.reverseTransfer('hold', 'wrong');
  t.equal(reversal.ok && reversal.value.id, 'hold~reversal', 'the reversal, asked of the credit account on its node');
  const status = await ledger.getTransfer('hold');
  t.equal(status.ok && status.value.reversedBy, 'hold~reversal');
  t.equal((await ledger.getTransfer('hold~reversal')).ok, true, 'the reversal is found through its owner too');
});

async function waitForCredit(ledger: { getTransfer(id: string): Promise<{ ok: boolean; value?: { credit: unknown } }> }, id: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const got = await ledger.getTransfer(id);
    if (got.ok && got.value?.credit !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the credit of ${id} never landed`);
}
