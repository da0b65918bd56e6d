import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoPath } from './repo.js';

/** The installed entry (package.json `bin`), spawned as `npx fundcore` runs it. */
const bin = repoPath('bin/fundcore.js');

/** Runs `fundcore <args>` in a process of its own: its exit code and output. */
export function fundcore(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}
