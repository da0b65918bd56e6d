import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BankItem } from '../../core/bank/bank-order.js';
import { defaultCurrency, isCurrency, type Currency } from '../../core/money/currency.js';
import type { SimAccount, StatementEntry } from './books.js';
import type { SimRequest } from './requests.js';

/** An order as the simulator keeps it (its request parsed, its fate once completed). */
export interface SimOrder {
  readonly request: SimRequest;
  notifyUrl: string;
  status: 'processing' | 'succeeded' | 'failed';
  code: string | null;
  detail: string | null;
  bankTxnId: string | null;
  completedAt: string | null;
  submissions: number;
  callbacksAcknowledged: number;
}

/** What the store gives back at start: the books and the orders as they were last committed. */
export interface StoredBank {
  readonly accounts: SimAccount[];
  readonly entries: StatementEntry[];
  readonly orders: SimOrder[];
  readonly txnSeq: number;
}

const schema = `
  CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, opened_on TEXT NOT NULL, balance TEXT NOT NULL, currency TEXT NOT NULL DEFAULT 'CNY');
  CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, booking_date TEXT NOT NULL, order_no TEXT NOT NULL, kind TEXT NOT NULL,
    ref TEXT NOT NULL, account TEXT NOT NULL, direction TEXT NOT NULL, amount TEXT NOT NULL, bank_txn_id TEXT NOT NULL, currency TEXT NOT NULL DEFAULT 'CNY');
  CREATE TABLE IF NOT EXISTS orders (order_no TEXT PRIMARY KEY, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Books written before accounts had a currency: every account and entry was CNY, which the column's default says. */
function addCurrencyColumns(db: Database.Database): void {
  for (const table of ['accounts', 'entries']) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!columns.some((column) => column.name === 'currency')) db.exec(`ALTER TABLE ${table} ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY'`);
  }
}

const currencyOf = (text: string): Currency => (isCurrency(text) ? text : defaultCurrency);

const withBigints = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

function orderOf(body: string): SimOrder {
  const stored = JSON.parse(body) as SimOrder & { request: { amount: string | null; items: Array<Omit<BankItem, 'amount'> & { amount: string }> } };
  const items = stored.request.items.map((item) => ({ ...item, amount: BigInt(item.amount) }));
  const amount = stored.request.amount === null ? null : BigInt(stored.request.amount);
  // An order stored before requests had a currency was in CNY.
  const currency = currencyOf((stored.request as { currency?: string }).currency ?? defaultCurrency);
  // Every amount was written as a string: a fee's and a conversion's too.
  const { fee, conversion } = stored.request as { fee?: { amount: string; account: string }; conversion?: { toAccount: string; toAmount: string; toCurrency: string; rate: string } };
  const restored = {
    ...(fee === undefined ? {} : { fee: { ...fee, amount: BigInt(fee.amount) } }),
    ...(conversion === undefined ? {} : { conversion: { ...conversion, toAmount: BigInt(conversion.toAmount), toCurrency: currencyOf(conversion.toCurrency) } }),
  };
  return { ...stored, request: { ...stored.request, currency, amount, items, ...restored } };
}

/**
 * The simulated bank's books and orders in SQLite, so a bank that restarts (the one `npm start` runs in process,
 * under DATA_DIR) still knows the accounts it opened. Every write is one transaction, on disk (synchronous=FULL)
 * before the bank answers or calls back.
 */
export class BankStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(schema);
    addCurrencyColumns(this.db);
  }

  load(): StoredBank {
    const accounts = (this.db.prepare('SELECT id, opened_on, balance, currency FROM accounts').all() as Array<{ id: string; opened_on: string; balance: string; currency: string }>).map((row) => ({
      id: row.id,
      openedOn: row.opened_on,
      currency: currencyOf(row.currency),
      balance: BigInt(row.balance),
    }));
    type EntryRow = { seq: number; booking_date: string; order_no: string; kind: string; ref: string; account: string; direction: 'credit' | 'debit'; amount: string; bank_txn_id: string; currency: string };
    const entries = (this.db.prepare('SELECT * FROM entries ORDER BY seq').all() as EntryRow[]).map((row) => ({
      seq: row.seq,
      bookingDate: row.booking_date,
      orderNo: row.order_no,
      kind: row.kind,
      ref: row.ref,
      account: row.account,
      direction: row.direction,
      amount: BigInt(row.amount),
      currency: currencyOf(row.currency),
      bankTxnId: row.bank_txn_id,
    }));
    const orders = (this.db.prepare('SELECT body FROM orders ORDER BY rowid').all() as Array<{ body: string }>).map((row) => orderOf(row.body));
    const seq = this.db.prepare("SELECT value FROM meta WHERE key = 'txn_seq'").get() as { value: string } | undefined;
    return { accounts, entries, orders, txnSeq: seq === undefined ? 0 : Number(seq.value) };
  }

  /** An order as it stands now (accepted, resubmitted or completed), with what its booking changed, in one transaction. */
  saveOrder(order: SimOrder, accounts: readonly SimAccount[] = [], entries: readonly StatementEntry[] = [], txnSeq?: number): void {
    const putAccount = this.db.prepare('INSERT OR REPLACE INTO accounts (id, opened_on, balance, currency) VALUES (?, ?, ?, ?)');
    const putEntry = this.db.prepare('INSERT INTO entries (seq, booking_date, order_no, kind, ref, account, direction, amount, bank_txn_id, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO orders (order_no, body) VALUES (?, ?)').run(order.request.orderNo, withBigints(order));
      for (const a of accounts) putAccount.run(a.id, a.openedOn, a.balance.toString(), a.currency);
      for (const e of entries) putEntry.run(e.seq, e.bookingDate, e.orderNo, e.kind, e.ref, e.account, e.direction, e.amount.toString(), e.bankTxnId, e.currency);
      if (txnSeq !== undefined) this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('txn_seq', ?)").run(String(txnSeq));
    })();
  }

  close(): void {
    this.db.close();
  }
}
