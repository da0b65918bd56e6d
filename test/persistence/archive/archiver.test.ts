import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { archiveLike } from '../../../persistence/archive/archive-like.js';
import { archiveEndedBefore, removeOlderThan } from '../../../persistence/archive/archiver.js';
import { compareReadModels } from '../../../persistence/projections/rebuild.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import type { Projector } from '../../../persistence/projections/projector.js';
import { ReadModelQueries } from '../../../persistence/projections/queries.js';
import { prepared, ReadModel } from '../../../persistence/projections/read-model.js';
import { tempDir } from '../../helpers/ledger.js';

const ms = (day: string) => Date.parse(`${day}T12:00:00Z`);

/** An investor's wallet with a leg a month from 2024-01 to 2024-12, and a claim that ended in 2024-03. */
function history(model: ReadModel): void {
  const db = model.db;
  prepared(db, "insert into account_parts values ('ann', 'ann', 'asset', 'CNY', 0, 1, 0, 0, null, 0, 0, 0, 0, 0)").run();
  for (let m = 1; m <= 12; m++) {
    const day = `2024-${String(m).padStart(2, '0')}-15`;
    prepared(db, "insert into legs values (?, 0, 'ann', ?, 'credit', ?, 'CNY', ?, ?, ?)").run(BigInt(m), `t-${m}`, BigInt(m * 100), BigInt(ms(day)), day, day);
  }
  prepared(db, "insert into claims values ('c-1', 'l', 'i', 'cap', 'ann', 'b', 100, 0, 30, 'p', 's', 'finished', 'repaid', '2030-01-01', null, null, 0, '2024-01-02', '2024-03-10')").run();
  prepared(db, "insert into audit (actor_id, first_seq, count, at, who, request_id, order_id, events) values ('acct:ann', 1, 1, ?, 'system', null, null, '[]')").run(BigInt(ms('2024-02-01')));
  prepared(db, "insert into audit (actor_id, first_seq, count, at, who, request_id, order_id, events) values ('acct:ann', 2, 1, ?, 'system', null, null, '[]')").run(BigInt(ms('2024-09-01')));
}

const view = (queries: ReadModelQueries) => ({
  statement: (({ sources: _s, ...rest }) => rest)(queries.statement('ann', '2024-01-01', '2024-12-31')),
  balance: queries.balanceAt('ann', ms('2024-12-31')).balances,
  claims: queries.claims({ investor: 'ann' }, undefined, 10).items,
});

t.test('a crash between the copy to the file and the hot commit: the copy is not read, and the next run moves the rows once', async (t) => {
  const dir = tempDir(t, 'fundcore-archiver-');
  // Given a history, and the hot commit of the legs made to fail after their copy is written
  const model = new ReadModel(join(dir, 'read-models.db'), allProjectors);
  history(model);
  const queries = new ReadModelQueries(model);
  const before = view(queries);
  model.db.exec("create trigger crash before delete on legs begin select raise(abort, 'crash'); end");
  // When archiving before 2024-07 fails
  await t.rejects(archiveEndedBefore(model, '2024-07-01'), /crash/);
  // Then the file holds a copy, yet the catalog does not list the legs' month and the answers are the same (no leg twice)
  t.ok(existsSync(join(dir, 'archive', '2024-01.sqlite')));
  t.same(view(queries), before);
  // When the fault is gone and archiving runs again
  model.db.exec('drop trigger crash');
  const run = await archiveEndedBefore(model, '2024-07-01');
  // Then six months of legs and the claim moved, the answers are the same and say they come from both places
  t.same(run.moved.filter((m) => m.table === 'legs').map((m) => m.month), ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
  t.same(run.moved.find((m) => m.table === 'claims'), { table: 'claims', month: '2024-03', rows: 1 });
  t.same(view(queries), before);
  t.same(queries.statement('ann', '2024-01-01', '2024-12-31').sources, ['hot', 'archive']);
  t.same((queries.statement('ann', '2024-08-01', '2024-12-31').movements as unknown[]).length, 5);
  t.same(queries.claims({ investor: 'ann' }, undefined, 10).sources, ['archive']);
  model.close();
});

t.test('read models rebuilt (another schema): the archive is dropped with them and written again', async (t) => {
  const dir = tempDir(t, 'fundcore-archiver-');
  const path = join(dir, 'read-models.db');
  // Given an archive of 2024-01..06
  const first = new ReadModel(path, allProjectors);
  history(first);
  const before = view(new ReadModelQueries(first));
  await archiveEndedBefore(first, '2024-07-01');
  first.close();
  // When the read models are opened by projectors with another schema (they start over, empty) and refilled
  const extra: Projector = { actorType: 'x', schema: ['create table if not exists extra (x integer)'], initialState: () => null, evolve: () => null, project: () => {} };
  const rebuilt = new ReadModel(path, [...allProjectors, extra]);
  t.equal((prepared(rebuilt.db, 'select count(*) as n from archive_months').get() as { n: bigint }).n, 0n);
  history(rebuilt);
  const queries = new ReadModelQueries(rebuilt);
  // Then the old files are not read (nothing listed): the answers are the hot ones
  t.same(view(queries), before);
  // And the next run removes the unlisted files and archives again, answers unchanged
  await archiveEndedBefore(rebuilt, '2024-04-01');
  t.notOk(existsSync(join(dir, 'archive', '2024-05.sqlite')));
  t.ok(existsSync(join(dir, 'archive', '2024-03.sqlite')));
  t.same(view(queries), before);
  rebuilt.close();
});

t.test('retention removes archived months and old audit rows; balances keep what left', async (t) => {
  const model = new ReadModel(':memory:', allProjectors);
  history(model);
  const queries = new ReadModelQueries(model);
  const balance = queries.balanceAt('ann', ms('2024-12-31')).balances;
  await archiveEndedBefore(model, '2024-07-01');
  // When everything before 2024-04 is past the retention
  const removed = removeOlderThan(model, '2024-04-01', Date.parse('2024-04-01T00:00:00Z'));
  // Then 2024-01..03 are gone (files and listing), one audit row went, the later months still answer
  t.same(removed.months, ['2024-01', '2024-02', '2024-03']);
  t.equal(removed.auditRows, 1);
  t.notOk(existsSync(model.archive.pathOf('2024-02')));
  t.same(queries.claims({ investor: 'ann' }, undefined, 10).items, []);
  const statement = queries.statement('ann', '2024-01-01', '2024-12-31');
  t.same((statement.movements as { day: string }[]).map((m) => m.day), ['2024-04-15', '2024-05-15', '2024-06-15', '2024-07-15', '2024-08-15', '2024-09-15', '2024-10-15', '2024-11-15', '2024-12-15']);
  t.same(queries.balanceAt('ann', ms('2024-12-31')).balances, balance);
  // The statement starts where retention kept records: its opening holds what was removed
  t.equal(statement.opening, 600n);
  t.equal(statement.closing, 7_800n);
  model.close();
});

t.test('a month moves in bounded steps, and between any two steps every answer is the same', async (t) => {
  // Given 60 legs in 2024-03 (a month larger than one step of 7 rows)
  const model = new ReadModel(':memory:', allProjectors);
  history(model);
  for (let i = 0; i < 60; i++) {
    prepared(model.db, "insert into legs values (?, 0, 'ann', ?, ?, 5, 'CNY', ?, '2024-03-20', '2024-03-20')").run(BigInt(100 + i), `s-${i}`, i % 3 === 0 ? 'debit' : 'credit', BigInt(ms('2024-03-20')));
  }
  const queries = new ReadModelQueries(model);
  const before = view(queries);
  // When it is archived 7 rows a step, looking at the answers at every pause
  let pauses = 0;
  const run = await archiveEndedBefore(model, '2024-07-01', {
    rowsMax: 7,
    pause: async () => {
      pauses++;
      t.same(view(queries), before, `the same answers after step ${pauses}`);
    },
  });
  // Then the month went in steps, all of it
  t.same(run.moved.find((m) => m.table === 'legs' && m.month === '2024-03'), { table: 'legs', month: '2024-03', rows: 61 });
  t.ok(pauses >= 9, `${pauses} steps`);
  t.equal((prepared(model.db, "select count(*) as n from legs where day < '2024-07-01'").get() as { n: bigint }).n, 0n);
  model.close();
});

t.test('a rebuild checked against archived read models: archived as far as they were, the two compare equal', async (t) => {
  // Given live read models archived before 2024-07 and with 2024-01..02 removed by retention
  const live = new ReadModel(':memory:', allProjectors);
  history(live);
  await archiveEndedBefore(live, '2024-07-01');
  removeOlderThan(live, '2024-03-01', Date.parse('2024-03-01T00:00:00Z'));
  // When read models rebuilt with every record hot are archived like them
  const rebuilt = new ReadModel(':memory:', allProjectors);
  history(rebuilt);
  t.not(compareReadModels(live.db, rebuilt.db).length, 0, 'before: they differ');
  await archiveLike(live.db, rebuilt);
  // Then they are row for row the same, and answer the same
  t.same(compareReadModels(live.db, rebuilt.db), []);
  t.same(view(new ReadModelQueries(rebuilt)), view(new ReadModelQueries(live)));
  live.close();
  rebuilt.close();
});
