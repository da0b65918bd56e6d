import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { ReadDatabase } from '../projections/read-model.js';

/** Archive files a process keeps open for queries at once (the least recently read is closed). */
export const archiveReadersOpenMax = 24;

const monthFile = /^(\d{4}-\d{2})\.sqlite$/;

/** How long a query waits for an archive file the archiver is committing to. */
export const archiveBusyTimeoutMs = 5_000;

function inodeOf(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

/** Where a read model's archive lives: `archive/` beside its file; a read model in memory gets a scratch directory (made when first archived to). */
export function archiveDirOf(readModelPath: string): { readonly dir: string; readonly scratch: boolean } {
  if (readModelPath === ':memory:' || readModelPath === '') return { dir: join(tmpdir(), `fundcore-archive-${randomUUID()}`), scratch: true };
  return { dir: join(dirname(readModelPath), 'archive'), scratch: false };
}

/**
 * The monthly archive files of one read model (`YYYY-MM.sqlite`): each holds the archived
 * tables with the read models' own DDL, so one query runs unchanged on the hot rows and on
 * every month. Readers open a file read-only and keep it open (bounded); the archiver writes
 * through the read models' connection (archiver.ts).
 */
export class ArchiveFiles {
  private readonly readers = new Map<string, { readonly db: ReadDatabase; readonly inode: number }>();

  constructor(
    readonly dir: string,
    readonly schema: readonly string[],
    private readonly scratch = false,
  ) {}

  pathOf(month: string): string {
    return join(this.dir, `${month}.sqlite`);
  }

  /**
   * A month's file, read-only; null when it is not there (purged by retention meanwhile). A
   * reader kept open is used again only while the file is the same one: after a rebuild of
   * the read models the archiver writes a month's file anew.
   */
  reader(month: string): ReadDatabase | null {
    const inode = inodeOf(this.pathOf(month));
    const open = this.readers.get(month);
    if (open !== undefined) {
      this.readers.delete(month);
      // Most recently used last: the first is the one closed when too many are open.
      if (open.inode === inode) return (this.readers.set(month, open), open.db);
      open.db.close();
    }
    if (inode === null) return null;
    // Rollback-journal files: a reader waits out the archiver's short commits.
    const db = new Database(this.pathOf(month), { readonly: true, fileMustExist: true, timeout: archiveBusyTimeoutMs });
    db.defaultSafeIntegers(true);
    this.readers.set(month, { db, inode });
    for (const [oldest] of this.readers) {
      if (this.readers.size <= archiveReadersOpenMax) break;
      this.forget(oldest);
    }
    return db;
  }

  /** Closes a month's reader (its file is about to be removed). */
  forget(month: string): void {
    this.readers.get(month)?.db.close();
    this.readers.delete(month);
  }

  /** The month files on disk. */
  monthsOnDisk(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).flatMap((name) => monthFile.exec(name)?.[1] ?? []).sort();
  }

  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  remove(month: string): void {
    this.forget(month);
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${this.pathOf(month)}${suffix}`, { force: true });
  }

  close(): void {
    for (const { db } of this.readers.values()) db.close();
    this.readers.clear();
    if (this.scratch) rmSync(this.dir, { recursive: true, force: true });
  }
}
