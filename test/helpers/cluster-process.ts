import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { repoPath } from './repo.js';

const entry = (name: string) => repoPath(`dist/cluster/${name}.js`);

export const testApiKey = 'cluster-test-api-key';
export const testOpsKey = 'cluster-test-ops-key';

export interface ClusterProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGKILL: nothing runs on the way out. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
}

/** Starts a built cluster entry (dist/cluster/<name>.js) and waits for the address it logs. */
export function startClusterProcess(t: Test, name: 'node-main' | 'gateway-main', env: Record<string, string>, args: string[] = [], timeoutMs = 20_000): Promise<ClusterProcess> {
  const child = spawn(process.execPath, [entry(name), ...args], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', FUNDCORE_API_KEY: testApiKey, FUNDCORE_OPS_KEY: testOpsKey, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  keepLog(child, name);
  const proc = (url: string): ClusterProcess => ({
    url,
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      const started = proc(match[1] as string);
      t.teardown(() => started.stop());
      resolve(started);
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}

/**
 * With CLUSTER_TEST_LOG_DIR set, each process's output also goes to a file there: a test that
 * fails once in many runs leaves what every process said.
 */
function keepLog(child: ChildProcess, name: string): void {
  const dir = process.env.CLUSTER_TEST_LOG_DIR;
  if (dir === undefined || dir === '') return;
  const file = createWriteStream(`${dir}/${name}-${child.pid}.log`);
  // Two sources into one file: neither may end it (the other would write after the end).
  child.stdout?.pipe(file, { end: false });
  child.stderr?.pipe(file, { end: false });
  child.once('close', () => file.end());
}

/** The environment of a node of the test cluster `name`, with short leases. */
export function nodeEnv(natsUrl: string, cluster: string, dataDir: string, nodeId: string, partitionCount: number): Record<string, string> {
  return {
    NATS_URL: natsUrl,
    FUNDCORE_CLUSTER: cluster,
    DATA_DIR: dataDir,
    NODE_ID: nodeId,
    PARTITION_COUNT: String(partitionCount),
    LEASE_TTL_MS: '2000',
    LEASE_RENEW_MS: '300',
    LEASE_MARGIN_MS: '200',
  };
}

export async function getJson(url: string, key = testApiKey): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: await response.json() };
}

export async function postJson(url: string, body: unknown, key = testApiKey): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** Polls `condition` until it holds (or throws after `timeoutMs`, saying what it waited for). */
export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
