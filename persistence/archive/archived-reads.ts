import { ActorRuntimeError } from '../../actors/runtime/errors.js';
import { addMonths } from '../../core/calendar/business-date.js';
import { archiveOf, prepared, type ReadDatabase } from '../projections/read-model.js';
import { archivedTables } from './archive-tables.js';

type Row = Record<string, unknown>;
type Key = readonly unknown[];

/** Where an answer's rows came from: said in a header, never in the body. */
export type DataSource = 'hot' | 'archive';

/** One place rows are read from: the hot read models, or one month's archive file. */
interface Source {
  readonly db: ReadDatabase;
  readonly month: string | null;
}

/** Months of the files a table's rows are in (the catalog lists them; `tbl` is the archived table a file was written for). */
function listedMonths(db: ReadDatabase, table: string): string[] {
  const owner = archivedTables.find((t) => t.name === table || t.rowsWithIt?.table === table)?.name ?? table;
  return (prepared(db, 'select month from archive_months where tbl = ? order by month').all(owner) as { month: string }[]).map((row) => row.month);
}

/**
 * The hot read models, then each archive file listed for the table (within `months` when
 * given). A file listed but gone was removed by retention after this read began: the
 * whole answer is asked again (the caller reads the catalog and the hot rows in one
 * snapshot, so a second try sees the catalog without it).
 */
function sourcesOf(db: ReadDatabase, table: string, months?: { readonly from?: string; readonly to?: string }): Source[] {
  const files = archiveOf(db);
  const sources: Source[] = [{ db, month: null }];
  if (files === undefined) return sources;
  for (const month of listedMonths(db, table)) {
    if ((months?.from !== undefined && month < months.from) || (months?.to !== undefined && month > months.to)) continue;
    const file = files.reader(month);
    if (file === null) throw new ArchiveMovedError(`the archive file of ${month} was removed while it was read`);
    sources.push({ db: file, month });
  }
  return sources;
}

/** A month's file disappeared under a query: ask again. */
export class ArchiveMovedError extends Error {
  override readonly name = 'ArchiveMovedError';
}

/**
 * Runs a read over the hot rows and the archive in one snapshot of the read models, and
 * once more if retention removed a file it was reading (the seeds' "dynamic data source":
 * a query that meets a move is retried, the caller never sees it).
 */
export function readEverywhere<T>(db: ReadDatabase, read: () => T): T {
  const once = db.transaction(read);
  try {
    return once();
  } catch (error) {
    if (!(error instanceof ArchiveMovedError)) throw error;
  }
  try {
    return once();
  } catch (error) {
    // Still listed and still missing (removed by hand, a half-restored copy): the answer is not made from less.
    if (error instanceof ArchiveMovedError) throw new ActorRuntimeError('read_model_behind', error.message);
    throw error;
  }
}

export interface Everywhere {
  readonly rows: Row[];
  /** Where each row came from (aligned with `rows`). */
  readonly rowSources: readonly DataSource[];
  readonly sources: ReadonlySet<DataSource>;
}

/**
 * The rows `sql` selects from the table, everywhere, in `keyOf` order, each key once: a
 * hot row shadows an archived one (a record brought back to change it). With `limit`, the
 * SQL ends in `limit ?` and at most `limit` rows are returned (each source asked for as
 * many, more when shadowed rows were dropped).
 */
export function selectEverywhere(db: ReadDatabase, table: string, sql: string, args: readonly unknown[], keyOf: (row: Row) => Key, options: { limit?: number; months?: { from?: string; to?: string } } = {}): Everywhere {
  const keyColumns = archivedTables.find((t) => t.name === table)?.key ?? null;
  const all: { row: Row; key: Key; source: DataSource }[] = [];
  for (const source of sourcesOf(db, table, options.months)) {
    for (const row of rowsOf(db, source, table, keyColumns, sql, args, options.limit)) all.push({ row, key: keyOf(row), source: source.month === null ? 'hot' : 'archive' });
  }
  // Stable: of equal keys the hot row (read first) is kept.
  all.sort((a, b) => compareKeys(a.key, b.key));
  const unique = all.filter((found, i) => i === 0 || compareKeys(found.key, (all[i - 1] as (typeof all)[number]).key) !== 0);
  const answered = options.limit === undefined ? unique : unique.slice(0, options.limit);
  const rowSources = answered.map((found) => found.source);
  return { rows: answered.map((found) => found.row), rowSources, sources: new Set(rowSources) };
}

function rowsOf(hot: ReadDatabase, source: Source, table: string, keyColumns: readonly string[] | null, sql: string, args: readonly unknown[], limit: number | undefined): Row[] {
  const run = (n: number | undefined) => prepared(source.db, sql).all(...args, ...(n === undefined ? [] : [BigInt(n)])) as Row[];
  if (source.month === null || keyColumns === null) return run(limit);
  const shadowed = prepared(hot, `select 1 from ${table} where ${keyColumns.map((c) => `${c} = ?`).join(' and ')}`);
  for (let asked = limit; ; asked = (asked as number) * 2) {
    const raw = run(asked);
    const kept = raw.filter((row) => shadowed.get(...keyColumns.map((c) => row[c])) === undefined);
    if (asked === undefined || raw.length < asked || kept.length >= (limit as number)) return kept;
  }
}

export function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] as string | number | bigint;
    const y = b[i] as string | number | bigint;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The first day of the month after a date's. */
export function nextMonthStart(day: string): string {
  return addMonths(`${day.slice(0, 7)}-01`, 1);
}

/**
 * Brings an archived record back into the hot table, to be changed there (a transfer
 * reversed long after it was archived): the hot row shadows the archived copy from now on,
 * and the next archiving run moves the changed record over it. False when it is not archived.
 */
export function bringBack(db: ReadDatabase, table: string, key: readonly unknown[]): boolean {
  const files = archiveOf(db);
  const columns = archivedTables.find((t) => t.name === table)?.key;
  if (files === undefined || columns === undefined) return false;
  const where = columns.map((column) => `${column} = ?`).join(' and ');
  for (const month of listedMonths(db, table).reverse()) {
    const row = files.reader(month)?.prepare(`select * from ${table} where ${where}`).get(...key) as Row | undefined;
    if (row === undefined) continue;
    const values = Object.values(row);
    prepared(db, `insert into ${table} values (${values.map(() => '?').join(', ')})`).run(...values);
    return true;
  }
  return false;
}
