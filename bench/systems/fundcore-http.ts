import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { rssAnonMiB } from '../lib/stats.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAmount } from '../../core/money/amount.js';
import { hotId, inParallel, walletId, type AccountPlan } from './system.js';
import { nodeRuntimeFlags } from '../../actors/runtime/node-flags.js';

const serverEntry = fileURLToPath(new URL('../../main.js', import.meta.url));
export const benchApiKey = 'bench-api-key';
/** The capacity benches measure the node, not a key's rate limit: one key may take it all. */
export const unlimitedKey = { FUNDCORE_RATE_LIMIT_PER_SECOND: '1000000' } as const;

/** fundcore as a user runs it: `npm start`'s server in its own process, reached over a real socket. */
export class FundcoreServer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'fundcore-http-'));
  private child: ChildProcess | null = null;
  url = '';

  async start(): Promise<void> {
    const child = spawn(process.execPath, [...nodeRuntimeFlags, ...serverProfilingFlags(), serverEntry], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: this.dir, FUNDCORE_API_KEY: benchApiKey, FUNDCORE_OPS_KEY: 'bench-ops-key', LOG_LEVEL: 'info', ...unlimitedKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
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
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
    });
  }

  async post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${benchApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async setup(plan: AccountPlan): Promise<void> {
    await this.must(this.post('/v1/accounts', { id: 'bank', kind: 'bank_settlement', overdraft: true }));
    if (plan.hot !== undefined) {
      await this.must(this.post('/v1/accounts', { id: hotId, kind: 'platform_revenue', subAccounts: plan.hot.subAccounts }));
      const parts = plan.hot.subAccounts * 4;
      const each = formatAmount(plan.hot.fundingMinor / BigInt(parts), 'CNY');
      await this.batch(Array.from({ length: parts }, (_, i) => ({ id: `fund-hot-${i}`, debit: 'bank', credit: hotId, amount: each })));
    }
    const wallets = Array.from({ length: plan.wallets }, (_, i) => walletId(i));
    await inParallel(wallets, 64, (id) => this.must(this.post('/v1/accounts', { id, kind: 'investor_wallet' })));
    const funding = formatAmount(plan.walletFundingMinor, 'CNY');
    for (let i = 0; i < wallets.length; i += 8_000) {
      await this.batch(wallets.slice(i, i + 8_000).map((id) => ({ id: `fund-${id}`, debit: 'bank', credit: id, amount: funding })));
    }
    await this.settle();
  }

  async settle(): Promise<void> {
    for (;;) {
      const health = (await (await fetch(`${this.url}/health`)).json()) as { relay: { backlog: number } };
      if (health.relay.backlog === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  rssMiB(): number {
    return this.child?.pid === undefined ? 0 : rssAnonMiB(this.child.pid);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child !== null && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async batch(transfers: object[]): Promise<void> {
    const reply = await this.post('/v1/transfers/batch', { transfers });
    const failed = (reply.body.results as { status: number }[]).filter((r) => r.status !== 201);
    if (failed.length > 0) throw new Error(`setup batch: ${JSON.stringify(failed[0])}`);
  }

  private async must(reply: Promise<{ status: number; body: unknown }>): Promise<void> {
    const answer = await reply;
    if (answer.status >= 300) throw new Error(`setup: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/** BENCH_SERVER_NODE_FLAGS: extra node flags for the server (and a cluster's processes), e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` to profile them under the load. */
export function serverProfilingFlags(): string[] {
  return (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
}
