import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { tempDir } from '../helpers/ledger.js';
import { serverEntry, startServer } from '../helpers/server-process.js';
import { repoRoot } from '../helpers/repo.js';

const root = repoRoot;
const keys = { FUNDCORE_API_KEY: 'demo-test-api-key', FUNDCORE_OPS_KEY: 'demo-test-ops-key' };
const skip = !existsSync(serverEntry) && 'dist/main.js is missing: npm test builds it first';

/** `npm run demo` (its prebuild skipped: npm test has built dist/) against a URL; its exit code and output. */
function runDemo(url: string, env: Record<string, string> = keys): Promise<{ code: number | null; output: string }> {
  const demo = spawn('npm', ['run', 'demo', '--ignore-scripts', '--silent'], { cwd: root, env: { ...process.env, FUNDCORE_URL: url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => demo.once('exit', (code) => resolve({ code, output })));
}

t.test('npm run demo drives a node started as npm start does (simulated clock) through the whole lending story', { skip }, async (t) => {
  const server = await startServer({ ...keys, DATA_DIR: tempDir(t, 'fundcore-demo-'), FUNDCORE_CLOCK: 'sim', FUNDCORE_CLOCK_START: '2030-01-02' }, 60_000);
  t.teardown(() => server.stop());
  const { code, output } = await runDemo(server.url);
  t.comment(output);
  t.equal(code, 0, 'the demo exits 0');
  for (const step of ['wallets', 'depository accounts', 'deposits', 'investments', 'a loan', 'approval', 'repays period 1', 'compensates', 'redemption', 'end of day', 'reconciliation']) {
    t.match(output, step, `it prints the step: ${step}`);
  }
  t.notMatch(output, 'skipped (wall clock)', 'nothing skipped on a simulated clock');
  t.match(output, /the guarantee paid \d+\.\d\d/, "the compensation succeeds at the bank (npm start deposits the guarantee's reserve there)");
  t.match(output, /closed, balanced: true/, 'the day closes balanced');
  t.match(output, /"missing_internally":0,"missing_at_bank":0,"amount_mismatch":0,"status_mismatch":0/, "the bank's statement reconciles clean");
  t.match(output, /the books at the end:\n(.*\n)*.*sys\.transit +available +0\.00/, 'the final books, nothing left in transit');
});

t.test('on a wall-clock node (npm start as is) the demo runs what needs no time travel, says what it skipped and why, and exits 0', { skip }, async (t) => {
  const server = await startServer({ ...keys, DATA_DIR: tempDir(t, 'fundcore-demo-wall-') }, 60_000);
  t.teardown(() => server.stop());
  const { code, output } = await runDemo(server.url);
  t.equal(code, 0, output);
  t.equal(output.split('skipped (wall clock)').length - 1, 3, 'the repayment, the compensation and the redemption are skipped');
  t.match(output, 'start it with FUNDCORE_CLOCK=sim for the whole story');
  t.match(output, /"missing_internally":0,"missing_at_bank":0,"amount_mismatch":0,"status_mismatch":0/);
});

t.test('npm run demo without the keys or without a node says what is missing', { skip }, async (t) => {
  const noKeys = await runDemo('http://127.0.0.1:9', {});
  t.equal(noKeys.code, 2);
  t.match(noKeys.output, 'export FUNDCORE_API_KEY');
  const noNode = await runDemo('http://127.0.0.1:9');
  t.equal(noNode.code, 1);
  t.match(noNode.output, 'no fundcore node answers at http://127.0.0.1:9');
});
