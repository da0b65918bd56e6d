#!/usr/bin/env node
// `npx fundcore …`: the operators' CLI. It is TypeScript compiled into dist/; in a fresh
// clone (npm ci, no build yet) this shim builds it once before the first run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../dist/cli/fundcore.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('fundcore: building the CLI first (npm run build)…\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
