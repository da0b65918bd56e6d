import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssAnonMiB } from '../lib/stats.js';
import { benchApiKey, FundcoreServer, serverProfilingFlags, unlimitedKey } from './fundcore-http.js';
import { nodeRuntimeFlags } from '../../actors/runtime/node-flags.js';
import type { ClusterNodeHealth } from '../../cluster/cluster-node.js';

const entry = (name: string) => fileURLToPath(new URL(`../../cluster/${name}.js`, import.meta.url));
export const benchOpsKey = 'bench-ops-key';

/** The nodes of the bench's cluster, as `npm run cluster:local` splits the partitions: in thirds. */
export const clusterNodes: readonly (readonly [name: string, partitions: string])[] = [
  ['node-a', '0-84'],
  ['node-b', '85-169'],
  ['node-c', '170-255'],
];

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

/** Resolves with the address the process logs; `ready`, when given, must be logged too. Its output is then drained. */
function waitForAddress(child: ChildProcess, what: string, ready?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let address: string | null = null;
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-64_000);
      address ??= /"address":"(http:\/\/[^"]+)"/.exec(output)?.[1] ?? null;
      if (address !== null && (ready === undefined || output.includes(ready))) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(address);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}: ${output}`)));
  });
}

export interface ClusterOptions {
  /** For every process (gateway and nodes): the clock, lending settings, the bank's secret. */
  readonly env?: Readonly<Record<string, string>>;
  /** For the nodes only, given the gateway's address (the bank's callbacks go there). */
  readonly nodeEnv?: (gatewayUrl: string) => Readonly<Record<string, string>>;
  /** Wait until every node has logged lending ready. */
  readonly waitForLending?: boolean;
}

/** What the bench reads of a node's `/health` (ClusterNodeHealth). */
type NodeHealthReading = Pick<ClusterNodeHealth, 'relay' | 'mailboxes' | 'stream'>;

/**
 * fundcore in cluster mode, as `npm run cluster:local` runs it: a gateway process and three
 * node processes (partitions 0-84, 85-169, 170-255), talking over NATS — NATS_URL when set,
 * otherwise a nats-server of its own (JetStream, temporary store). The same HTTP API as
 * FundcoreServer, so the same workload runs against it.
 */
export class FundcoreCluster extends FundcoreServer {
  private readonly root = mkdtempSync(join(tmpdir(), 'fundcore-cluster-'));
  private nats: ChildProcess | null = null;
  /** Gateway and nodes (not nats-server). */
  private readonly processes: ChildProcess[] = [];
  nodeUrls: string[] = [];
  natsUrl = '';
  readonly clusterName = `bench${process.pid}`;

  constructor(private readonly options: ClusterOptions = {}) {
    super();
  }

  override async start(): Promise<void> {
    let natsUrl = process.env.NATS_URL ?? '';
    if (natsUrl === '') {
      const port = await freePort();
      this.nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(this.root, 'nats')], { stdio: 'ignore' });
      natsUrl = `nats://127.0.0.1:${port}`;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    this.natsUrl = natsUrl;
    const common = { ...process.env, HOST: '127.0.0.1', PORT: '0', NATS_URL: natsUrl, FUNDCORE_CLUSTER: this.clusterName, PARTITION_COUNT: '256', LOG_LEVEL: 'info', ...this.options.env };
    // The gateway first: the nodes' bank callbacks are addressed to it.
    const gateway = spawn(process.execPath, [...nodeRuntimeFlags, ...serverProfilingFlags(), entry('gateway-main')], {
      env: { ...common, FUNDCORE_API_KEY: benchApiKey, FUNDCORE_OPS_KEY: benchOpsKey, ...unlimitedKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.processes.push(gateway);
    this.url = await waitForAddress(gateway, 'gateway');
    const extra = this.options.nodeEnv?.(this.url) ?? {};
    const ready = this.options.waitForLending === true ? '"msg":"lending ready"' : undefined;
    this.nodeUrls = await Promise.all(
      clusterNodes.map(([name, partitions]) => {
        const child = spawn(process.execPath, [...nodeRuntimeFlags, ...serverProfilingFlags(), entry('node-main'), '--partitions', partitions], {
          env: { ...common, ...extra, DATA_DIR: join(this.root, name), NODE_ID: name },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        this.processes.push(child);
        return waitForAddress(child, name, ready);
      }),
    );
  }

  /** Until every node's relay is empty (every credit landed) and its journal is in the log stream. */
  override async settle(): Promise<void> {
    for (;;) {
      const healths = await this.nodeHealths();
      if (healths.every((health) => health.relay.backlog === 0 && health.stream.unpublished === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The nodes' journal entries not yet published to the log stream (their publishers' lag, summed). */
  async publisherLag(): Promise<number> {
    return (await this.nodeHealths()).reduce((sum, health) => sum + health.stream.unpublished, 0);
  }

  /** Nothing moves on any node at this moment: relays empty, no message waiting in a mailbox and, with `stream`, every journal entry published. */
  async idle(stream = true): Promise<boolean> {
    return (await this.nodeHealths()).every((health) => health.relay.backlog === 0 && health.mailboxes.queued === 0 && (!stream || health.stream.unpublished === 0));
  }

  /**
   * Every node's `/health`: what the waits above read, polled up to 50 times a second. Not
   * `/metrics`, whose collection (every gauge, formatted) cost a node ~4.6 % of its time while
   * a day settled.
   */
  private nodeHealths(): Promise<NodeHealthReading[]> {
    return Promise.all(this.nodeUrls.map(async (url) => (await (await fetch(`${url}/health`)).json()) as NodeHealthReading));
  }

  /** Gateway + nodes (nats-server not counted). */
  override rssMiB(): number {
    return this.processes.reduce((sum, child) => sum + (child.pid === undefined ? 0 : rssAnonMiB(child.pid)), 0);
  }

  override async stop(): Promise<void> {
    // The gateway first, then the nodes, then nats-server.
    for (const child of [...this.processes, ...(this.nats === null ? [] : [this.nats])]) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.root, { recursive: true, force: true });
    await super.stop();
  }
}
