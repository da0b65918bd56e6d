import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { repoRoot } from './helpers/repo.js';

const root = repoRoot;

function sourcesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(relative(root, join(entry.parentPath, entry.name)));
  }
  return files.sort();
}

/** Every module a file imports (static `from '…'` and dynamic `import('…')`). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((match) => match[1] as string);
}

t.test('core/ imports nothing outside core/ but decimal.js: no I/O, no clock, no actors', async (t) => {
  const outside: string[] = [];
  for (const file of sourcesUnder('core')) {
    for (const spec of importsOf(file)) {
      if (spec === 'decimal.js') continue;
      const inside = spec.startsWith('.') && relative(join(root, 'core'), join(root, file, '..', spec)).split('/')[0] !== '..';
      if (!inside) outside.push(`${file} → ${spec}`);
    }
  }
  t.same(outside, [], 'every import of core/ stays in core/');
});

/**
 * Services ask actors; they never read a journal or an index: a look-up by a key another
 * actor owns is an actor too (index groups `idx:<name>/<group>`, transfer id owners
 * `tid:<group>`), and an account's settings are asked of the account.
 */
t.test('no file of gateway/ and no service imports the journal', async (t) => {
  const services = ['actors', 'gateway'].flatMap(sourcesUnder).filter((file) => file.startsWith('gateway/') || /-service\.ts$/.test(file));
  const readers = services.filter((file) => importsOf(file).some((spec) => /persistence\/(journal|lmdb-journal|memory-journal)\.js$/.test(spec)));
  t.same(readers, []);
});
