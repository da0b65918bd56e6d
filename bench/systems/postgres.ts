import pg from 'pg';
import { hotId, inParallel, transferIdOf, walletId, type AccountPlan, type TransferIds, type TransferSystem } from './system.js';

/**
 * Baseline (i): the seeds' conventional design on PostgreSQL — balance rows updated in a
 * transaction with SELECT … FOR UPDATE, plus a journal insert, synchronous_commit=on.
 */
export class PostgresBaseline implements TransferSystem {
  readonly name = 'postgres';
  private readonly pool: pg.Pool;

  constructor(connections: number, private readonly ids: TransferIds = 'sequential') {
    this.pool = new pg.Pool({
      host: process.env.PGHOST ?? '127.0.0.1',
      port: Number(process.env.PGPORT ?? 5432),
      user: process.env.PGUSER ?? 'postgres',
      database: process.env.PGDATABASE ?? 'test',
      max: connections,
    });
  }

  /** Null when reachable; otherwise why not. */
  static async unreachable(): Promise<string | null> {
    const probe = new PostgresBaseline(1);
    try {
      await probe.pool.query('select 1');
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await probe.pool.end();
    }
  }

  async setup(plan: AccountPlan): Promise<void> {
    await this.pool.query('drop table if exists bench_journal; drop table if exists bench_accounts');
    await this.pool.query('create table bench_accounts (id text primary key, balance bigint not null, overdraft boolean not null default false)');
    await this.pool.query(
      'create table bench_journal (seq bigserial primary key, transfer_id text not null unique, debit text not null, credit text not null, amount bigint not null, created_at timestamptz not null default now())',
    );
    await this.pool.query("insert into bench_accounts values ('bank', 0, true)");
    if (plan.hot !== undefined) await this.pool.query('insert into bench_accounts values ($1, $2)', [hotId, plan.hot.fundingMinor.toString()]);
    const ids = Array.from({ length: plan.wallets }, (_, i) => walletId(i));
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += 5_000) chunks.push(ids.slice(i, i + 5_000));
    await inParallel(chunks, 4, (chunk) =>
      this.pool.query('insert into bench_accounts (id, balance) select unnest($1::text[]), $2', [chunk, plan.walletFundingMinor.toString()]),
    );
    await this.pool.query('vacuum analyze bench_accounts');
  }

  async transfer(n: number, debit: string, credit: string, amountMinor: bigint): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const locked = await client.query<{ id: string; balance: string; overdraft: boolean }>(
        'select id, balance, overdraft from bench_accounts where id = any($1) order by id for update',
        [[debit, credit]],
      );
      const from = locked.rows.find((row) => row.id === debit);
      if (from === undefined || locked.rows.length !== 2) throw new Error('account_not_found');
      if (!from.overdraft && BigInt(from.balance) < amountMinor) throw new Error('insufficient_funds');
      await client.query('update bench_accounts set balance = balance - $2 where id = $1', [debit, amountMinor.toString()]);
      await client.query('update bench_accounts set balance = balance + $2 where id = $1', [credit, amountMinor.toString()]);
      await client.query('insert into bench_journal (transfer_id, debit, credit, amount) values ($1, $2, $3, $4)', [transferIdOf(n, this.ids), debit, credit, amountMinor.toString()]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }

  async settle(): Promise<void> {}

  rssMiB(): number {
    return 0;
  }

  async teardown(): Promise<void> {
    await this.pool.query('drop table if exists bench_journal; drop table if exists bench_accounts');
    await this.pool.end();
  }
}
