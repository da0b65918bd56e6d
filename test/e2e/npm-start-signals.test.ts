import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { eventually } from '../helpers/callback-receiver.js';
import { serverEntry } from '../helpers/server-process.js';
import { repoRoot } from '../helpers/repo.js';

const root = repoRoot;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm start` as a user runs it (its prestart build skipped: `npm test` has built dist/), then a signal to the
 * npm process — what a terminal's Ctrl-C or a supervisor's stop sends. The node must get it, drain and exit 0.
 */
async function startThenSignal(signal: 'SIGTERM' | 'SIGINT', keys: Record<string, string> = { FUNDCORE_API_KEY: 'signal-api-key', FUNDCORE_OPS_KEY: 'signal-ops-key' }, printed = /"address":"http:[^"]+"/) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundcore-signal-'));
  const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', FUNDCORE_API_KEY: '', FUNDCORE_OPS_KEY: '', ...keys },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  await eventually(() => /"address":"http:[^"]+"/.test(output) && printed.test(output), 60_000);
  const url = (/"address":"(http:[^"]+)"/.exec(output) as RegExpExecArray)[1] as string;
  const nodePid = Number((/"pid":(\d+)/.exec(output) as RegExpExecArray)[1]);
  const health = await fetch(`${url}/health`);
  npm.kill(signal);
  const code = await exited;
  await eventually(() => !alive(nodePid), 20_000);
  rmSync(dataDir, { recursive: true, force: true });
  return { code, nodePid, output, healthStatus: health.status, url };
}

const skip = !existsSync(serverEntry) && 'dist/main.js is missing: npm test builds it first';

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`npm start stops on ${signal}: the node gets the signal, drains and exits 0`, { skip }, async (t) => {
    const run = await startThenSignal(signal);
    t.equal(run.healthStatus, 200, 'it served');
    t.not(run.nodePid, process.pid);
    t.match(run.output, new RegExp(`"signal":"${signal}","msg":"stopping"`), 'the node received the signal');
    t.match(run.output, new RegExp(`"signal":"${signal}","msg":"stopped"`), 'it drained to the end');
    t.equal(run.code, 0, 'npm start exits 0');
    t.notOk(alive(run.nodePid), 'no node process is left behind');
    const after = await fetch(`${run.url}/health`).then(
      () => 'served',
      () => 'refused',
    );
    t.equal(after, 'refused', 'nothing serves on its port any more');
  });
}

t.test('without keys, npm start prints development keys and the export line to paste', { skip }, async (t) => {
  const exportLine = /\n {2}export FUNDCORE_API_KEY=(dev-api-[0-9a-f]+) FUNDCORE_OPS_KEY=(dev-ops-[0-9a-f]+)\n/;
  const run = await startThenSignal('SIGTERM', {}, exportLine);
  const [, apiKey, opsKey] = exportLine.exec(run.output) as RegExpExecArray;
  t.match(run.output, `FUNDCORE_API_KEY=${apiKey}\n  FUNDCORE_OPS_KEY=${opsKey}`, 'the keys, then the line that exports the same keys');
  t.equal(run.code, 0);
});
