import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { open } from 'lmdb';
import { LmdbJournal } from '../lmdb-journal.js';
import { rebuildReadModel } from '../projections/rebuild.js';

export const manifestFileName = 'manifest.json';
const journalDirName = 'journal';
const readModelFileName = 'read-models.db';
/** The read models' archive files, beside them (persistence/archive/archive-files.ts). */
const archiveDirName = 'archive';

/** What a backup says of itself; `fundcore backup verify` proves a restore gives it back. */
export interface BackupManifest {
  readonly format: 'fundcore-backup-1';
  readonly takenAt: string;
  readonly partitionCount: number;
  /** The copy's log: its last position and how many entries it holds. */
  readonly journal: { readonly lastPosition: number; readonly entries: number };
  /** Each partition's hash chain head in the copy (recomputed from its genesis when taken). */
  readonly chainHeads: readonly { readonly partition: number; readonly position: number; readonly hash: string }[];
  /** Every account part's figures, as the read models rebuilt from the copy hold them. */
  readonly balances: { readonly accountParts: number; readonly digest: string };
  /** The closed days and their report digests. */
  readonly eod: { readonly closedDays: number; readonly digest: string };
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

const sha256 = (lines: readonly string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');
const text = (row: unknown) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

/** The digests a manifest holds, read from read models (SQLite). */
export function readModelDigests(path: string): Pick<BackupManifest, 'balances' | 'eod'> {
  const db = new Database(path, { readonly: true });
  try {
    db.defaultSafeIntegers(true);
    const parts = db.prepare('select actor_id, currency, debits_posted, credits_posted, debits_pending, sibling_net from account_parts order by actor_id').all().map(text);
    const days = db.prepare('select date, digest from closed_days order by date').all().map(text);
    return { balances: { accountParts: parts.length, digest: sha256(parts) }, eod: { closedDays: days.length, digest: sha256(days) } };
  } finally {
    db.close();
  }
}

/** The chain heads and log extent of a journal on disk (opened read-only). */
function journalFacts(path: string): Pick<BackupManifest, 'partitionCount' | 'journal' | 'chainHeads'> & { readonly broken: string | null } {
  const journal = new LmdbJournal({ path, readOnly: true });
  try {
    const verified = journal.verifyChain();
    const broken = verified.broken === null ? null : `position ${verified.broken.position} (${verified.broken.actorId}, seq ${verified.broken.firstSeq}): ${verified.broken.reason}`;
    const chainHeads = [...verified.heads].sort(([a], [b]) => a - b).map(([partition, head]) => ({ partition, ...head }));
    return { partitionCount: journal.partitionCount, journal: { lastPosition: journal.lastLogPosition(), entries: verified.entries }, chainHeads, broken };
  } finally {
    void journal.close();
  }
}

/**
 * A consistent copy of a node's journal, taken while the node serves (LMDB copies under one
 * read transaction; the writer is not stopped), and read models that agree with it exactly:
 * the node's own, copied first (SQLite's online backup; they never run ahead of the journal,
 * so the copy is at or behind the journal's copy) and then brought up to the journal copy's
 * end — or, without them, rebuilt from the copy; then the manifest, written last: a
 * directory without one is not a backup. `outDir` must not exist yet.
 */
export async function takeBackup(dataDir: string, outDir: string, now: Date = new Date()): Promise<BackupManifest> {
  const livePath = join(dataDir, journalDirName);
  if (!existsSync(join(livePath, 'data.mdb'))) throw new BackupError(`no journal at ${livePath}`);
  if (existsSync(outDir)) throw new BackupError(`${outDir} exists: a backup goes into a new directory`);
  const partial = `${outDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, journalDirName), { recursive: true });
  await copyReadModels(join(dataDir, readModelFileName), join(partial, readModelFileName));
  copyArchive(join(dataDir, archiveDirName), join(partial, archiveDirName), join(partial, readModelFileName));
  const live = open({ path: livePath, readOnly: true });
  try {
    await live.backup(join(partial, journalDirName), false);
  } finally {
    await live.close();
  }
  const facts = journalFacts(join(partial, journalDirName));
  if (facts.broken !== null) throw new BackupError(`the journal's hash chain is broken at ${facts.broken}: not backed up (run fundcore verify)`);
  // Catches the copied read models up (a few entries), or builds them from nothing.
  rebuildFrom(join(partial, journalDirName), join(partial, readModelFileName), facts.partitionCount);
  const { broken: _broken, ...journal } = facts;
  const manifest: BackupManifest = { format: 'fundcore-backup-1', takenAt: now.toISOString(), ...journal, ...readModelDigests(join(partial, readModelFileName)) };
  writeFileSync(join(partial, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(partial, outDir);
  return manifest;
}

/**
 * The node's read models, copied online (none: they are rebuilt from the journal's copy).
 * VACUUM INTO reads one snapshot in one transaction — in WAL mode the node's writer goes on —
 * where SQLite's backup API would start over each time the node wrote meanwhile.
 */
async function copyReadModels(livePath: string, copyPath: string): Promise<void> {
  if (!existsSync(livePath)) return;
  const live = new Database(livePath, { readonly: true, fileMustExist: true });
  try {
    live.prepare('vacuum into ?').run(copyPath);
  } finally {
    live.close();
  }
}

/**
 * The archive files, each copied as one snapshot after the read models: a month archived
 * meanwhile is in its file but not in the copied catalog (so not read: its rows are still
 * hot in the copy); a month retention removed meanwhile leaves the copied catalog.
 */
function copyArchive(liveDir: string, copyDir: string, readModelCopy: string): void {
  if (!existsSync(liveDir)) return;
  mkdirSync(copyDir, { recursive: true });
  const copied: string[] = [];
  for (const name of readdirSync(liveDir).filter((file) => /^\d{4}-\d{2}\.sqlite$/.test(file))) {
    const file = new Database(join(liveDir, name), { readonly: true, fileMustExist: true, timeout: 5_000 });
    try {
      file.prepare('vacuum into ?').run(join(copyDir, name));
      copied.push(name.slice(0, 7));
    } finally {
      file.close();
    }
  }
  if (!existsSync(readModelCopy)) return;
  const copy = new Database(readModelCopy);
  try {
    copy.prepare('delete from archive_months where month not in (select value from json_each(?))').run(JSON.stringify(copied));
  } finally {
    copy.close();
  }
}

/** Read models at `readModelPath` (a copy, or nothing) brought to the end of the journal at `journalPath`. */
function rebuildFrom(journalPath: string, readModelPath: string, partitionCount: number): void {
  const journal = new LmdbJournal({ path: journalPath, readOnly: true });
  try {
    rebuildReadModel(journal, readModelPath, partitionCount);
  } finally {
    void journal.close();
  }
}

export function readManifest(backupDir: string): BackupManifest {
  const path = join(backupDir, manifestFileName);
  if (!existsSync(path)) throw new BackupError(`${backupDir} holds no ${manifestFileName}: not a finished backup`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest.format !== 'fundcore-backup-1') throw new BackupError(`${path}: unknown format ${String(manifest.format)}`);
  return manifest;
}

/**
 * Puts a backup's journal and read models into `dataDir` (which must hold no journal) and
 * checks that the restored chains end where the manifest says. The node then starts on it.
 */
export function restoreBackup(backupDir: string, dataDir: string): BackupManifest {
  const manifest = readManifest(backupDir);
  const target = join(dataDir, journalDirName);
  if (existsSync(target)) throw new BackupError(`${target} exists: restore into a data directory without a journal`);
  mkdirSync(target, { recursive: true });
  copyFileSync(join(backupDir, journalDirName, 'data.mdb'), join(target, 'data.mdb'));
  for (const file of readdirSync(backupDir)) if (file.startsWith(readModelFileName)) copyFileSync(join(backupDir, file), join(dataDir, file));
  if (existsSync(join(backupDir, archiveDirName))) cpSync(join(backupDir, archiveDirName), join(dataDir, archiveDirName), { recursive: true });
  const facts = journalFacts(target);
  const problems = factProblems(manifest, facts);
  if (problems.length > 0) {
    // A node must not start on a journal that is not the one backed up: nothing stays behind.
    rmSync(target, { recursive: true, force: true });
    for (const file of readdirSync(dataDir)) if (file.startsWith(readModelFileName)) rmSync(join(dataDir, file), { force: true });
    rmSync(join(dataDir, archiveDirName), { recursive: true, force: true });
    throw new BackupError(`the restored journal is not the one backed up: ${problems.join('; ')}`);
  }
  return manifest;
}

function factProblems(manifest: BackupManifest, facts: ReturnType<typeof journalFacts>): string[] {
  const problems: string[] = [];
  if (facts.broken !== null) problems.push(`its hash chain is broken at ${facts.broken}`);
  if (facts.journal.lastPosition !== manifest.journal.lastPosition || facts.journal.entries !== manifest.journal.entries) {
    problems.push(`its log ends at ${facts.journal.lastPosition} with ${facts.journal.entries} entries, the manifest says ${manifest.journal.lastPosition} with ${manifest.journal.entries}`);
  }
  if (text(facts.chainHeads) !== text(manifest.chainHeads)) problems.push('its chain heads differ from the manifest');
  return problems;
}

/**
 * The proof a backup restores: it is restored into `scratchDir`, its chains recomputed, and
 * its read models rebuilt from the restored journal; balances, chain heads and end-of-day
 * digests must equal the manifest's. Returns what differs (empty: the backup is good).
 */
export function verifyBackup(backupDir: string, scratchDir: string): { readonly manifest: BackupManifest; readonly problems: readonly string[] } {
  const manifest = readManifest(backupDir);
  let problems: string[];
  try {
    restoreBackup(backupDir, scratchDir);
    problems = [];
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    return { manifest, problems: [error.message] };
  }
  const rebuilt = join(scratchDir, 'rebuilt.db');
  rebuildFrom(join(scratchDir, journalDirName), rebuilt, manifest.partitionCount);
  for (const [name, path] of [['rebuilt from the restored journal', rebuilt], ['restored', join(scratchDir, readModelFileName)]] as const) {
    const digests = readModelDigests(path);
    if (digests.balances.digest !== manifest.balances.digest) problems.push(`balances ${name} differ from the manifest (${digests.balances.accountParts} account parts, manifest ${manifest.balances.accountParts})`);
    if (digests.eod.digest !== manifest.eod.digest) problems.push(`end-of-day digests ${name} differ from the manifest (${digests.eod.closedDays} closed days, manifest ${manifest.eod.closedDays})`);
  }
  return { manifest, problems };
}
