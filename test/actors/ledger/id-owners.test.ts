import t from 'tap';
import { accountOwnerActorId, claimId, findId, transferOwnerActorId, transferOwnerBehavior } from '../../../actors/ledger/id-owners.js';
import { FundcoreNode } from '../../../actors/node.js';
import type { AccountSettings } from '../../../core/ledger/account.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { CuttableBus } from '../../helpers/cuttable-bus.js';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { LmdbJournal } from '../../../persistence/lmdb-journal.js';
import { open } from 'lmdb';
import { balanceOf, openAccount, quiescent, tempDir, transfer } from '../../helpers/ledger.js';

t.test('an id over any key size is refused or not found, and the owner goes on (on LMDB, whose keys have a size limit)', async (t) => {
  // Given a transfer id owner on an LMDB journal
  const journal = new LmdbJournal({ path: `${tempDir(t)}/journal` });
  const system = new ActorSystem({ journal, behaviors: [transferOwnerBehavior] });
  system.start();
  t.teardown(async () => {
    await system.stop();
    await journal.close();
  });
  const huge = 'x'.repeat(4_000);
  // When it is asked to bind or find it
  const claimed = await system.ask(transferOwnerActorId(huge), claimId(huge, 'alice'));
  const found = await system.ask(transferOwnerActorId(huge), findId(huge));
  // Then a typed refusal and "none", and the actor still serves
  t.same(claimed.ok ? 'accepted' : claimed.code, 'owned_id_invalid');
  t.same(found, { ok: true, value: { value: null } });
  t.ok((await system.ask(transferOwnerActorId('t1'), claimId('t1', 'alice'))).ok, 'a valid id afterwards is bound');
});

t.test('an account id bound whose asker crashed before opening it: the binding opens every part (0 last) after the restart', async (t) => {
  // Given a node whose relay cannot deliver, and a hot account's id bound by its owner (the service's first step)
  const gate = new CuttableBus();
  const journal = new MemoryJournal();
  const first = FundcoreNode.start({ journal, bus: gate });
  gate.target = first.system;
  await openAccount(first, 'bank', 'bank_settlement', true);
  await quiescent(first);
  gate.cut = true;
  const settings: AccountSettings = { id: 'H', kind: 'platform_revenue', currency: 'CNY', overdraft: false, subAccounts: 3, bufferCredits: false };
  t.ok((await first.system.ask(accountOwnerActorId('H'), claimId('H', settings))).ok, 'bound');
  const unopened = await first.ledger.createTransfer(transfer('early', 'bank', 'H', '1.00'));
  t.equal(unopened.ok ? 'accepted' : unopened.code, 'credit_account_not_found', 'not open yet: its parts were never asked');
  // When the node crashes there and restarts
  const restarted = FundcoreNode.start({ journal: journal.reopen() });
  t.teardown(async () => {
    await first.stop().catch(() => undefined);
    await restarted.stop();
  });
  await quiescent(restarted);
  // Then the account is open, every part of it, and takes money
  const account = await restarted.ledger.getAccount('H');
  t.ok(account.ok && account.value.parts.length === 3 && account.value.info.subAccounts === 3, 'open with its three parts');
  t.ok((await restarted.ledger.createTransfer(transfer('late', 'bank', 'H', '1.00'))).ok, 'a credit to it is taken');
});

t.test('given a claim answered once issued, when its write does not land, then the debit issued after it does not land either; a retry debits once', async (t) => {
  // Given a node on LMDB, with a funded wallet
  const path = `${tempDir(t)}/journal`;
  const node = FundcoreNode.start({ journal: new LmdbJournal({ path }) });
  t.teardown(() => node.stop());
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'alice');
  await openAccount(node, 'bob');
  t.ok((await node.ledger.createTransfer(transfer('fund', 'bank', 'alice', '100.00'))).ok);
  const owner = transferOwnerActorId('pay-1');
  let warm = 0;
  while (transferOwnerActorId(`warm-${warm}`) !== owner) warm++;
  t.ok((await node.ledger.createTransfer(transfer(`warm-${warm}`, 'bank', 'bob', '0.01'))).ok, 'the owner has written before: it knows its head');
  await quiescent(node);
  // When the id's owner finds its next record taken as it writes (written behind its back, before the commit)
  const paying = node.ledger.createTransfer(transfer('pay-1', 'alice', 'bob', '30.00'));
  const other = open({ path });
  t.teardown(() => other.close());
  other.openDB({ name: 'events' }).putSync([owner, node.journal.headSeq(owner) + 1], [{ type: 'written behind its back' }]);
  const failed = await paying.then(
    (reply) => (reply.ok ? 'accepted' : reply.code),
    (error: { code?: string }) => error.code ?? 'thrown',
  );
  // Then the transfer is not acknowledged and alice was not debited
  t.not(failed, 'accepted', `not acknowledged (${failed})`);
  t.equal(await balanceOf(node, 'alice'), 10_000n, 'no debit landed without its claim');
  // And a retry of the same id goes through, once
  const retried = await node.ledger.createTransfer(transfer('pay-1', 'alice', 'bob', '30.00'));
  t.ok(retried.ok, 'the retry is taken');
  await quiescent(node);
  t.equal(await balanceOf(node, 'alice'), 7_000n);
  t.equal(await balanceOf(node, 'bob'), 3_001n);
});
