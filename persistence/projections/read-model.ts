import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { ArchiveFiles, archiveDirOf } from '../archive/archive-files.js';
import { archiveCatalogSchema, archiveFileSchemaOf } from '../archive/archive-tables.js';
import type { Projector } from './projector.js';

export type ReadDatabase = Database.Database;

/**
 * Pages the write-ahead log collects before SQLite copies them into the database (its default
 * is 1,000). A batch of log entries dirties nearly a page per entry (about 1,600 for 2,000),
 * all over the tables' indexes, so at the default nearly every batch paid a checkpoint; a page
 * changed by several batches in between is now copied once. A rebuild of a repayment day's
 * log: −8 to −12 % time.
 */
export const walCheckpointPages = 16_384;
/** What the write-ahead log file is cut back to after a checkpoint, so a burst does not keep its size on disk. */
export const walKeptBytesMax = 64 * 1024 * 1024;

const statements = new WeakMap<ReadDatabase, Map<string, Database.Statement>>();

/**
 * The database's statement for `sql`, compiled once: compiling costs more than running, and
 * projection runs a handful of statements per log entry. (Statements are only run with
 * get/all/run, never iterated, so one is never busy when it is asked for again.)
 */
export function prepared(db: ReadDatabase, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement === undefined) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/**
 * The read models: one SQLite database (better-sqlite3), fed from the journal's node-wide
 * log. It is rebuildable at any time, so it is not the durable record; still, each batch of
 * log entries is applied in one transaction together with the position it reached, so
 * after a crash projection resumes exactly where its rows end — nothing projected twice,
 * nothing skipped. Money columns are INTEGER minor units read back as bigint.
 */
export class ReadModel {
  readonly db: ReadDatabase;
  /** Where records archived out of these tables went (persistence/archive): part of the read models, rebuilt with them. */
  readonly archive: ArchiveFiles;

  constructor(
    path: string,
    projectors: readonly Projector[],
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`wal_autocheckpoint = ${walCheckpointPages}`);
    this.db.pragma(`journal_size_limit = ${walKeptBytesMax}`);
    this.db.defaultSafeIntegers(true);
    this.db.exec('create table if not exists projection_meta (key text primary key, value integer not null)');
    const fingerprint = schemaFingerprintOf(projectors);
    if (this.storedFingerprint() !== fingerprint) this.dropAll();
    for (const projector of projectors) for (const statement of projector.schema) this.db.exec(statement);
    for (const statement of archiveCatalogSchema) this.db.exec(statement);
    const { dir, scratch } = archiveDirOf(path);
    this.archive = new ArchiveFiles(dir, archiveFileSchemaOf(projectors.flatMap((projector) => projector.schema)), scratch);
    archives.set(this.db, this.archive);
    this.db.prepare("insert into projection_meta (key, value) values ('schema', ?) on conflict(key) do update set value = excluded.value").run(fingerprint);
  }

  private storedFingerprint(): bigint | null {
    const row = this.db.prepare("select value from projection_meta where key = 'schema'").get() as { value: bigint } | undefined;
    return row?.value ?? null;
  }

  /**
   * Read models written by another version of the projectors (or before fingerprints) are
   * dropped: projection starts again from the journal's first entry, so a new column or table
   * is filled for all history instead of only from now on.
   */
  private dropAll(): void {
    const tables = this.db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[];
    this.db.transaction(() => {
      for (const { name } of tables) this.db.exec(`drop table "${name}"`);
      this.db.exec('create table projection_meta (key text primary key, value integer not null)');
    })();
  }

  /** The last log position applied (0: none). */
  position(): number {
    const row = prepared(this.db, "select value from projection_meta where key = 'position'").get() as { value: bigint } | undefined;
    return row === undefined ? 0 : Number(row.value);
  }

  setPosition(position: number): void {
    prepared(this.db, "insert into projection_meta (key, value) values ('position', ?) on conflict(key) do update set value = excluded.value").run(BigInt(position));
  }

  close(): void {
    this.archive.close();
    this.db.close();
  }
}

const archives = new WeakMap<ReadDatabase, ArchiveFiles>();

/** The archive of the read models on this connection (a projector bringing an archived record back needs it). */
export function archiveOf(db: ReadDatabase): ArchiveFiles | undefined {
  return archives.get(db);
}

/** A number naming the projectors' DDL (and the archive catalog's): another schema, another number. */
export function schemaFingerprintOf(projectors: readonly Projector[]): bigint {
  const digest = createHash('sha256').update([...projectors.flatMap((projector) => projector.schema), ...archiveCatalogSchema].join('\n')).digest();
  return digest.readBigInt64BE(0);
}
