import Database from 'better-sqlite3';
import { addMonths } from '../../core/calendar/business-date.js';
import { prepared, type ReadModel } from '../projections/read-model.js';
import type { ArchiveFiles } from './archive-files.js';
import { archivedTables, type ArchivedTable } from './archive-tables.js';

/** What one archiving run moved: rows per table and month file. */
export interface ArchiveRun {
  readonly before: string;
  readonly moved: readonly { readonly table: string; readonly month: string; readonly rows: number }[];
}

/**
 * Moves every record that ended before `before` (the first day of a month) out of the hot
 * read models into its month's archive file. Each (table, month) goes in two commits: the
 * rows are copied into the file (synchronous, so durable) and then, in one commit of the
 * read models, deleted from the hot tables, their money summed into `archived_totals` and
 * the month entered in the catalog. A crash between the two leaves the rows hot and the
 * file's copy unlisted — queries read only what the catalog lists — and the next run copies
 * them again over it. Runs in the read models' writer (between projection steps).
 */
export async function archiveEndedBefore(model: ReadModel, before: string, steps: { readonly pause?: () => Promise<void>; readonly rowsMax?: number } = {}): Promise<ArchiveRun> {
  const { pause = nextTurn, rowsMax = archiveRowsPerStepMax } = steps;
  removeUnlistedFiles(model);
  const moved: { table: string; month: string; rows: number }[] = [];
  for (const table of archivedTables) {
    for (const month of monthsEndedBefore(model, table, before)) {
      const rows = await archiveMonth(model, table, month, rowsMax, pause);
      if (rows > 0) moved.push({ table: table.name, month, rows });
    }
  }
  return { before, moved };
}

/**
 * Rows one step moves at most (one copy and one commit): a month of a large platform goes
 * in many short steps, so the read side keeps answering while it archives.
 */
export const archiveRowsPerStepMax = 20_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function monthsEndedBefore(model: ReadModel, table: ArchivedTable, before: string): string[] {
  const sql = `select distinct substr(${table.endedDay}, 1, 7) as month from ${table.name} where ${table.ended} and ${table.endedDay} < ? order by month`;
  return (prepared(model.db, sql).all(before) as { month: string }[]).map((row) => row.month);
}

/** A month of a table, in steps; its file stays attached to the read models' connection meanwhile (their own tables are found first). */
async function archiveMonth(model: ReadModel, table: ArchivedTable, month: string, rowsMax: number, pause: () => Promise<void>): Promise<number> {
  const count = takeMonthKeys(model, table, month);
  prepareFile(model.archive, month);
  model.db.prepare('attach database ? as arc').run(model.archive.pathOf(month));
  // Per connection and schema: the file's commits reach the disk before the hot rows go.
  model.db.pragma('arc.synchronous = full');
  try {
    let rows = 0;
    for (let after = 0; after < count; after += rowsMax) {
      rows += archiveStep(model, table, month, after, rowsMax);
      // The writer's other work (projection, a query's catch-up) goes on between steps.
      await pause();
    }
    return rows;
  } finally {
    model.db.prepare('detach database arc').run();
    model.db.exec('drop table if exists temp.month_keys');
  }
}

/**
 * The keys of a table's rows that ended in a month, taken once (one scan), numbered 1..n:
 * each step takes the next ones. Whether a row has ended, and when, may read rows that move
 * with it (a capital's last flow), so copy and delete work on these keys, not on the
 * condition twice. A row that has ended stays ended; its content is copied as it is at its step.
 */
function takeMonthKeys(model: ReadModel, table: ArchivedTable, month: string): number {
  const db = model.db;
  db.exec('drop table if exists temp.month_keys');
  const sql = `create temp table month_keys as select ${table.key.join(', ')} from main.${table.name} where ${table.ended} and ${table.endedDay} >= ? and ${table.endedDay} < ?`;
  db.prepare(sql).run(`${month}-01`, addMonths(`${month}-01`, 1));
  return Number((db.prepare('select count(*) as n from temp.month_keys').get() as { n: bigint }).n);
}

/** Archives the keys numbered after `after`, at most `rowsMax`: copied to the file, then gone from the hot tables in one commit. */
function archiveStep(model: ReadModel, table: ArchivedTable, month: string, after: number, rowsMax: number): number {
  const db = model.db;
  const keys = table.key.join(', ');
  db.exec('drop table if exists temp.moving');
  db.prepare(`create temp table moving as select ${keys} from temp.month_keys where rowid > ? and rowid <= ?`).run(BigInt(after), BigInt(after + rowsMax));
  try {
    copyToFile(model, table);
    return db.transaction(() => {
      sumMoneyLeaving(model, table);
      const withIt = table.rowsWithIt;
      if (withIt !== undefined) db.prepare(`delete from main.${withIt.table} where ${withIt.column} in (select ${withIt.parentKey} from temp.moving)`).run();
      const rows = db.prepare(`delete from main.${table.name} where (${keys}) in (select ${keys} from temp.moving)`).run().changes;
      prepared(db, 'insert into archive_months (tbl, month, rows) values (?, ?, ?) on conflict(tbl, month) do update set rows = rows + excluded.rows').run(table.name, month, BigInt(rows));
      return rows;
    })();
  } finally {
    db.exec('drop table if exists temp.moving');
  }
}

/** The attached file gets the rows (again, after a crash: replaced) and what goes with them (replaced whole). */
function copyToFile(model: ReadModel, table: ArchivedTable): void {
  const db = model.db;
  const keys = table.key.join(', ');
  db.transaction(() => {
    const withIt = table.rowsWithIt;
    if (withIt !== undefined) {
      const parents = `select ${withIt.parentKey} from temp.moving`;
      db.prepare(`delete from arc.${withIt.table} where ${withIt.column} in (${parents})`).run();
      db.prepare(`insert into arc.${withIt.table} select * from main.${withIt.table} where ${withIt.column} in (${parents})`).run();
    }
    db.prepare(`insert or replace into arc.${table.name} select * from main.${table.name} where (${keys}) in (select ${keys} from temp.moving)`).run();
  })();
}

/** A month's file with the archived tables, in rollback-journal mode (its readers open it read-only). */
function prepareFile(files: ArchiveFiles, month: string): void {
  files.ensureDir();
  const file = new Database(files.pathOf(month));
  try {
    file.pragma('journal_mode = delete');
    for (const statement of files.schema) file.exec(statement);
  } finally {
    file.close();
  }
}

/**
 * The money of the rows leaving, per owner and month of each row's own day, added to what
 * left before: balances over any span add these to the hot rows instead of opening files.
 */
function sumMoneyLeaving(model: ReadModel, table: ArchivedTable): void {
  const add = `on conflict(kind, owner, currency, month) do update set net = net + excluded.net,
    first_at = min(coalesce(first_at, excluded.first_at), coalesce(excluded.first_at, first_at)), last_at = max(coalesce(last_at, excluded.last_at), coalesce(excluded.last_at, last_at))`;
  if (table.name === 'legs') {
    model.db.prepare(
      `insert into archived_totals select 'legs', account, currency, substr(day, 1, 7), sum(case when side = 'credit' then amount else -amount end), min(at), max(at)
       from main.legs where (position, idx) in (select position, idx from temp.moving) group by account, currency, substr(day, 1, 7) ${add}`,
    ).run();
  }
  if (table.name === 'capitals') {
    model.db.prepare(
      `insert into archived_totals select 'capital_flows', investor, 'CNY', substr(day, 1, 7), sum(delta), null, null
       from main.capital_flows where capital_id in (select id from temp.moving) group by investor, substr(day, 1, 7) ${add}`,
    ).run();
  }
}

/** Files the catalog does not list at all (the read models were rebuilt since, or a run stopped before listing them) are removed. */
function removeUnlistedFiles(model: ReadModel): void {
  const listed = new Set((prepared(model.db, 'select distinct month from archive_months').all() as { month: string }[]).map((row) => row.month));
  for (const month of model.archive.monthsOnDisk()) if (!listed.has(month)) model.archive.remove(month);
}

/** What a retention run removed: whole archived months, and audit rows older than the retention. */
export interface RetentionRun {
  readonly before: string;
  readonly months: readonly string[];
  readonly auditRows: number;
}

/**
 * Removes what is older than the retention (`before`, the first day of a month): archived
 * months (their files and catalog entries; their sums stay, so balances are unchanged) and
 * audit rows. The journal is never cut: it is the record the read models and the archive
 * are rebuilt from, and its hash chains start at its first entry.
 */
export function removeOlderThan(model: ReadModel, before: string, beforeMs: number): RetentionRun {
  const db = model.db;
  const months = (prepared(db, 'select distinct month from archive_months where month < ? order by month').all(before.slice(0, 7)) as { month: string }[]).map((row) => row.month);
  const auditRows = db.transaction(() => {
    prepared(db, 'delete from archive_months where month < ?').run(before.slice(0, 7));
    prepared(db, 'insert into archive_removed values (1, ?) on conflict(id) do update set removed_before = max(removed_before, excluded.removed_before)').run(before);
    return prepared(db, 'delete from audit where at < ?').run(BigInt(beforeMs)).changes;
  })();
  // After the catalog stopped listing them: a query that read the catalog before finds a file gone and asks again.
  for (const month of months) model.archive.remove(month);
  return { before, months, auditRows };
}
