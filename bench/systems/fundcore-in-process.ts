import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FundcoreNode } from '../../actors/node.js';
import type { RuntimeLimits } from '../../actors/runtime/limits.js';
import { formatAmount } from '../../core/money/amount.js';
import { rssMiB } from '../lib/stats.js';
import { hotId, inParallel, transferIdOf, walletId, type AccountPlan, type TransferIds, type TransferSystem } from './system.js';

/** fundcore embedded: the ledger called in process, on the LMDB journal (durable: acknowledged after fsync). */
export class FundcoreInProcess implements TransferSystem {
  readonly name: string;
  readonly node: FundcoreNode;
  private readonly dir = mkdtempSync(join(tmpdir(), 'fundcore-bench-'));

  /** The node's data directory (its journal, its read models). */
  get dataDir(): string {
    return this.dir;
  }
  constructor(label: string, limits: Partial<RuntimeLimits> = {}, private readonly ids: TransferIds = 'sequential') {
    this.name = label;
    this.node = FundcoreNode.start({ dataDir: this.dir, limits: { relayInFlightMax: 20_000, mailboxDepthMax: 100_000, ...limits } });
  }

  async setup(plan: AccountPlan): Promise<void> {
    const { ledger } = this.node;
    await ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
    if (plan.hot !== undefined) {
      await ledger.openAccount({ id: hotId, kind: 'platform_revenue', currency: 'CNY', overdraft: false, subAccounts: plan.hot.subAccounts });
      // Fund every sub-account evenly: credits route by transfer id, so use many of them.
      const parts = Array.from({ length: plan.hot.subAccounts * 4 }, (_, i) => i);
      const each = plan.hot.fundingMinor / BigInt(parts.length);
      await inParallel(parts, 64, (i) => this.must(ledger.createTransfer(input(`fund-hot-${i}`, 'bank', hotId, each))));
    }
    const wallets = Array.from({ length: plan.wallets }, (_, i) => walletId(i));
    await inParallel(wallets, 512, (id) => this.must(ledger.openAccount({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false })));
    await inParallel(wallets, 512, (id) => this.must(ledger.createTransfer(input(`fund-${id}`, 'bank', id, plan.walletFundingMinor))));
    await this.settle();
  }

  async transfer(n: number, debit: string, credit: string, amountMinor: bigint): Promise<void> {
    await this.must(this.node.ledger.createTransfer(input(transferIdOf(n, this.ids), debit, credit, amountMinor)));
  }

  /** A batch as the HTTP batch route sends it: one createTransfers, every item acknowledged durable. */
  async transferBatch(transfers: readonly { n: number; debit: string; credit: string; amountMinor: bigint }[]): Promise<void> {
    const replies = await this.node.ledger.createTransfers(transfers.map(({ n, debit, credit, amountMinor }) => input(transferIdOf(n, this.ids), debit, credit, amountMinor)));
    const refused = replies.find((reply) => !reply.ok);
    if (refused !== undefined && !refused.ok) throw new Error(refused.code);
  }

  async settle(): Promise<void> {
    while (this.node.system.relay.backlog > 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  rssMiB(): number {
    return rssMiB();
  }

  async teardown(): Promise<void> {
    await this.node.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async must(reply: Promise<{ ok: boolean; code?: string }>): Promise<void> {
    const answer = await reply;
    if (!answer.ok) throw new Error(answer.code);
  }
}

export function input(id: string, debit: string, credit: string, amountMinor: bigint) {
  return { id, debit, credit, amount: formatAmount(amountMinor, 'CNY'), pending: false, timeoutMs: null, memo: null };
}
