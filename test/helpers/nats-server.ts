import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsConnectionOptions } from '../../cluster/nats-connection.js';
import type { Test } from 'tap';

/**
 * A real nats-server for a test file: `NATS_URL` when set, otherwise `nats-server -js`
 * from the PATH on a free port with its own store directory, stopped at the end. Never a
 * mock. `restart()` stops and starts the same server (same port, same store).
 */
export interface NatsServer {
  readonly url: string;
  /** True when this harness started the server (so it can restart it). */
  readonly owned: boolean;
  restart(downMs?: number): Promise<void>;
  connect(name?: string): Promise<NatsConnection>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A name unique to this run, for subjects and buckets on a shared server. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export async function startNats(t: Test): Promise<NatsServer> {
  const external = process.env.NATS_URL;
  const connections: NatsConnection[] = [];
  const connectTo = (url: string) => async (name = 'test') => {
    const nc = await connect(natsConnectionOptions(url, name, 100));
    connections.push(nc);
    return nc;
  };
  const closeConnections = async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
  };
  if (external !== undefined && external !== '') {
    const server: NatsServer = {
      url: external,
      owned: false,
      restart: async () => {
        throw new Error('cannot restart the NATS_URL server');
      },
      connect: connectTo(external),
      stop: closeConnections,
    };
    t.teardown(() => server.stop());
    return server;
  }
  const store = mkdtempSync(join(tmpdir(), 'fundcore-nats-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';
  const launch = async () => {
    const launched = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], { stdio: ['ignore', 'ignore', 'pipe'] });
    launched.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
    launched.once('error', (error) => (log += `\n${error.message}`));
    child = launched;
    try {
      await waitForPort(port, 10_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; is nats-server installed (see README)?\n${log}`);
    }
  };
  const halt = async () => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await launch();
  const url = `nats://127.0.0.1:${port}`;
  const server: NatsServer = {
    url,
    owned: true,
    restart: async (downMs = 0) => {
      await halt();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    connect: connectTo(url),
    stop: async () => {
      await closeConnections();
      await halt();
      rmSync(store, { recursive: true, force: true });
    },
  };
  t.teardown(() => server.stop());
  return server;
}
