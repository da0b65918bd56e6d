import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackupError, restoreBackup, takeBackup, verifyBackup, type BackupManifest } from '../persistence/backup/backup.js';
import { backupsToKeep, type BackupRetention } from '../persistence/backup/retention.js';
import type { Output } from './commands.js';


type Result = Output & { readonly exitCode: number };

const summary = (m: BackupManifest) =>
  `taken ${m.takenAt}: log to position ${m.journal.lastPosition} (${m.journal.entries} entries), ${m.chainHeads.length} partition chains, ${m.balances.accountParts} account parts, ${m.eod.closedDays} closed days`;

const failed = (error: unknown): Result => {
  if (!(error instanceof BackupError)) throw error;
  return { json: { error: error.message }, text: `fundcore: ${error.message}`, exitCode: 1 };
};

/** A backup is background work: it yields the CPU to the node it copies (nice 10; where that is not allowed, it runs as is). */
function yieldToTheNode(): void {
  try {
    setPriority(process.pid, Math.max(getPriority(process.pid), backupNiceness));
  } catch {
    // Not allowed here: the backup runs at the node's priority.
  }
}

const backupNiceness = 10;

/** `fundcore backup --out B`: one backup into a new directory. */
export async function backupCommand(dataDir: string, out: string): Promise<Result> {
  yieldToTheNode();
  try {
    const manifest = await takeBackup(dataDir, resolve(out));
    return { json: manifest, text: `backed up ${dataDir} into ${resolve(out)}\n${summary(manifest)}`, exitCode: 0 };
  } catch (error) {
    return failed(error);
  }
}

/** A scheduled backup's directory name: its time, sortable (`20261205T170500Z`). */
const scheduledNameOf = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const scheduledName = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function takenAtOf(name: string): number | null {
  const m = scheduledName.exec(name);
  return m === null ? null : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** `fundcore backup --into DIR`: a backup named by its time, then the schedule's pruning of DIR. */
export async function scheduledBackupCommand(dataDir: string, into: string, retention: BackupRetention, now: Date = new Date()): Promise<Result> {
  yieldToTheNode();
  try {
    const dir = resolve(into);
    const manifest = await takeBackup(dataDir, join(dir, scheduledNameOf(now)), now);
    const taken = readdirSync(dir).flatMap((name) => {
      const at = takenAtOf(name);
      return at !== null && existsSync(join(dir, name, 'manifest.json')) ? [{ name, at }] : [];
    });
    const keep = backupsToKeep(taken.map((b) => b.at), now.getTime(), retention);
    const pruned = taken.filter((b) => !keep.has(b.at)).map((b) => b.name);
    for (const name of pruned) rmSync(join(dir, name), { recursive: true, force: true });
    return { json: { manifest, kept: taken.length - pruned.length, pruned }, text: `${summary(manifest)}\nkept ${taken.length - pruned.length}, pruned ${pruned.length}${pruned.length > 0 ? `: ${pruned.join(', ')}` : ''}`, exitCode: 0 };
  } catch (error) {
    return failed(error);
  }
}

/** `fundcore backup verify B`: restore into a scratch directory and compare with the manifest. */
export function verifyBackupCommand(backupDir: string): Result {
  const scratch = mkdtempSync(join(tmpdir(), 'fundcore-backup-verify-'));
  try {
    const { manifest, problems } = verifyBackup(resolve(backupDir), scratch);
    if (problems.length === 0) return { json: { ok: true, manifest }, text: `${backupDir}: restores to exactly what its manifest says\n${summary(manifest)}`, exitCode: 0 };
    return { json: { ok: false, problems, manifest }, text: `${backupDir}: DOES NOT RESTORE to its manifest:\n- ${problems.join('\n- ')}`, exitCode: 1 };
  } catch (error) {
    return failed(error);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `fundcore restore B --data-dir D --until T --replay L`: the state at instant T, from B and a later copy L. */
export async function restoreUntilCommand(backupDir: string, dataDir: string, laterDir: string, untilMs: number): Promise<Result> {
  try {
    // Every actor type is loaded for a replay: only when one is asked for.
    const { restoreUntil } = await import('./point-in-time.js');
    const { manifest, replayed, nextAt } = await restoreUntil(resolve(backupDir), dataDir, resolve(laterDir), untilMs);
    const after = nextAt === null ? 'the later copy ends before that instant' : `the next append, left out, was at ${new Date(nextAt).toISOString()}`;
    return {
      json: { manifest, replayed, until: new Date(untilMs).toISOString(), nextAt: nextAt === null ? null : new Date(nextAt).toISOString() },
      text: `restored ${backupDir} into ${dataDir}, then replayed ${replayed} appends of ${laterDir} up to ${new Date(untilMs).toISOString()} (${after})`,
      exitCode: 0,
    };
  } catch (error) {
    return failed(error);
  }
}

/** `fundcore restore B --data-dir D`: the node then starts on D. */
export function restoreCommand(backupDir: string, dataDir: string): Result {
  try {
    const manifest = restoreBackup(resolve(backupDir), dataDir);
    return { json: manifest, text: `restored ${backupDir} into ${dataDir}\n${summary(manifest)}`, exitCode: 0 };
  } catch (error) {
    return failed(error);
  }
}

