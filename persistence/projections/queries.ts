import { readEverywhere, selectEverywhere, type DataSource, type Everywhere } from '../archive/archived-reads.js';
import { archivedLegsThrough, archivedNetBefore, keptFrom } from '../archive/archived-sums.js';
import { addDays } from '../../core/calendar/business-date.js';
import { prepared, type ReadModel } from './read-model.js';
import { transitAccount } from './ledger-projector.js';

/** A page of rows and where the next one starts (null: the last page). */
export interface Page<Row> {
  readonly items: Row[];
  readonly nextCursor: string | null;
  /** The log position the read model had reached when it answered. */
  readonly position: number;
  /** Where its rows came from (hot read models, archive files): for a header, not the body. */
  readonly sources: readonly DataSource[];
}

export const pageLimitMax = 500;

/** Opaque cursors: the sort key of the last row returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): (string | number)[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(key) && key.every((k) => typeof k === 'string' || typeof k === 'number') ? (key as (string | number)[]) : null;
  } catch {
    return null;
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

type Row = Record<string, unknown>;

export interface AuditFilter {
  readonly actor?: string;
  readonly who?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
}

/**
 * Queries over the read models. They answer from what the read models hold: whoever asks
 * first lets the read side catch up (ReadSide.catchUp; the gateway does before every query),
 * and each page says the position it stands at.
 */
export class ReadModelQueries {
  constructor(private readonly model: ReadModel) {}

  /** An account's cashflow (its legs), oldest first, filtered by instant and/or business day. */
  cashflow(account: string, filter: { fromMs?: number; toMs?: number; fromDay?: string; toDay?: string }, cursor: string | undefined, limit: number): Page<Row> {
    const after = this.cursorKey(cursor, ['position', 'position']);
    return this.read(() => {
      const position = this.asOf();
      const sql = `select position, idx, transfer_id as transferId, side, amount, currency, at, day from legs
         where account = ? and at >= ? and at <= ? and day >= ? and day <= ? and (position > ? or (position = ? and idx > ?))
         order by position, idx limit ?`;
      const args = [account, BigInt(filter.fromMs ?? 0), BigInt(filter.toMs ?? Number.MAX_SAFE_INTEGER), filter.fromDay ?? '', filter.toDay ?? '9999-12-31', ...positionAfter(after)];
      const months = { ...(filter.fromDay !== undefined ? { from: filter.fromDay.slice(0, 7) } : {}), ...(filter.toDay !== undefined ? { to: filter.toDay.slice(0, 7) } : {}) };
      const found = selectEverywhere(this.model.db, 'legs', sql, args, legKey, { limit: limit + 1, months });
      return page(found, limit, position, (r) => [Number(r.position), Number(r.idx)]);
    });
  }

  /** An investor's interest flows numbered after `afterSeq` up to `toSeq`, at most `limit`, by seq. */
  interestFlows(investor: string, afterSeq: number, toSeq: number, limit: number): Row[] {
    return prepared(this.model.db, 'select * from interest_flows where investor = ? and seq > ? and seq <= ? order by seq limit ?').all(investor, BigInt(afterSeq), BigInt(toSeq), BigInt(limit)) as Row[];
  }

  /** An account's balance at an instant: every leg up to it (credits − debits), per currency. */
  balanceAt(account: string, atMs: number): { position: number; balances: { currency: string; balance: bigint }[]; sources: DataSource[] } {
    return this.read(() => {
      const position = this.asOf();
      const hot = prepared(this.model.db, `select currency, sum(case when side = 'credit' then amount else -amount end) as balance from legs where account = ? and at <= ? group by currency`)
        .all(account, BigInt(atMs)) as { currency: string; balance: bigint }[];
      const archived = archivedLegsThrough(this.model.db, account, atMs);
      const sums = new Map(archived);
      for (const row of hot) sums.set(row.currency, (sums.get(row.currency) ?? 0n) + row.balance);
      const balances = [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, balance]) => ({ currency, balance }));
      return { position, balances, sources: sourcesOf(hot.length > 0, archived.size > 0) };
    });
  }

  /** The currency an account books (null: no such account). */
  accountCurrency(account: string): string | null {
    this.asOf();
    const row = prepared(this.model.db, 'select currency from account_parts where account_id = ? limit 1').get(account) as { currency: string } | undefined;
    return row?.currency ?? null;
  }

  accountExists(account: string): boolean {
    this.asOf();
    return prepared(this.model.db, 'select 1 from account_parts where account_id = ? limit 1').get(account) !== undefined;
  }

  /** Transfers by order no (their id), account (either side) and/or status, newest id order. */
  transfers(filter: { orderNo?: string; account?: string; status?: string }, cursor: string | undefined, limit: number): Page<Row> {
    const after = this.cursorKey(cursor, ['text']);
    const clauses = ['debit is not null', "status <> 'rejected'"];
    const args: unknown[] = [];
    if (filter.orderNo !== undefined) (clauses.push('id = ?'), args.push(filter.orderNo));
    if (filter.account !== undefined) (clauses.push('(debit = ? or credit = ?)'), args.push(filter.account, filter.account));
    if (filter.status === 'reversed') clauses.push('reversed_by is not null');
    else if (filter.status !== undefined) (clauses.push('status = ? and reversed_by is null'), args.push(filter.status));
    if (after !== null) (clauses.push('id > ?'), args.push(String(after[0])));
    return this.read(() => {
      const position = this.asOf();
      const found = selectEverywhere(this.model.db, 'transfers', `select * from transfers where ${clauses.join(' and ')} order by id limit ?`, args, (r) => [r.id], { limit: limit + 1 });
      return page(found, limit, position, (r) => [String(r.id)]);
    });
  }

  /** Claims by investor, loan and/or status, in order-no order. */
  claims(filter: { investor?: string; loan?: string; status?: string; investment?: string }, cursor: string | undefined, limit: number): Page<Row> {
    const after = this.cursorKey(cursor, ['text']);
    const clauses = ['1 = 1'];
    const args: unknown[] = [];
    if (filter.investor !== undefined) (clauses.push('investor = ?'), args.push(filter.investor));
    if (filter.loan !== undefined) (clauses.push('loan_id = ?'), args.push(filter.loan));
    if (filter.investment !== undefined) (clauses.push('investment_id = ?'), args.push(filter.investment));
    if (filter.status !== undefined) (clauses.push('status = ?'), args.push(filter.status));
    if (after !== null) (clauses.push('order_no > ?'), args.push(String(after[0])));
    return this.read(() => {
      const position = this.asOf();
      const found = selectEverywhere(this.model.db, 'claims', `select * from claims where ${clauses.join(' and ')} order by order_no limit ?`, args, claimKey, { limit: limit + 1 });
      return page(found, limit, position, (r) => [String(r.order_no)]);
    });
  }

  /** An investor's statement for business days [fromDay, toDay]: wallet opening, movements, closing; investments; claims. */
  statement(investor: string, fromDay: string, toDay: string): Row & { sources: DataSource[] } {
    return this.read(() => {
      const position = this.asOf();
      const db = this.model.db;
      // Movements retention removed are not listed: the wallet's opening is then its balance on the first day kept.
      const kept = keptFrom(db);
      const movedFrom = kept !== null && kept > fromDay ? (kept > toDay ? addDays(toDay, 1) : kept) : fromDay;
      const hotOpening = (prepared(db, `select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as v from legs where account = ? and day < ?`).get(investor, movedFrom) as { v: bigint }).v;
      const opening = hotOpening + archivedNetBefore(db, 'legs', investor, movedFrom);
      const moved = selectEverywhere(db, 'legs', `select position, idx, transfer_id as transferId, side, amount, currency, at, day from legs where account = ? and day >= ? and day <= ? order by position, idx`, [investor, movedFrom, toDay], legKey, {
        months: { from: movedFrom.slice(0, 7), to: toDay.slice(0, 7) },
      });
      const movements = moved.rows;
      const closing = movements.reduce((sum, m) => sum + (m.side === 'credit' ? (m.amount as bigint) : -(m.amount as bigint)), opening);
      const investments = prepared(db, 'select * from investments where investor = ? order by placed_on, id').all(investor) as Row[];
      const claimed = selectEverywhere(db, 'claims', 'select * from claims where investor = ? order by order_no', [investor], claimKey);
      const interestOpening = (prepared(db, 'select coalesce(sum(amount), 0) as v from interest_flows where investor = ? and day < ?').get(investor, fromDay) as { v: bigint }).v;
      const interestFlows = prepared(db, 'select * from interest_flows where investor = ? and day >= ? and day <= ? order by seq').all(investor, fromDay, toDay) as Row[];
      const interestClosing = interestFlows.reduce((sum, flow) => sum + (flow.amount as bigint), interestOpening);
      const interestPool = { opening: interestOpening, flows: interestFlows, closing: interestClosing };
      const sources = sourcesOf(true, moved.sources.has('archive') || claimed.sources.has('archive') || opening !== hotOpening);
      return { position, investor, fromDay, toDay, opening, movements, closing, investments, claims: claimed.rows, interestPool, sources };
    });
  }

  /**
   * A claim's lineage (债权转让链): the claims it replaced, oldest first, then itself, then the
   * claims that replaced it — each transfer makes a new claim whose lastOrderNo names the old.
   * Null when there is no such claim.
   */
  lineage(orderNo: string): { chain: Row[]; sources: DataSource[] } | null {
    return this.read(() => {
      this.asOf();
      const archived = new Set<DataSource>();
      const claimsWhere = (condition: string, values: readonly string[]) => {
        const found = selectEverywhere(this.model.db, 'claims', `select * from claims where ${condition} order by order_no`, [JSON.stringify(values)], claimKey);
        for (const source of found.sources) archived.add(source);
        return found.rows;
      };
      const byNumber = (no: string) => claimsWhere('order_no in (select value from json_each(?))', [no])[0];
      const self = byNumber(orderNo);
      if (self === undefined) return null;
      const ancestors: Row[] = [];
      for (let claim = self; claim.last_order_no !== null && ancestors.length < lineageDepthMax; ) {
        const parent = byNumber(String(claim.last_order_no));
        if (parent === undefined) break;
        ancestors.unshift(parent);
        claim = parent;
      }
      const descendants: Row[] = [];
      let level = [orderNo];
      for (let depth = 0; depth < lineageDepthMax && level.length > 0; depth++) {
        const children = claimsWhere('last_order_no in (select value from json_each(?))', level);
        descendants.push(...children);
        level = children.map((child) => String(child.order_no));
      }
      return { chain: [...ancestors, self, ...descendants], sources: sourcesOf(archived.has('hot'), archived.has('archive')) };
    });
  }

  /**
   * A page of the bank orders sent on [fromDay, toDay], in (business date, order no) order
   * after `after`, with their batch items: reconciliation reads a long range in steps.
   */
  bankOrdersPage(fromDay: string, toDay: string, after: { day: string; orderNo: string } | null, limit: number): { orders: Row[]; items: Row[] } {
    this.asOf();
    const db = this.model.db;
    const orders = prepared(db, 'select * from bank_orders where business_date >= ? and business_date <= ? and (business_date, order_no) > (?, ?) order by business_date, order_no limit ?').all(
      fromDay,
      toDay,
      after?.day ?? fromDay,
      after?.orderNo ?? '',
      BigInt(limit),
    ) as Row[];
    const numbers = JSON.stringify(orders.map((order) => order.order_no));
    const items = prepared(db, 'select * from bank_order_items where order_no in (select value from json_each(?)) order by order_no, ref').all(numbers) as Row[];
    return { orders, items };
  }

  /** Bank orders by number, whatever their date, with their batch items. */
  bankOrdersByNumber(orderNos: readonly string[]): { orders: Row[]; items: Row[] } {
    this.asOf();
    const db = this.model.db;
    const numbers = JSON.stringify(orderNos);
    const orders = prepared(db, 'select * from bank_orders where order_no in (select value from json_each(?)) order by order_no').all(numbers) as Row[];
    const items = prepared(db, 'select * from bank_order_items where order_no in (select value from json_each(?)) order by order_no, ref').all(numbers) as Row[];
    return { orders, items };
  }

  /**
   * What the depository should hold on an account at the end of a business day, by the
   * ledger: the wallet's balance (its legs) + the investor's capital not yet paid out at the
   * bank (principal − matched − pulled back) + the investor's interest pool. Null for an
   * account the ledger does not know, or (`currency` given) that books another currency.
   */
  depositoryHolding(account: string, day: string, currency?: string): bigint | null {
    if (!this.accountExists(account)) return null;
    if (currency !== undefined && this.accountCurrency(account) !== currency) return null;
    return this.read(() => {
      const db = this.model.db;
      const sum = (sql: string) => (prepared(db, sql).get(account, day) as { v: bigint }).v;
      const wallet = sum("select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as v from legs where account = ? and day <= ?");
      const capital = sum('select coalesce(sum(delta), 0) as v from capital_flows where investor = ? and day <= ?');
      const interest = sum('select coalesce(sum(amount), 0) as v from interest_flows where investor = ? and day <= ?');
      const next = addDays(day, 1);
      return wallet + capital + interest + archivedNetBefore(db, 'legs', account, next) + archivedNetBefore(db, 'capital_flows', account, next);
    });
  }

  /** One chunk of a recorded reconciliation report: how many items, and the items packed; null when the read model has none. */
  reconciliationChunk(id: string, attempt: number, chunk: number): { count: number; items: Uint8Array } | null {
    this.asOf();
    const row = prepared(this.model.db, 'select count, items from reconciliation_chunks where reconciliation = ? and attempt = ? and chunk = ?').get(id, BigInt(attempt), BigInt(chunk)) as
      | { count: bigint; items: Buffer }
      | undefined;
    return row === undefined ? null : { count: Number(row.count), items: row.items };
  }

  /** One bank order as the read model has it. */
  bankOrder(orderNo: string): Row | null {
    this.asOf();
    return (prepared(this.model.db, 'select * from bank_orders where order_no = ?').get(orderNo) as Row | undefined) ?? null;
  }

  /** Every account's closing balance as of a closed day (carried forward from its last movement). */
  closingBalances(date: string, cursor: string | undefined, limit: number): Page<Row> {
    const position = this.asOf();
    const after = this.cursorKey(cursor, ['text', 'text']);
    const rows = prepared(this.model.db,
        `select account, currency, closing, date as lastMoved from eod_balances e
         where date = (select max(date) from eod_balances where account = e.account and currency = e.currency and date <= ?)
           and account <> ? and (account > ? or (account = ? and currency > ?))
         order by account, currency limit ?`,
      )
      .all(date, transitAccount, String(after?.[0] ?? ''), String(after?.[0] ?? ''), String(after?.[1] ?? ''), BigInt(limit + 1)) as Row[];
    return page(rows, limit, position, (r) => [String(r.account), String(r.currency)]);
  }

  /**
   * The audit trail, oldest first: who did what to which actor (an account's sub-accounts
   * with it), in a window of time.
   */
  audit(filter: AuditFilter, cursor: string | undefined, limit: number): Page<Row> {
    const after = this.cursorKey(cursor, ['position', 'text', 'position']);
    const position = this.asOf();
    const conditions = ['(at, actor_id, first_seq) > (?, ?, ?)'];
    const values: unknown[] = [BigInt(after?.[0] ?? -1), String(after?.[1] ?? ''), BigInt(after?.[2] ?? -1)];
    if (filter.actor !== undefined) {
      conditions.push("(actor_id = ? or actor_id like ? escape '\\')");
      values.push(filter.actor, `${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}#%`);
    }
    if (filter.who !== undefined) (conditions.push('who = ?'), values.push(filter.who));
    if (filter.fromMs !== undefined) (conditions.push('at >= ?'), values.push(BigInt(filter.fromMs)));
    if (filter.toMs !== undefined) (conditions.push('at < ?'), values.push(BigInt(filter.toMs)));
    const sql = `select actor_id, first_seq, count, at, who, request_id, order_id, events from audit where ${conditions.join(' and ')} order by at, actor_id, first_seq limit ?`;
    const rows = prepared(this.model.db, sql).all(...values, BigInt(limit + 1)) as Row[];
    return page(rows, limit, position, (r) => [Number(r.at), String(r.actor_id), Number(r.first_seq)]);
  }

  /** The position the answer stands at (`asOfPosition`). */
  private asOf(): number {
    return this.model.position();
  }

  /** A read of hot rows and archive files in one snapshot (archived-reads.ts). */
  private read<T>(run: () => T): T {
    return readEverywhere(this.model.db, run);
  }

  /** The cursor's key, checked against the shape this query gives (a log position is a safe integer ≥ 0). */
  private cursorKey(cursor: string | undefined, shape: readonly ('position' | 'text')[]): (string | number)[] | null {
    const key = decodeCursor(cursor);
    if (cursor === undefined || cursor === '') return null;
    const fits =
      key !== null &&
      key.length === shape.length &&
      key.every((part, i) => (shape[i] === 'text' ? typeof part === 'string' : typeof part === 'number' && Number.isSafeInteger(part) && part >= -1));
    if (!fits) throw new InvalidCursorError('the cursor is not one this query gave');
    return key;
  }

}

function positionAfter(key: (string | number)[] | null): bigint[] {
  const [position, idx] = key === null ? [0, -1] : [Number(key[0]), Number(key[1])];
  return [BigInt(position), BigInt(position), BigInt(idx)];
}

function page(rows: Row[] | Everywhere, limit: number, position: number, keyOf: (row: Row) => (string | number)[]): Page<Row> {
  const found = Array.isArray(rows) ? { rows, rowSources: rows.map((): DataSource => 'hot') } : rows;
  const items = found.rows.slice(0, limit);
  const last = items[items.length - 1];
  const shown = new Set(found.rowSources.slice(0, limit));
  return { items, nextCursor: found.rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null, position, sources: sourcesOf(shown.has('hot') || shown.size === 0, shown.has('archive')) };
}

const legKey = (row: Row) => [row.position, row.idx];
const claimKey = (row: Row) => [row.order_no];

/** The sources of an answer: the hot read models unless it came from the archive alone. */
function sourcesOf(hot: boolean, archive: boolean): DataSource[] {
  return archive ? (hot ? ['hot', 'archive'] : ['archive']) : ['hot'];
}

/** A lineage is walked at most this many transfers each way (a chain longer than that is cut). */
export const lineageDepthMax = 1_000;
