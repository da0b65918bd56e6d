/**
 * What leaves the hot read models for the monthly archive files, and when. A record goes
 * once it has ended — it changes no more — and the business day it ended is before the
 * cutoff; it goes to the file of that day's month. Rows that belong to a record (a loan's
 * periods, a capital's flows) go with it, to its file.
 */
export interface ArchivedTable {
  /** The table, the same in the read models and in every archive file. */
  readonly name: string;
  /** Its primary key's columns: a row in the hot table shadows an archived one with the same key. */
  readonly key: readonly string[];
  /** SQL: the row has ended (it will not change again). */
  readonly ended: string;
  /** SQL: the business day it ended on (YYYY-MM-DD). */
  readonly endedDay: string;
  /** Rows of other tables that go with it: `table` rows whose `column` is this row's `parentKey`. */
  readonly rowsWithIt?: { readonly table: string; readonly column: string; readonly parentKey: string };
}

/** A transfer's business day: stamped when journaled, else the day of its last change. */
const transferDay = "coalesce(business_date, date(updated_at / 1000, 'unixepoch'))";

export const archivedTables: readonly ArchivedTable[] = [
  // Legs are facts: every one has ended the moment it is written.
  { name: 'legs', key: ['position', 'idx'], ended: '1 = 1', endedDay: 'day' },
  // Posted and credited, or refused one way or another; a reversal later brings it back (ledger-projector.ts).
  {
    name: 'transfers',
    key: ['id'],
    ended: "debit is not null and (status in ('voided', 'returned', 'rejected') or (status = 'posted' and credited_at is not null))",
    endedDay: transferDay,
  },
  { name: 'claims', key: ['order_no'], ended: 'ended_day is not null', endedDay: 'ended_day' },
  { name: 'loans', key: ['id'], ended: 'ended_day is not null', endedDay: 'ended_day', rowsWithIt: { table: 'loan_periods', column: 'loan_id', parentKey: 'id' } },
  // Matched to the last yuan or pulled back, nothing reserved: its money has left the pool.
  {
    name: 'capitals',
    key: ['id'],
    ended: "status in ('fully_matched', 'pulled_back') and reserved = 0",
    endedDay: 'coalesce((select max(f.day) from capital_flows f where f.capital_id = capitals.id), created_on)',
    rowsWithIt: { table: 'capital_flows', column: 'capital_id', parentKey: 'id' },
  },
];

/** The tables an archive file holds: the archived ones and the rows that go with them. */
export const archiveFileTables: readonly string[] = archivedTables.flatMap((table) => [table.name, ...(table.rowsWithIt === undefined ? [] : [table.rowsWithIt.table])]);

/** The statements of the read models' DDL that make an archive file's tables and their indexes. */
export function archiveFileSchemaOf(readModelSchema: readonly string[]): string[] {
  const named = (statement: string) => /^create (?:table|index) if not exists (?:\w+ on )?(\w+)/.exec(statement.replace(/\s+/g, ' ').trim())?.[1];
  return readModelSchema.filter((statement) => archiveFileTables.includes(named(statement) ?? ''));
}

/**
 * In the read models, beside the hot rows: which (table, month) files hold archived rows
 * (a query reads a file only for what this says it holds), and the sums of the money rows
 * that left, per owner and month of their own day, so balances need no file.
 */
export const archiveCatalogSchema = [
  'create table if not exists archive_months (tbl text not null, month text not null, rows integer not null, primary key (tbl, month))',
  // What retention removed: everything before `removed_before` (a statement starts its movements there).
  'create table if not exists archive_removed (id integer primary key check (id = 1), removed_before text not null)',
  `create table if not exists archived_totals (kind text not null, owner text not null, currency text not null, month text not null,
    net integer not null, first_at integer, last_at integer, primary key (kind, owner, currency, month))`,
];
