import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bankSimConfigFromEnv } from '../bench/bank-sim/config.js';
import { BankSimulator } from '../bench/bank-sim/simulator.js';
import { nodeRuntimeFlags } from '../actors/runtime/node-flags.js';

/**
 * `npm run cluster:local`: a local cluster for demos and the bench — three nodes (partitions
 * 0-84, 85-169 and 170-255, data in $DATA_DIR/node-a, -b, -c), one gateway on $PORT serving
 * every route of npm start, and the bank simulator in this process (books in
 * $DATA_DIR/bank-sim) — against NATS_URL (default nats://127.0.0.1:4222). Ctrl-C stops all.
 */
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const dataDir = process.env.DATA_DIR ?? './data/cluster';
const port = process.env.PORT ?? '8080';
const apiKey = process.env.FUNDCORE_API_KEY ?? `dev-api-${randomBytes(12).toString('hex')}`;
const opsKey = process.env.FUNDCORE_OPS_KEY ?? `dev-ops-${randomBytes(12).toString('hex')}`;
const bankSecret = process.env.FUNDCORE_BANK_SECRET ?? `dev-bank-${randomBytes(16).toString('hex')}`;
const entry = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

const children: ChildProcess[] = [];
function start(label: string, script: string, env: Record<string, string>, args: string[] = []): void {
  const child = spawn(process.execPath, [...nodeRuntimeFlags, entry(script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[${label}] `);
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.once('exit', (code, signal) => process.stdout.write(`[${label}] exited (${signal ?? code})\n`));
  children.push(child);
}

const bank = await BankSimulator.start({ ...bankSimConfigFromEnv(process.env, bankSecret), host: '127.0.0.1', port: 0, secret: bankSecret, booksPath: join(dataDir, 'bank-sim', 'books.db') });
// Every process gets the same lending settings and clock from this environment.
const common = {
  NATS_URL: natsUrl,
  PARTITION_COUNT: process.env.PARTITION_COUNT ?? '256',
  FUNDCORE_BANK_SECRET: bankSecret,
};
const nodes: [string, string, string][] = [
  ['node-a', '0-84', process.env.NODE_A_PORT ?? '8091'],
  ['node-b', '85-169', process.env.NODE_B_PORT ?? '8092'],
  ['node-c', '170-255', process.env.NODE_C_PORT ?? '8093'],
];
for (const [name, partitions, nodePort] of nodes) {
  const bankEnv = { FUNDCORE_BANK_URL: bank.url, FUNDCORE_BANK_NOTIFY_URL: `http://127.0.0.1:${port}/v1/bank/callbacks` };
  start(name, 'node-main', { ...common, ...bankEnv, DATA_DIR: `${dataDir}/${name}`, NODE_ID: name, PORT: nodePort }, ['--partitions', partitions]);
}
start('gateway', 'gateway-main', { ...common, FUNDCORE_API_KEY: apiKey, FUNDCORE_OPS_KEY: opsKey, PORT: port });
process.stdout.write(`\nlocal cluster on ${natsUrl}: gateway http://127.0.0.1:${port}, bank simulator ${bank.url}\n  FUNDCORE_API_KEY=${apiKey}\n  FUNDCORE_OPS_KEY=${opsKey}\n\n`);

let stopping = false;
const stopAll = (): void => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  void Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))))).then(async () => {
    await bank.close();
    process.exit(0);
  });
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
