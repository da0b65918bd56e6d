import t from 'tap';
import { claimId, findId, transferOwnerActorId, transferOwnerBehavior } from '../../../actors/ledger/id-owners.js';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { LmdbJournal } from '../../../persistence/lmdb-journal.js';
import { tempDir } from '../../helpers/ledger.js';

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
