import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { LmdbJournal } from '../lmdb-journal.js';
import { archiveLike } from '../archive/archive-like.js';
import { allProjectors } from './projectors.js';
import { ReadModel } from './read-model.js';
import { compareReadModels, rebuildReadModel, tableSizes } from './rebuild.js';

const usage = `npm run projections:rebuild -- [--data-dir DIR] [--check | --out FILE]

Rebuilds the read models (SQLite) from the journal's node log. Run it with the node stopped.
  (default)   rebuild, then replace DIR/read-models.db with the rebuilt database
  --out FILE  rebuild into FILE and leave DIR/read-models.db alone
  --check     rebuild into a temporary file and compare it with DIR/read-models.db, table by
              table; exit 1 when they differ
DIR is --data-dir, else $DATA_DIR, else ./data (what npm start uses).`;

function sqliteFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help === true) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (values.check === true && values.out !== undefined) {
    process.stderr.write(`--check and --out exclude each other\n\n${usage}\n`);
    return 2;
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data');
  const journalPath = join(dataDir, 'journal');
  if (!existsSync(journalPath)) {
    process.stderr.write(`no journal at ${journalPath}\n`);
    return 2;
  }
  const livePath = join(dataDir, 'read-models.db');
  const scratch = values.out === undefined ? mkdtempSync(join(tmpdir(), 'fundcore-rebuild-')) : null;
  const outPath = values.out !== undefined ? resolve(values.out) : join(scratch as string, 'read-models.db');
  if (values.out !== undefined) for (const file of sqliteFiles(outPath)) rmSync(file, { force: true });
  const journal = new LmdbJournal({ path: journalPath, readOnly: true });
  const started = performance.now();
  try {
    const rebuilt = rebuildReadModel(journal, outPath);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`rebuilt from ${rebuilt.entries} log entries (position ${rebuilt.position}) in ${seconds.toFixed(1)} s\n`);
    if (values.check === true) return await check(livePath, outPath);
    if (values.out === undefined) {
      for (const file of sqliteFiles(livePath)) rmSync(file, { force: true });
      renameSync(outPath, livePath);
      process.stdout.write(`replaced ${livePath}\n`);
    } else {
      process.stdout.write(`wrote ${outPath}\n`);
    }
    return 0;
  } finally {
    void journal.close();
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
}

async function check(livePath: string, rebuiltPath: string): Promise<number> {
  if (!existsSync(livePath)) {
    process.stderr.write(`no read models at ${livePath} to compare with\n`);
    return 2;
  }
  const live = new Database(livePath, { readonly: true });
  // As far as the live ones were archived (into the rebuilt copy's own archive directory).
  const model = new ReadModel(rebuiltPath, allProjectors);
  try {
    await archiveLike(live, model);
  } finally {
    model.close();
  }
  const rebuilt = new Database(rebuiltPath, { readonly: true });
  live.defaultSafeIntegers(true);
  rebuilt.defaultSafeIntegers(true);
  try {
    const differences = compareReadModels(live, rebuilt);
    const sizes = Object.entries(tableSizes(rebuilt)).map(([name, rows]) => `${name} ${rows}`);
    if (differences.length === 0) {
      process.stdout.write(`equal: the live read models are what the journal rebuilds (${sizes.join(', ')})\n`);
      return 0;
    }
    process.stdout.write(`DIFFERENT (live first, rebuilt second):\n${differences.map((d) => `  ${d}`).join('\n')}\n`);
    return 1;
  } finally {
    live.close();
    rebuilt.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
