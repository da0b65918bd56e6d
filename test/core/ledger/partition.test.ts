import t from 'tap';
import { dayCutActorIdOf } from '../../../core/eod/day-cut.js';
import { partitionOfActor } from '../../../core/ledger/partition.js';
import { fnv1a32 } from '../../../core/ledger/routing.js';

t.test('a day cut actor is on the partition it names, for every partition of the deployment', async (t) => {
  for (const count of [1, 3, 16, 256]) {
    for (let partition = 0; partition < count; partition++) t.equal(partitionOfActor(dayCutActorIdOf(partition), count), partition, `daycut:${partition} of ${count}`);
  }
});

t.test('a day cut id naming no partition of the deployment is hashed like any other actor id', async (t) => {
  t.equal(partitionOfActor('daycut:256', 256), fnv1a32('daycut:256') % 256);
  t.equal(partitionOfActor('daycut:007', 256), fnv1a32('daycut:007') % 256, 'not the canonical spelling');
});

t.test('other actors keep their hashed partition', async (t) => {
  for (const id of ['eod:ledger', 'loan:L1', 'acct:alice']) t.equal(partitionOfActor(id, 256), fnv1a32(id) % 256, id);
  t.equal(partitionOfActor('acct:alice#3', 256), partitionOfActor('acct:alice', 256), 'sub-accounts share their account partition');
});
