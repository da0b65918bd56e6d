import t, { type Test } from 'tap';
import { withFieldsAdded } from '../../../actors/runtime/snapshot-fields.js';
import { FundcoreNode } from '../../../actors/node.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { initialAccountState } from '../../../core/ledger/account.js';
import { balanceOf, openAccount, quiescent, transfer } from '../../helpers/ledger.js';

t.test('a snapshot from before a state gained a field loads with the initial value of that field', async (t) => {
  const initial = { a: 1, added: null as number | null };
  const old = { a: 5 } as typeof initial;
  t.same(withFieldsAdded(initial, old), { a: 5, added: null });
  const current = { a: 5, added: 3 };
  t.equal(withFieldsAdded(initial, current), current, 'a current snapshot is used as it is');
  const map = new Map([['k', 1]]);
  t.equal(withFieldsAdded(new Map(), map), map, 'a state that is not a plain record is left alone');
});

/**
 * Given w1 funded with 1.00 (and whatever `more` does), its snapshot rewritten as an older
 * version wrote it — only the fields `kept` keeps — when a new node wakes it. `field`: one the
 * current version writes and the older did not.
 */
async function wokenFromOlderSnapshot(t: Test, field: string, kept: (key: string) => boolean, more: (node: FundcoreNode) => Promise<unknown> = async () => {}) {
  const journal = new MemoryJournal();
  const first = FundcoreNode.start({ journal });
  await openAccount(first, 'bank', 'bank_settlement', true);
  await openAccount(first, 'w1');
  await first.ledger.createTransfer(transfer('t1', 'bank', 'w1', '1.00'));
  await more(first);
  await quiescent(first);
  await first.stop();
  const reopened = journal.reopen();
  const snapshot = reopened.readSnapshot('acct:w1');
  const stored = (snapshot?.state ?? {}) as Record<string, unknown>;
  t.ok(snapshot !== undefined && field in stored, 'given a snapshot of w1');
  const legacy = Object.fromEntries(Object.entries(stored).filter(([key]) => kept(key)));
  reopened.append({ actorId: 'acct:w1', expectedSeq: snapshot?.seq ?? 0, events: [], indexWrites: [], snapshot: legacy });
  const second = FundcoreNode.start({ journal: reopened });
  t.teardown(() => second.stop());
  return second;
}

t.test('an account snapshotted before accounts could be sealed wakes unsealed and takes money', async (t) => {
  // Without the seal's fields.
  const { sealedBy, closesEnded, ...before } = initialAccountState;
  void sealedBy;
  void closesEnded;
  const second = await wokenFromOlderSnapshot(t, 'sealedBy', (key) => key in before);
  const paid = await second.ledger.createTransfer(transfer('t2', 'w1', 'bank', '0.40'));
  t.ok(paid.ok, 'a debit passes: the account is not taken for sealed');
  t.equal(await balanceOf(second, 'w1'), 60n);
});

t.test('a wallet snapshotted before natures existed wakes with all its money withdrawable, and keeps natures from then on', async (t) => {
  // Without natures; 0.30 of the 1.00 held.
  const second = await wokenFromOlderSnapshot(t, 'natures', (key) => key !== 'natures', (first) => first.ledger.createTransfer({ ...transfer('h1', 'w1', 'bank', '0.30'), pending: true }));
  const account = await second.ledger.getAccount('w1');
  t.same(account.ok ? account.value.natures : null, { balance: { withdrawable: 100n, refund_only: 0n, spend_only: 0n }, held: { withdrawable: 30n, refund_only: 0n, spend_only: 0n } });
  await second.ledger.createTransfer({ ...transfer('v1', 'bank', 'w1', '0.50'), nature: 'spend_only' });
  await quiescent(second);
  const after = await second.ledger.getAccount('w1');
  t.same(after.ok ? after.value.natures?.balance : null, { withdrawable: 100n, refund_only: 0n, spend_only: 50n }, 'a credit of a nature is kept as it');
});
