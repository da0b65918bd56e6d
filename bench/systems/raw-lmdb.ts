import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { rssMiB } from '../lib/stats.js';
import { transferIdOf, type AccountPlan, type TransferIds, type TransferSystem } from './system.js';

/**
 * Baseline (iii): the physical limit on this machine — raw lmdb-js writes of the same
 * event size with the same batching: per transfer, the two events a double-entry transfer
 * needs at least (the debit side's and the credit side's, shaped and sized as ours), put
 * in the event turn's group commit and acknowledged once flushed. No actors, no lookups,
 * no indexes, no relay: what any design on lmdb-js must pay.
 */
export class RawLmdbBaseline implements TransferSystem {
  readonly name = 'raw-lmdb';
  private readonly dir = mkdtempSync(join(tmpdir(), 'fundcore-rawlmdb-'));
  private readonly db: RootDatabase;

  constructor(private readonly ids: TransferIds = 'sequential') {
    this.db = open({
      path: this.dir,
      encoder: { useBigIntExtension: true },
      mapSize: 2 ** 35,
      // The same durability mode as the journal: a resolved commit is on disk.
      overlappingSync: false,
      // And the same start of the write thread (persistence/lmdb-journal.ts, writerStartWritesMax).
      batchStartThreshold: 2 ** 30,
    } as never);
  }

  async setup(_plan: AccountPlan): Promise<void> {}

  async transfer(n: number, debit: string, credit: string, amountMinor: bigint): Promise<void> {
    const at = Date.now();
    const transfer = {
      id: transferIdOf(n, this.ids),
      debit,
      credit,
      amount: amountMinor,
      pending: false,
      timeoutMs: null,
      memo: null,
      currency: 'CNY',
      status: 'posted',
      createdAt: at,
      updatedAt: at,
      expiresAt: null,
      postedAmount: null,
      voidReason: null,
      reverses: null,
      rejection: null,
      returnCode: null,
      debitPart: null,
      creditPart: null,
    };
    const credited = { transferId: transfer.id, account: credit, debit, amount: amountMinor, currency: 'CNY', reverses: null, creditedAt: at };
    void this.db.put([`acct:${debit}`, n], [{ type: 'transfer_debited', data: { transfer } }]);
    await this.db.put([`acct:${credit}`, n], [{ type: 'transfer_credited', data: { credit: credited } }]);

  }

  /** The same events with the same batching: every put of the batch in one turn, so one commit. */
  async transferBatch(transfers: readonly { n: number; debit: string; credit: string; amountMinor: bigint }[]): Promise<void> {
    await Promise.all(transfers.map(({ n, debit, credit, amountMinor }) => this.transfer(n, debit, credit, amountMinor)));
  }

  async settle(): Promise<void> {}

  rssMiB(): number {
    return rssMiB();
  }

  async teardown(): Promise<void> {
    await this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
