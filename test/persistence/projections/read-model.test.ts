import t from 'tap';
import { join } from 'node:path';
import type { Projector } from '../../../persistence/projections/projector.js';
import { ReadModel, prepared } from '../../../persistence/projections/read-model.js';
import { tempDir } from '../../helpers/ledger.js';

const projectorOf = (ddl: string): Projector => ({ actorType: 'x', schema: [ddl], initialState: () => null, evolve: () => null, project: () => {} });
const v1 = projectorOf('create table if not exists rows (id text primary key)');
const v2 = projectorOf('create table if not exists rows (id text primary key, amount integer)');

t.test('read models written by other projectors are dropped and projected again from the start; the same ones are kept', async (t) => {
  const path = join(tempDir(t, 'fundcore-read-model-'), 'read-models.db');
  // Given a read model at position 42 with a row
  const first = new ReadModel(path, [v1]);
  prepared(first.db, "insert into rows values ('a')").run();
  first.setPosition(42);
  first.close();
  // When it is opened by the same projectors, it is kept
  const same = new ReadModel(path, [v1]);
  t.equal(same.position(), 42);
  t.equal((same.db.prepare('select count(*) as n from rows').get() as { n: bigint }).n, 1n);
  same.close();
  // When opened by projectors with another schema, it starts over: empty, at position 0, with the new columns
  const other = new ReadModel(path, [v2]);
  t.equal(other.position(), 0);
  t.equal((other.db.prepare('select count(*) as n from rows').get() as { n: bigint }).n, 0n);
  prepared(other.db, "insert into rows values ('b', 5)").run();
  other.close();
});
