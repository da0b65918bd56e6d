import { prepared, type ReadDatabase } from './read-model.js';

/** Statuses of a bank order that is out (not completed): see core/bank/bank-order.ts. */
const pendingStatuses = ['holding', 'sending', 'accepted'] as const;

/** Bank orders not completed yet, by status, as the read models have them (an indexed count). */
export function bankOrdersPending(db: ReadDatabase): Record<string, number> {
  const rows = prepared(db, `select status, count(*) as n from bank_orders where status in (${pendingStatuses.map(() => '?').join(', ')}) group by status`).all(...pendingStatuses) as {
    status: string;
    n: bigint;
  }[];
  const counts: Record<string, number> = Object.fromEntries(pendingStatuses.map((status) => [status, 0]));
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** Hot accounts (split into sub-accounts), in id order, at most `count`. */
export function hotAccountIds(db: ReadDatabase, count: number): string[] {
  const rows = prepared(db, 'select distinct account_id from account_parts where sub_accounts > 1 order by account_id limit ?').all(BigInt(count)) as { account_id: string }[];
  return rows.map((row) => row.account_id);
}

/** The reconciliation whose report was projected last (null: none yet). */
export function latestReconciliationId(db: ReadDatabase): string | null {
  const row = prepared(db, 'select reconciliation from reconciliation_chunks order by rowid desc limit 1').get() as { reconciliation: string } | undefined;
  return row?.reconciliation ?? null;
}
