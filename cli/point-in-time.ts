import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WallBusinessClock } from '../actors/clock/business-clock.js';
import { defaultLendingConfig } from '../actors/lending/lending-config.js';
import { nodeBehaviors } from '../actors/node-behaviors.js';
import { systemClock } from '../actors/runtime/clock.js';
import { replayJournal, ReplayError } from '../actors/runtime/journal-replay.js';
import { BackupError, restoreBackup, type BackupManifest } from '../persistence/backup/backup.js';
import { LmdbJournal } from '../persistence/lmdb-journal.js';
import { rebuildReadModel } from '../persistence/projections/rebuild.js';

export interface PointInTime {
  readonly manifest: BackupManifest;
  readonly replayed: number;
  /** When the first entry left out was decided (null: the later copy ended before the instant). */
  readonly nextAt: number | null;
}

/**
 * Restores a backup, then replays a later copy of the same journal (a later backup, or a
 * node's data directory) up to `untilMs`: the state of that instant — against a bad write,
 * the copy of just before it. The later copy must continue the backup: its chains, through
 * the backup's last position, end where the backup's manifest says.
 */
export async function restoreUntil(backupDir: string, dataDir: string, laterDir: string, untilMs: number): Promise<PointInTime> {
  const laterPath = join(laterDir, 'journal');
  if (!existsSync(join(laterPath, 'data.mdb'))) throw new BackupError(`no journal at ${laterPath} to replay`);
  const backupLastAt = lastAtOf(join(backupDir, 'journal'));
  if (untilMs < backupLastAt) throw new BackupError(`the backup holds appends up to ${new Date(backupLastAt).toISOString()}, after ${new Date(untilMs).toISOString()}: restore an earlier one`);
  const manifest = restoreBackup(backupDir, dataDir);
  try {
    return await replayInto(manifest, dataDir, laterDir, untilMs);
  } catch (error) {
    // Nothing half done stays behind: a node must not start on a journal short of the instant.
    for (const file of readdirSync(dataDir)) if (file === 'journal' || file === 'archive' || file.startsWith('read-models.db')) rmSync(join(dataDir, file), { recursive: true, force: true });
    throw error instanceof ReplayError ? new BackupError(error.message) : error;
  }
}

async function replayInto(manifest: BackupManifest, dataDir: string, laterDir: string, untilMs: number): Promise<PointInTime> {
  const later = new LmdbJournal({ path: join(laterDir, 'journal'), readOnly: true });
  const target = new LmdbJournal({ path: join(dataDir, 'journal'), partitionCount: manifest.partitionCount });
  try {
    const through = later.verifyChain(manifest.journal.lastPosition);
    const heads = [...through.heads].sort(([a], [b]) => a - b).map(([partition, head]) => ({ partition, ...head }));
    if (through.broken !== null || JSON.stringify(heads) !== JSON.stringify(manifest.chainHeads)) {
      throw new BackupError(`${laterDir} does not continue the backup: its chains through position ${manifest.journal.lastPosition} are not the backup's`);
    }
    const behaviors = nodeBehaviors({ config: defaultLendingConfig, clock: new WallBusinessClock(systemClock), partitionCount: manifest.partitionCount });
    const { replayed, nextAt } = await replayJournal(later, target, behaviors, { afterPosition: manifest.journal.lastPosition, untilMs });
    await target.linksWritten();
    // The read models (and their archive) are rebuilt from the replayed journal: the backup's would list what it archived.
    for (const file of readdirSync(dataDir)) if (file === 'archive' || file.startsWith('read-models.db')) rmSync(join(dataDir, file), { recursive: true, force: true });
    rebuildReadModel(target, join(dataDir, 'read-models.db'), manifest.partitionCount);
    return { manifest, replayed, nextAt };
  } finally {
    await target.close();
    await later.close();
  }
}

/** The time of the last entry of a journal (0 when it has none with a time). */
function lastAtOf(path: string): number {
  const journal = new LmdbJournal({ path, readOnly: true });
  try {
    let last = 0;
    for (const entry of journal.readLog(Math.max(1, journal.lastLogPosition()))) last = entry.at ?? last;
    return last;
  } finally {
    void journal.close();
  }
}
