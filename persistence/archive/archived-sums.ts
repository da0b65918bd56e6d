import { archiveOf, prepared, type ReadDatabase } from '../projections/read-model.js';
import { ArchiveMovedError } from './archived-reads.js';

/** The money rows whose sums archiving keeps: an account's legs, an investor's capital flows. */
const kinds = {
  legs: { file: 'legs', owner: 'account', amount: "case when side = 'credit' then amount else -amount end" },
  capital_flows: { file: 'capitals', owner: 'investor', amount: 'delta' },
} as const;

export type SummedKind = keyof typeof kinds;

/**
 * What an owner's archived rows of a kind add up to over the days before `beforeDay` (in one
 * currency, or all). Whole months come from `archived_totals`; the month of `beforeDay`
 * itself, when archived, from the files that may hold its rows. Add the hot rows' sum for
 * the whole: no row is in both (the same commit deletes the hot rows and adds their sums).
 */
export function archivedNetBefore(db: ReadDatabase, kind: SummedKind, owner: string, beforeDay: string, currency?: string): bigint {
  const month = beforeDay.slice(0, 7);
  const currencyMatch = currency === undefined ? '' : ' and currency = ?';
  const extra = currency === undefined ? [] : [currency];
  const whole = prepared(db, `select coalesce(sum(net), 0) as v from archived_totals where kind = ? and owner = ? and month < ?${currencyMatch}`).get(kind, owner, month, ...extra) as { v: bigint };
  return whole.v + partOfMonth(db, kind, owner, `${month}-01`, beforeDay, currency);
}

/** The archived rows of the month of `beforeDay`, from its first day up to it: in files of that month or later (a record goes with the month it ended). */
function partOfMonth(db: ReadDatabase, kind: SummedKind, owner: string, fromDay: string, beforeDay: string, currency?: string): bigint {
  if (fromDay === beforeDay) return 0n;
  const files = archiveOf(db);
  if (files === undefined) return 0n;
  const { file, owner: ownerColumn, amount } = kinds[kind];
  const months = prepared(db, 'select month from archive_months where tbl = ? and month >= ? order by month').all(file, fromDay.slice(0, 7)) as { month: string }[];
  let sum = 0n;
  for (const { month } of months) {
    const reader = files.reader(month);
    if (reader === null) throw new ArchiveMovedError(`the archive file of ${month} was removed while it was read`);
    const currencyMatch = currency === undefined ? '' : ' and currency = ?';
    const sql = `select coalesce(sum(${amount}), 0) as v from ${kind} where ${ownerColumn} = ? and day >= ? and day < ?${currencyMatch}`;
    sum += (prepared(reader, sql).get(owner, fromDay, beforeDay, ...(currency === undefined ? [] : [currency])) as { v: bigint }).v;
  }
  return sum;
}

/**
 * An account's archived legs up to an instant, per currency: whole months whose last leg is
 * no later, and from the files the legs of months that straddle it.
 */
export function archivedLegsThrough(db: ReadDatabase, account: string, atMs: number): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  const add = (currency: string, amount: bigint) => sums.set(currency, (sums.get(currency) ?? 0n) + amount);
  const rows = prepared(db, "select currency, month, net, first_at, last_at from archived_totals where kind = 'legs' and owner = ? and first_at <= ?").all(account, BigInt(atMs)) as {
    currency: string;
    month: string;
    net: bigint;
    last_at: bigint;
  }[];
  for (const row of rows) {
    if (row.last_at <= BigInt(atMs)) add(row.currency, row.net);
    else add(row.currency, legsOfMonthThrough(db, account, row.month, row.currency, atMs));
  }
  return sums;
}

function legsOfMonthThrough(db: ReadDatabase, account: string, month: string, currency: string, atMs: number): bigint {
  const reader = archiveOf(db)?.reader(month) ?? null;
  if (reader === null) throw new ArchiveMovedError(`the archive file of ${month} was removed while it was read`);
  const sql = `select coalesce(sum(${kinds.legs.amount}), 0) as v from legs where account = ? and currency = ? and at <= ? and substr(day, 1, 7) = ?`;
  return (prepared(reader, sql).get(account, currency, BigInt(atMs), month) as { v: bigint }).v;
}

/** The first business day any leg was posted on, archived or hot (null: none yet). */
export function firstLegDay(db: ReadDatabase): string | null {
  const hot = (prepared(db, 'select min(day) as day from legs').get() as { day: string | null }).day;
  const first = prepared(db, "select month from archive_months where tbl = 'legs' order by month limit 1").get() as { month: string } | undefined;
  const reader = first === undefined ? null : (archiveOf(db)?.reader(first.month) ?? null);
  const archived = reader === null ? null : (prepared(reader, 'select min(day) as day from legs').get() as { day: string | null }).day;
  if (archived === null) return hot;
  return hot === null || archived < hot ? archived : hot;
}

/** The first day whose records retention kept (null: nothing was removed). */
export function keptFrom(db: ReadDatabase): string | null {
  const row = prepared(db, 'select removed_before from archive_removed where id = 1').get() as { removed_before: string } | undefined;
  return row?.removed_before ?? null;
}
