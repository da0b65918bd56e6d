import t from 'tap';
import { accountOwnerActorId, claimId, findId, transferOwnerActorId, transferOwnerBehavior } from '../../../actors/ledger/id-owners.js';
import { FundcoreNode } from '../../../actors/node.js';
import type { AccountSettings } from '../../../core/ledger/account.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { CuttableBus } from '../../helpers/cuttable-bus.js';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { LmdbJournal } from '../../../persistence/lmdb-journal.js';
import { openAccount, quiescent, tempDir, transfer } from '../../helpers/ledger.js';

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
