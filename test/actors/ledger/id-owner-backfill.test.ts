import t from 'tap';
import { backfillIdOwners } from '../../../actors/ledger/id-owner-backfill.js';
import { accountOwnerActorId, accountOwnerBehavior, claimId, findId, transferOwnerActorId, transferOwnerBehavior } from '../../../actors/ledger/id-owners.js';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';

t.test('a journal written before the id owners: its accounts and transfers are bound at their owners once', async (t) => {
  // Given what account actors wrote then: the directory (sub-account 0 of a hot account) and the transfer records, a refusal among them.
  const journal = new MemoryJournal();
  const entry = (id: string, subAccounts: number) => ({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false, closed: false, subAccounts, bufferCredits: false });
  await journal.append({
    actorId: 'acct:old',
    expectedSeq: 0,
    events: [{ type: 'placeholder' }],
    indexWrites: [
      { index: 'directory', key: 'ann', value: entry('ann', 1) },
      { index: 'directory', key: 'hot', value: entry('hot', 4) },
      { index: 'transfers', key: 't1', value: { id: 't1', debit: 'hot', credit: 'ann', status: 'posted' } },
      { index: 'transfers', key: 't2', value: { id: 't2', debit: 'ann', credit: 'hot', status: 'rejected' } },
    ],
  }).durable;
  const system = new ActorSystem({ journal, behaviors: [accountOwnerBehavior, transferOwnerBehavior] });
  system.start();
  t.teardown(() => system.stop());
  // When the node starts on it
  t.equal(await backfillIdOwners(journal, system), 4, 'every account and transfer bound');
  // Then the owners answer for them
  const find = async (to: string, id: string) => ((await system.ask(to, findId(id))) as { value: { value: unknown } }).value.value;
  t.same(await find(accountOwnerActorId('hot'), 'hot'), { id: 'hot', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 4, bufferCredits: false }, "a hot account's settings");
  t.equal(await find(transferOwnerActorId('t1'), 't1'), 'hot', "a transfer's debit account");
  t.equal(await find(transferOwnerActorId('t2'), 't2'), 'ann', 'a recorded refusal holds its id too');
  const reuse = await system.ask(transferOwnerActorId('t1'), claimId('t1', 'ann'));
  t.equal(!reuse.ok && reuse.code, 'id_reused_with_different_content', 'so an old id is not taken by another debit account');
  t.equal(await backfillIdOwners(journal, system), 0, 'marked: not again');
});
