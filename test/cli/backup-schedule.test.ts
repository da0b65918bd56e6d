import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { BackupSchedule } from '../../cli/backup-schedule.js';
import { configFromEnv } from '../../gateway/config.js';
import { FakeTime } from '../helpers/fake-time.js';
import { openAccount, quiescent, tempDir } from '../helpers/ledger.js';

const keys = { FUNDCORE_API_KEY: 'a', FUNDCORE_OPS_KEY: 'o' };

t.test('the schedule in configuration: BACKUP_DIR and its defaults; bad values refuse to start', async (t) => {
  t.equal(configFromEnv(keys).backups, null, 'no BACKUP_DIR: no scheduled backups');
  t.same(configFromEnv({ ...keys, BACKUP_DIR: '/b' }).backups, { dir: '/b', everyMinutes: 60, hourlyDays: 2, dailyDays: 30 });
  t.same(configFromEnv({ ...keys, BACKUP_DIR: '/b', BACKUP_EVERY_MINUTES: '15', BACKUP_KEEP_HOURLY_DAYS: '1', BACKUP_KEEP_DAILY_DAYS: '90' }).backups, { dir: '/b', everyMinutes: 15, hourlyDays: 1, dailyDays: 90 });
  t.throws(() => configFromEnv({ ...keys, BACKUP_EVERY_MINUTES: '15' }), /need BACKUP_DIR/);
  t.throws(() => configFromEnv({ ...keys, BACKUP_DIR: '/b', BACKUP_EVERY_MINUTES: '0' }), /BACKUP_EVERY_MINUTES must be an integer in 1\.\./);
  t.throws(() => configFromEnv({ ...keys, BACKUP_DIR: '/b', BACKUP_KEEP_DAILY_DAYS: 'lots' }), /BACKUP_KEEP_DAILY_DAYS/);
});

t.test('given a node with a schedule, when its turn comes, then a backup is taken in a process of its own while the node serves', async (t) => {
  const dir = tempDir(t, 'fundcore-schedule-');
  const dataDir = join(dir, 'data');
  const node = FundcoreNode.start({ dataDir });
  t.teardown(() => node.stop());
  await openAccount(node, 'w1');
  await quiescent(node);
  const time = new FakeTime(Date.now());
  const logged: string[] = [];
  const logger = { info: (_: object, m: string) => logged.push(m), warn: (_: object, m: string) => logged.push(m), error: (f: object, m: string) => logged.push(`${m} ${JSON.stringify(f)}`) };
  const schedule = new BackupSchedule(dataDir, { dir: join(dir, 'backups'), everyMinutes: 60, hourlyDays: 2, dailyDays: 30 }, time, logger);
  schedule.start();
  time.advance(59 * 60_000);
  t.notOk(existsSync(join(dir, 'backups')), 'not before its time');
  time.advance(60_000);
  const skipped = schedule.takeNow();
  await skipped;
  await schedule.stop();
  t.same(logged.filter((m) => m.startsWith('scheduled backup taken')), ['scheduled backup taken'], logged.join('\n'));
  t.ok(logged.includes('scheduled backup skipped: the last one is still running'), 'a turn while one runs is skipped');
  const taken = readdirSync(join(dir, 'backups'));
  t.equal(taken.length, 1);
  t.match(taken[0], /^\d{8}T\d{6}Z$/);
  t.ok(existsSync(join(dir, 'backups', taken[0] as string, 'manifest.json')));
});
