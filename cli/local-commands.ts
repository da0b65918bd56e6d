import { resolve } from 'node:path';
import type { Output } from './commands.js';

// The commands' code (LMDB, SQLite, every actor type for a replay) is loaded only when one
// runs: the gateway commands start in half the time without it.
const backups = () => import('./backup.js');

/** The options the commands on a node's files take. */
export interface LocalValues {
  readonly 'data-dir'?: string;
  readonly out?: string;
  readonly into?: string;
  readonly 'keep-hourly-days'?: string;
  readonly 'keep-daily-days'?: string;
  readonly until?: string;
  readonly replay?: string;
}

export const localCommands = ['verify', 'backup', 'restore'] as const;
export const localOptions = {
  'data-dir': { type: 'string' },
  out: { type: 'string' },
  into: { type: 'string' },
  'keep-hourly-days': { type: 'string' },
  'keep-daily-days': { type: 'string' },
  until: { type: 'string' },
  replay: { type: 'string' },
} as const;

export const localUsage = `  fundcore verify [--data-dir D]              recompute the journal's hash chains on a node's files
                                              (D: DATA_DIR, else ./data); exit 1 names the first broken entry
  fundcore backup --out B [--data-dir D]      a consistent copy while the node serves, with its manifest
  fundcore backup --into DIR [--keep-hourly-days 2] [--keep-daily-days 30]
                                              one named by its time, then prune DIR (for a schedule)
  fundcore backup verify B                    restore B into a scratch directory and compare with its manifest
  fundcore restore B [--data-dir D]           restore B into D (which holds no journal); then start the node
  fundcore restore B --until T --replay L [--data-dir D]
                                              …then replay L (a later backup or data dir) up to instant T`;

export class LocalUsageError extends Error {}

function days(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,4}$/.test(text)) throw new LocalUsageError(`${flag} takes a whole number of days, got ${text}`);
  return Number(text);
}

/** The command on a node's files (no gateway, no key), or null when `command` is not one. */
export function localPlanOf(command: string, rest: readonly string[], values: LocalValues, env: NodeJS.ProcessEnv): (() => Promise<Output & { exitCode: number }>) | null {
  const dataDir = resolve(values['data-dir'] ?? env.DATA_DIR ?? './data');
  switch (command) {
    case 'verify':
      if (rest.length !== 0) throw new LocalUsageError(`verify takes no arguments, got ${rest.join(' ')}`);
      return async () => (await import('./verify.js')).verifyCommand(values['data-dir'], env);
    case 'backup': {
      if (rest[0] === 'verify') {
        if (rest.length !== 2) throw new LocalUsageError('backup verify takes one backup directory');
        return async () => (await backups()).verifyBackupCommand(rest[1] as string);
      }
      if (rest.length !== 0) throw new LocalUsageError(`backup takes --out B or --into DIR, got ${rest.join(' ')}`);
      if ((values.out === undefined) === (values.into === undefined)) throw new LocalUsageError('backup takes one of --out B (one backup) or --into DIR (scheduled, pruned)');
      if (values.out !== undefined) return async () => (await backups()).backupCommand(dataDir, values.out as string);
      const retention = { hourlyDays: days(values['keep-hourly-days'], 2, '--keep-hourly-days'), dailyDays: days(values['keep-daily-days'], 30, '--keep-daily-days') };
      return async () => (await backups()).scheduledBackupCommand(dataDir, values.into as string, retention);
    }
    case 'restore': {
      if (rest.length !== 1) throw new LocalUsageError('restore takes one backup directory');
      if ((values.until === undefined) !== (values.replay === undefined)) throw new LocalUsageError('--until T and --replay L go together: replay L up to instant T');
      if (values.until === undefined) return async () => (await backups()).restoreCommand(rest[0] as string, dataDir);
      const untilMs = Date.parse(values.until);
      if (Number.isNaN(untilMs) || !/^\d{4}-\d\d-\d\dT/.test(values.until)) throw new LocalUsageError(`--until takes an ISO 8601 instant (2026-12-05T10:30:00Z), got ${values.until}`);
      return async () => (await backups()).restoreUntilCommand(rest[0] as string, dataDir, values.replay as string, untilMs);
    }
    default:
      return null;
  }
}
