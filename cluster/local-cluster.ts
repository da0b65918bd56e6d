import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/**
 * `npm run cluster:local`: a local 3-process cluster for demos and the bench — two nodes
 * (partitions 0-127 and 128-255, data in $DATA_DIR/node-a and node-b) and one gateway on
 * $PORT — against NATS_URL (default nats://127.0.0.1:4222). Ctrl-C stops all three.
 */
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const dataDir = process.env.DATA_DIR ?? './data/cluster';
const apiKey = process.env.FUNDCORE_API_KEY ?? `dev-api-${randomBytes(12).toString('hex')}`;
const opsKey = process.env.FUNDCORE_OPS_KEY ?? `dev-ops-${randomBytes(12).toString('hex')}`;
const entry = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));
const common = { ...process.env, NATS_URL: natsUrl, PARTITION_COUNT: process.env.PARTITION_COUNT ?? '256' };

const children: ChildProcess[] = [];
function start(label: string, script: string, env: Record<string, string>, args: string[] = []): void {
  const child = spawn(process.execPath, [entry(script), ...args], { env: { ...common, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[${label}] `);
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.once('exit', (code, signal) => process.stdout.write(`[${label}] exited (${signal ?? code})\n`));
  children.push(child);
}

start('node-a', 'node-main', { DATA_DIR: `${dataDir}/node-a`, NODE_ID: 'node-a', PORT: process.env.NODE_A_PORT ?? '8091' }, ['--partitions', '0-127']);
start('node-b', 'node-main', { DATA_DIR: `${dataDir}/node-b`, NODE_ID: 'node-b', PORT: process.env.NODE_B_PORT ?? '8092' }, ['--partitions', '128-255']);
start('gateway', 'gateway-main', { FUNDCORE_API_KEY: apiKey, FUNDCORE_OPS_KEY: opsKey, PORT: process.env.PORT ?? '8080' });
process.stdout.write(`\nlocal cluster on ${natsUrl}: gateway http://127.0.0.1:${process.env.PORT ?? '8080'}\n  FUNDCORE_API_KEY=${apiKey}\n  FUNDCORE_OPS_KEY=${opsKey}\n\n`);

const stopAll = (): void => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
