import { partitionCountDefault } from '../../core/ledger/partition.js';
import type { JournalReader } from '../journal.js';
import { allProjectors } from './projectors.js';
import { ReadModel, type ReadDatabase } from './read-model.js';
import { LocalReadSide } from './read-side.js';

/**
 * Applies the node log to the read models at `outPath` from where they stand: a new file is
 * built from nothing, from the whole log; a copy of a node's read models is brought to the
 * log's end (a backup's, taken just before its journal).
 */
export function rebuildReadModel(journal: JournalReader, outPath: string, partitionCount = partitionCountDefault): { position: number; entries: number } {
  const model = new ReadModel(outPath, allProjectors);
  try {
    const entries = new LocalReadSide(model, journal, partitionCount).runner.catchUp();
    return { position: model.position(), entries };
  } finally {
    model.close();
  }
}

/** Differences shown per table at most: enough to see what is wrong without flooding a terminal. */
const differencesShownMax = 5;

const text = (row: unknown) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));

function tables(db: ReadDatabase): string[] {
  return (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((r) => r.name);
}

function rowsOf(db: ReadDatabase, table: string, ignoredColumns: readonly string[]): string[] {
  const columns = (db.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]).filter((c) => !ignoredColumns.includes(c.name)).map((c) => `"${c.name}"`);
  return (db.prepare(`select ${columns.join(', ')} from "${table}" order by ${columns.join(', ')}`).all() as unknown[]).map(text);
}

/**
 * Every difference between two read-model databases, table by table, row by row (rows
 * compared whole, in a total order of all their columns): empty when they are equal.
 * `ignoredColumns` are left out everywhere (read models fed in another numbering of the log
 * differ only in their `position` columns).
 */
export function compareReadModels(a: ReadDatabase, b: ReadDatabase, ignoredColumns: readonly string[] = []): string[] {
  const differences: string[] = [];
  const [namesA, namesB] = [tables(a), tables(b)];
  for (const name of namesA.filter((n) => !namesB.includes(n))) differences.push(`table ${name}: only in the first`);
  for (const name of namesB.filter((n) => !namesA.includes(n))) differences.push(`table ${name}: only in the second`);
  for (const name of namesA.filter((n) => namesB.includes(n))) {
    const [rowsA, rowsB] = [rowsOf(a, name, ignoredColumns), rowsOf(b, name, ignoredColumns)];
    const inB = new Set(rowsB);
    const inA = new Set(rowsA);
    const onlyA = rowsA.filter((row) => !inB.has(row));
    const onlyB = rowsB.filter((row) => !inA.has(row));
    if (rowsA.length !== rowsB.length) differences.push(`table ${name}: ${rowsA.length} rows against ${rowsB.length}`);
    for (const row of onlyA.slice(0, differencesShownMax)) differences.push(`table ${name}: only in the first: ${row}`);
    for (const row of onlyB.slice(0, differencesShownMax)) differences.push(`table ${name}: only in the second: ${row}`);
  }
  return differences;
}

/** Rows per table, for a summary line. */
export function tableSizes(db: ReadDatabase): Record<string, number> {
  return Object.fromEntries(tables(db).map((name) => [name, Number((db.prepare(`select count(*) as n from "${name}"`).get() as { n: bigint }).n)]));
}
