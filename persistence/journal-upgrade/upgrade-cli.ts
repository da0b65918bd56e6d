import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { systemAccountSpecs } from '../../actors/node.js';
import { LmdbJournal } from '../lmdb-journal.js';
import { JournalUpgradeError } from './skeleton-era.js';
import { skeletonPlanActorsOf, upgradeJournal } from './upgrade-journal.js';

const usage = `npm run journal:upgrade -- [--data-dir DIR] [--check]

Rewrites a journal written by a fundcore whose repayment plans had no amounts (the node
refuses to start on one) so that this version replays it: each plan's amounts recomputed
from its loan's terms, claims and capitals completed, system accounts opened as this version
opens them, snapshots left out. Run it with the node stopped.
  (default)  rebuild DIR/journal into DIR/journal-upgrading; then DIR/journal becomes
             DIR/journal-before-upgrade (kept), the rebuilt one DIR/journal, and
             DIR/read-models.db becomes DIR/read-models.db.before-upgrade (the node projects
             the read models again from the journal when it starts)
  --check    say whether DIR/journal needs it (exit 1 when it does); change nothing
DIR is --data-dir, else $DATA_DIR, else ./data (what npm start uses).`;

const sqliteFiles = (path: string) => [path, `${path}-wal`, `${path}-shm`];

/** The command's work; its exit code (0 done or nothing to do, 1 --check found work, 2 cannot). */
export async function runJournalUpgrade(argv: readonly string[], out: (line: string) => void = (line) => process.stdout.write(`${line}\n`), err: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' }, check: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help === true) {
    out(usage);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data');
  const journalPath = join(dataDir, 'journal');
  // No dot in these names: lmdb-js takes a path with an extension for a file, not a directory.
  const keptPath = `${journalPath}-before-upgrade`;
  if (!existsSync(journalPath)) {
    err(`no journal at ${journalPath}`);
    return 2;
  }
  const old = new LmdbJournal({ path: journalPath, readOnly: true });
  let stale: string[];
  try {
    stale = skeletonPlanActorsOf(old);
    if (stale.length === 0) {
      out(`nothing to upgrade: ${journalPath} holds no plan without amounts`);
      return 0;
    }
    out(`${stale.length} plan(s) without amounts: ${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}`);
    if (values.check === true) return 1;
    if (existsSync(keptPath)) {
      err(`${keptPath} exists (an earlier upgrade's): move it away first`);
      return 2;
    }
    const rebuiltPath = `${journalPath}-upgrading`;
    rmSync(rebuiltPath, { recursive: true, force: true });
    const rebuilt = new LmdbJournal({ path: rebuiltPath });
    try {
      const report = await upgradeJournal(old, rebuilt, new Map(systemAccountSpecs.map((spec) => [spec.id, spec.overdraft])));
      out(
        `rebuilt ${report.logEntries} log entries (${report.events} events, ${report.indexEntries} index entries; ${report.snapshotsLeftOut} snapshots left out): ` +
          `${report.plans.length} plans recomputed, ${report.claims} claims and ${report.capitals} capitals completed, system accounts reopened: ${report.accounts.join(', ') || 'none'}`,
      );
    } finally {
      await rebuilt.close();
    }
  } catch (error) {
    if (!(error instanceof JournalUpgradeError)) throw error;
    err(`cannot upgrade: ${error.message} (nothing was changed; ${journalPath}-upgrading is a partial copy)`);
    return 2;
  } finally {
    await old.close();
  }
  renameSync(journalPath, keptPath);
  renameSync(`${journalPath}-upgrading`, journalPath);
  out(`${journalPath} upgraded; the journal as it was is ${keptPath}`);
  const readModels = join(dataDir, 'read-models.db');
  if (existsSync(readModels)) {
    for (const file of sqliteFiles(readModels)) if (existsSync(file)) renameSync(file, file.replace('read-models.db', 'read-models.db.before-upgrade'));
    out(`${readModels} moved aside: the node projects the read models again when it starts`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runJournalUpgrade(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`journal upgrade failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
