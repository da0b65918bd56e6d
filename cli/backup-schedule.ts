import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger, TimerHandle, Timers } from '../actors/runtime/clock.js';
import type { BackupRetention } from '../persistence/backup/retention.js';

/** Scheduled backups (BACKUP_DIR and the like): where, how often, how long they are kept. */
export interface BackupScheduleConfig extends BackupRetention {
  readonly dir: string;
  readonly everyMinutes: number;
}

/** One backup may run this long before it is stopped (it is taken again at the next turn). */
export const scheduledBackupTimeoutMs = 3_600_000;

/** The CLI's entry, from cli/ (sources) or dist/cli/ (built). */
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = [join(here, '..', 'bin', 'fundcore.js'), join(here, '..', '..', 'bin', 'fundcore.js')].find((path) => existsSync(path)) ?? 'bin/fundcore.js';

/**
 * Takes the node's backups on schedule, each in a process of its own (`fundcore backup
 * --into`), so copying the journal and rebuilding the read models from the copy never holds
 * up the node's event loop. One at a time: a turn that finds the last still running is
 * skipped. Failures are logged; the next turn tries again.
 */
export class BackupSchedule {
  private timer: TimerHandle | null = null;
  private running: ChildProcess | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly config: BackupScheduleConfig,
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = this.timers.every(this.config.everyMinutes * 60_000, () => this.takeNow());
  }

  /** A backup now, unless one is running; resolves when it ends. */
  takeNow(): Promise<void> {
    if (this.running !== null) {
      this.logger.warn({ dir: this.config.dir }, 'scheduled backup skipped: the last one is still running');
      return this.done;
    }
    const args = [bin, 'backup', '--data-dir', this.dataDir, '--into', this.config.dir, '--keep-hourly-days', String(this.config.hourlyDays), '--keep-daily-days', String(this.config.dailyDays)];
    this.done = new Promise((resolve) => {
      this.running = execFile(process.execPath, args, { timeout: scheduledBackupTimeoutMs }, (error, stdout, stderr) => {
        this.running = null;
        if (error === null) this.logger.info({ dir: this.config.dir, report: stdout.trim() }, 'scheduled backup taken');
        else this.logger.error({ dir: this.config.dir, err: error, stderr: stderr.trim(), stdout: stdout.trim() }, 'scheduled backup failed');
        resolve();
      });
    });
    return this.done;
  }

  /** No more turns; a backup under way is stopped (its unfinished directory is removed by the next one). */
  stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.running?.kill('SIGTERM');
    return this.done;
  }
}
