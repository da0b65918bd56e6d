import type { BankItem } from '../../core/bank/bank-order.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';

/** One booked movement on one depository account: a line of the statement. */
export interface StatementEntry {
  readonly seq: number;
  readonly bookingDate: BusinessDate;
  readonly orderNo: string;
  readonly kind: string;
  /** The item's reference (a claim's order no), or the order no. */
  readonly ref: string;
  readonly account: string;
  readonly direction: 'credit' | 'debit';
  readonly amount: bigint;
  readonly bankTxnId: string;
}

export interface SimAccount {
  readonly id: string;
  readonly openedOn: BusinessDate;
  balance: bigint;
}

/** A booking the bank refuses: why (a failed order's code). */
export type BookingRefusal = 'account_not_opened' | 'insufficient_balance' | 'same_account' | 'original_not_found' | 'refund_exceeds_original';

/**
 * The simulated bank's own books: depository accounts, their balances, and every entry.
 * Money enters by deposits and leaves by withdrawals (the outside world); batches move it
 * between accounts. A batch is all or nothing.
 */
export class BankBooks {
  readonly accounts = new Map<string, SimAccount>();
  readonly entries: StatementEntry[] = [];
  /** What changed since the last `takeChanges` (for a store that keeps the books on disk). */
  private readonly touched = new Set<string>();
  private entriesTaken = 0;

  constructor(private readonly strict: () => boolean) {}

  /** The books as a store kept them. */
  restore(accounts: readonly SimAccount[], entries: readonly StatementEntry[]): void {
    for (const account of accounts) this.accounts.set(account.id, { ...account });
    this.entries.push(...entries);
    this.entriesTaken = this.entries.length;
  }

  /** The accounts touched and the entries booked since the last call. */
  takeChanges(): { accounts: SimAccount[]; entries: StatementEntry[] } {
    const accounts = [...this.touched].map((id) => this.accounts.get(id) as SimAccount);
    const entries = this.entries.slice(this.entriesTaken);
    this.touched.clear();
    this.entriesTaken = this.entries.length;
    return { accounts, entries };
  }

  /** Opening an open account again succeeds (it stays as it is). */
  open(account: string, on: BusinessDate): BookingRefusal | null {
    if (this.accounts.has(account)) return null;
    this.accounts.set(account, { id: account, openedOn: on, balance: 0n });
    this.touched.add(account);
    return null;
  }

  deposit(account: string, amount: bigint, on: BusinessDate, orderNo: string, bankTxnId: string): BookingRefusal | null {
    const target = this.account(account, on);
    if (target === null) return 'account_not_opened';
    target.balance += amount;
    this.book(on, orderNo, 'deposit', orderNo, account, 'credit', amount, bankTxnId);
    return null;
  }

  /** Out to the card; a fee, when charged, from the account to the platform's (its own instruction, `fee`). */
  withdraw(account: string, amount: bigint, on: BusinessDate, orderNo: string, bankTxnId: string, fee: { readonly amount: bigint; readonly account: string } | null = null): BookingRefusal | null {
    const source = this.account(account, on);
    if (source === null) return 'account_not_opened';
    const feeTo = fee === null ? null : this.account(fee.account, on);
    if (fee !== null && feeTo === null) return 'account_not_opened';
    if (this.strict() && source.balance < amount + (fee?.amount ?? 0n)) return 'insufficient_balance';
    source.balance -= amount;
    this.book(on, orderNo, 'withdrawal', orderNo, account, 'debit', amount, bankTxnId);
    if (fee !== null && feeTo !== null) {
      source.balance -= fee.amount;
      feeTo.balance += fee.amount;
      this.book(on, orderNo, 'withdrawal', 'fee', account, 'debit', fee.amount, bankTxnId);
      this.book(on, orderNo, 'withdrawal', 'fee', fee.account, 'credit', fee.amount, bankTxnId);
    }
    return null;
  }

  /**
   * Back to the card or channel a deposit came from (原路退回): the deposit must be this
   * account's, and what is refunded of it never exceeds what it brought in.
   */
  refund(account: string, amount: bigint, on: BusinessDate, orderNo: string, bankTxnId: string, original: string): BookingRefusal | null {
    const deposit = this.entries.find((entry) => entry.orderNo === original && entry.kind === 'deposit');
    if (deposit === undefined || deposit.account !== account) return 'original_not_found';
    const refunded = this.entries.reduce((sum, entry) => (entry.kind === 'refund' && entry.ref === original ? sum + entry.amount : sum), 0n);
    if (refunded + amount > deposit.amount) return 'refund_exceeds_original';
    const source = this.account(account, on);
    if (source === null) return 'account_not_opened';
    if (this.strict() && source.balance < amount) return 'insufficient_balance';
    source.balance -= amount;
    this.book(on, orderNo, 'refund', original, account, 'debit', amount, bankTxnId);
    return null;
  }

  batch(kind: string, items: readonly BankItem[], on: BusinessDate, orderNo: string, bankTxnId: string): BookingRefusal | null {
    const needed = new Map<string, bigint>();
    for (const item of items) {
      // As banks do: an item from an account to itself is malformed, and it refuses the whole batch.
      if (item.from === item.to) return 'same_account';
      if (this.account(item.from, on) === null || this.account(item.to, on) === null) return 'account_not_opened';
      needed.set(item.from, (needed.get(item.from) ?? 0n) + item.amount);
    }
    if (this.strict()) {
      for (const [account, amount] of needed) if ((this.accounts.get(account)?.balance ?? 0n) < amount) return 'insufficient_balance';
    }
    for (const item of items) {
      (this.accounts.get(item.from) as SimAccount).balance -= item.amount;
      (this.accounts.get(item.to) as SimAccount).balance += item.amount;
      this.book(on, orderNo, kind, item.ref, item.from, 'debit', item.amount, bankTxnId);
      this.book(on, orderNo, kind, item.ref, item.to, 'credit', item.amount, bankTxnId);
    }
    return null;
  }

  /** Without strict books, an unknown account is opened on first use. */
  private account(id: string, on: BusinessDate): SimAccount | null {
    const existing = this.accounts.get(id);
    if (existing !== undefined) return existing;
    if (this.strict()) return null;
    const opened = { id, openedOn: on, balance: 0n };
    this.accounts.set(id, opened);
    this.touched.add(id);
    return opened;
  }

  private book(bookingDate: BusinessDate, orderNo: string, kind: string, ref: string, account: string, direction: 'credit' | 'debit', amount: bigint, bankTxnId: string): void {
    this.entries.push({ seq: this.entries.length + 1, bookingDate, orderNo, kind, ref, account, direction, amount, bankTxnId });
    this.touched.add(account);
  }
}
