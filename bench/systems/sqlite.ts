import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssMiB } from '../lib/stats.js';
import { hotId, transferIdOf, walletId, type AccountPlan, type TransferIds, type TransferSystem } from './system.js';

/** Baseline (ii): SQLite through better-sqlite3, WAL, synchronous=FULL, a transaction per transfer. */
export class SqliteBaseline implements TransferSystem {
  readonly name = 'sqlite';
  private readonly dir = mkdtempSync(join(tmpdir(), 'fundcore-sqlite-'));
  private readonly db = new Database(join(this.dir, 'bench.db'));
  private book!: (n: number, debit: string, credit: string, amount: bigint) => void;

  constructor(private readonly ids: TransferIds = 'sequential') {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.defaultSafeIntegers(true);
  }

  async setup(plan: AccountPlan): Promise<void> {
    this.db.exec('create table accounts (id text primary key, balance integer not null, overdraft integer not null default 0)');
    this.db.exec('create table journal (seq integer primary key, transfer_id text not null unique, debit text not null, credit text not null, amount integer not null, created_at integer not null)');
    const insert = this.db.prepare('insert into accounts (id, balance, overdraft) values (?, ?, ?)');
    this.db.transaction(() => {
      insert.run('bank', 0n, 1n);
      if (plan.hot !== undefined) insert.run(hotId, plan.hot.fundingMinor, 0n);
      for (let i = 0; i < plan.wallets; i++) insert.run(walletId(i), plan.walletFundingMinor, 0n);
    })();
    const read = this.db.prepare('select balance, overdraft from accounts where id = ?');
    const debitStmt = this.db.prepare('update accounts set balance = balance - ? where id = ?');
    const creditStmt = this.db.prepare('update accounts set balance = balance + ? where id = ?');
    const journal = this.db.prepare('insert into journal (transfer_id, debit, credit, amount, created_at) values (?, ?, ?, ?, ?)');
    this.book = this.db.transaction((n: number, debit: string, credit: string, amount: bigint) => {
      const from = read.get(debit) as { balance: bigint; overdraft: bigint } | undefined;
      if (from === undefined || read.get(credit) === undefined) throw new Error('account_not_found');
      if (from.overdraft === 0n && from.balance < amount) throw new Error('insufficient_funds');
      debitStmt.run(amount, debit);
      creditStmt.run(amount, credit);
      journal.run(transferIdOf(n, this.ids), debit, credit, amount, Date.now());
    });
  }

  async transfer(n: number, debit: string, credit: string, amountMinor: bigint): Promise<void> {
    this.book(n, debit, credit, amountMinor);
  }

  async settle(): Promise<void> {}

  rssMiB(): number {
    return rssMiB();
  }

  async teardown(): Promise<void> {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
