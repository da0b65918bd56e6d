import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssAnonMiB } from '../lib/stats.js';
import { benchApiKey, FundcoreServer, unlimitedKey } from './fundcore-http.js';

const entry = (name: string) => fileURLToPath(new URL(`../../cluster/${name}.js`, import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function waitForAddress(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match !== null) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}: ${output}`)));
  });
}

/**
 * fundcore in cluster mode, as `npm run cluster:local` runs it: a gateway process and two
 * node processes (partitions 0-127 and 128-255), talking over NATS — NATS_URL when set,
 * otherwise a nats-server of its own (JetStream, temporary store). The same HTTP API as
 * FundcoreServer, so the same workload runs against it.
 */
export class FundcoreCluster extends FundcoreServer {
  private readonly root = mkdtempSync(join(tmpdir(), 'fundcore-cluster-'));
  private readonly processes: ChildProcess[] = [];
  private nodeUrls: string[] = [];

  override async start(): Promise<void> {
    let natsUrl = process.env.NATS_URL ?? '';
    if (natsUrl === '') {
      const port = await freePort();
      const nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(this.root, 'nats')], { stdio: 'ignore' });
      this.processes.push(nats);
      natsUrl = `nats://127.0.0.1:${port}`;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const common = { ...process.env, HOST: '127.0.0.1', PORT: '0', NATS_URL: natsUrl, FUNDCORE_CLUSTER: `bench${process.pid}`, PARTITION_COUNT: '256', LOG_LEVEL: 'warn' };
    const node = (name: string, partitions: string) => {
      const child = spawn(process.execPath, [entry('node-main'), '--partitions', partitions], {
        env: { ...common, LOG_LEVEL: 'info', DATA_DIR: join(this.root, name), NODE_ID: name },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      this.processes.push(child);
      return waitForAddress(child, name);
    };
    this.nodeUrls = await Promise.all([node('node-a', '0-127'), node('node-b', '128-255')]);
    const gateway = spawn(process.execPath, [entry('gateway-main')], {
      env: { ...common, LOG_LEVEL: 'info', FUNDCORE_API_KEY: benchApiKey, FUNDCORE_OPS_KEY: 'bench-ops-key', ...unlimitedKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.processes.push(gateway);
    this.url = await waitForAddress(gateway, 'gateway');
  }

  /** Until both nodes' relays are empty: every credit landed. */
  override async settle(): Promise<void> {
    for (;;) {
      const backlogs = await Promise.all(this.nodeUrls.map(async (url) => ((await (await fetch(`${url}/health`)).json()) as { relay: { backlog: number } }).relay.backlog));
      if (backlogs.every((b) => b === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Gateway + both nodes (nats-server not counted). */
  override rssMiB(): number {
    return this.processes.slice(-3).reduce((sum, child) => sum + (child.pid === undefined ? 0 : rssAnonMiB(child.pid)), 0);
  }

  override async stop(): Promise<void> {
    for (const child of [...this.processes].reverse()) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.root, { recursive: true, force: true });
    await super.stop();
  }
}
