import type { BankItem } from '../../core/bank/bank-order.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import { defaultCurrency, type Currency } from '../../core/money/currency.js';

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
  /** In minor units of `currency`, the account's. */
  readonly amount: bigint;
  readonly currency: Currency;
  readonly bankTxnId: string;
}

/** A depository account: it books one currency, fixed when it is opened; its balance is in minor units of it. */
export interface SimAccount {
  readonly id: string;
  readonly openedOn: BusinessDate;
  readonly currency: Currency;
  balance: bigint;
}

/** A booking the bank refuses: why (a failed order's code). */
export type BookingRefusal = 'account_not_opened' | 'insufficient_balance' | 'same_account' | 'original_not_found' | 'refund_exceeds_original' | 'currency_mismatch';

/**
 * The simulated bank's own books: depository accounts, their balances, and every entry.
 * Money enters by deposits and leaves by withdrawals (the outside world); batches move it
 * between accounts. A batch is all or nothing. Each account books one currency and each
 * order is in one: an order naming an account of another currency is refused whole
 * (`currency_mismatch`), so money never changes currency here and balances never net across currencies.
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

  /** Opening an open account again succeeds (it stays as it is) in its own currency; in another it is currency_mismatch. */
  open(account: string, on: BusinessDate, currency: Currency = defaultCurrency): BookingRefusal | null {
    const existing = this.accounts.get(account);
    if (existing !== undefined) return existing.currency === currency ? null : 'currency_mismatch';
    this.accounts.set(account, { id: account, openedOn: on, currency, balance: 0n });
    this.touched.add(account);
    return null;
  }

  deposit(account: string, amount: bigint, on: BusinessDate, orderNo: string, bankTxnId: string, currency: Currency = defaultCurrency): BookingRefusal | null {
    const target = this.booking(account, on, currency);
    if (typeof target === 'string') return target;
    target.balance += amount;
    this.book(on, orderNo, 'deposit', orderNo, target, 'credit', amount, bankTxnId);
    return null;
  }

  /** Out to the card; a fee, when charged, from the account to the platform's (its own instruction, `fee`), in the same currency. */
  withdraw(account: string, amount: bigint, on: BusinessDate, orderNo: string, bankTxnId: string, fee: { readonly amount: bigint; readonly account: string } | null = null, currency: Currency = defaultCurrency): BookingRefusal | null {
    const source = this.booking(account, on, currency);
    if (typeof source === 'string') return source;
    const feeTo = fee === null ? null : this.booking(fee.account, on, currency);
    if (typeof feeTo === 'string') return feeTo;
    if (this.strict() && source.balance < amount + (fee?.amount ?? 0n)) return 'insufficient_balance';
    source.balance -= amount;
    this.book(on, orderNo, 'withdrawal', orderNo, source, 'debit', amount, bankTxnId);
    if (fee !== null && feeTo !== null) {
      source.balance -= fee.amount;
      feeTo.balance += fee.amount;
      this.book(on, orderNo, 'withdrawal', 'fee', source, 'debit', fee.amount, bankTxnId);
      this.book(on, orderNo, 'withdrawal', 'fee', feeTo, 'credit', fee.amount, bankTxnId);
    }
    return null;
  }

  /**
   * Back to the card or channel a deposit came from (原路退回): the deposit must be this
   * account's, in the refund's currency, and what is refunded of it never exceeds what it brought in.
   */
  refund(account: string, amount: bigint, on: BusinessDate, orderNo: string, bankTxnId: string, original: string, currency: Currency = defaultCurrency): BookingRefusal | null {
    const deposit = this.entries.find((entry) => entry.orderNo === original && entry.kind === 'deposit');
    if (deposit === undefined || deposit.account !== account) return 'original_not_found';
    if (deposit.currency !== currency) return 'currency_mismatch';
    const refunded = this.entries.reduce((sum, entry) => (entry.kind === 'refund' && entry.ref === original ? sum + entry.amount : sum), 0n);
    if (refunded + amount > deposit.amount) return 'refund_exceeds_original';
    const source = this.booking(account, on, currency);
    if (typeof source === 'string') return source;
    if (this.strict() && source.balance < amount) return 'insufficient_balance';
    source.balance -= amount;
    this.book(on, orderNo, 'refund', original, source, 'debit', amount, bankTxnId);
    return null;
  }

  /**
   * A conversion, the bank being the dealer: `amount` leaves `account` in its currency and
   * `toAmount` enters `toAccount` in the other — two entries under one order, each in its
   * account's currency (the bank's own FX desk is not a depository account).
   */
  convert(account: string, amount: bigint, to: { readonly toAccount: string; readonly toAmount: bigint; readonly toCurrency: Currency }, on: BusinessDate, orderNo: string, bankTxnId: string, currency: Currency): BookingRefusal | null {
    const source = this.booking(account, on, currency);
    if (typeof source === 'string') return source;
    const target = this.booking(to.toAccount, on, to.toCurrency);
    if (typeof target === 'string') return target;
    if (this.strict() && source.balance < amount) return 'insufficient_balance';
    source.balance -= amount;
    target.balance += to.toAmount;
    this.book(on, orderNo, 'conversion', orderNo, source, 'debit', amount, bankTxnId);
    this.book(on, orderNo, 'conversion', orderNo, target, 'credit', to.toAmount, bankTxnId);
    return null;
  }

  /** Every item in the batch's currency: an account of another refuses the whole batch. */
  batch(kind: string, items: readonly BankItem[], on: BusinessDate, orderNo: string, bankTxnId: string, currency: Currency = defaultCurrency): BookingRefusal | null {
    const needed = new Map<string, bigint>();
    for (const item of items) {
      // As banks do: an item from an account to itself is malformed, and it refuses the whole batch.
      if (item.from === item.to) return 'same_account';
      for (const id of [item.from, item.to]) {
        const refusal = this.booking(id, on, currency);
        if (typeof refusal === 'string') return refusal;
      }
      needed.set(item.from, (needed.get(item.from) ?? 0n) + item.amount);
    }
    if (this.strict()) {
      for (const [account, amount] of needed) if ((this.accounts.get(account)?.balance ?? 0n) < amount) return 'insufficient_balance';
    }
    for (const item of items) {
      const [from, to] = [this.accounts.get(item.from) as SimAccount, this.accounts.get(item.to) as SimAccount];
      from.balance -= item.amount;
      to.balance += item.amount;
      this.book(on, orderNo, kind, item.ref, from, 'debit', item.amount, bankTxnId);
      this.book(on, orderNo, kind, item.ref, to, 'credit', item.amount, bankTxnId);
    }
    return null;
  }

  /** The account an order in `currency` books on, or why it cannot: not opened, or of another currency. */
  private booking(id: string, on: BusinessDate, currency: Currency): SimAccount | BookingRefusal {
    const account = this.account(id, on, currency);
    if (account === null) return 'account_not_opened';
    return account.currency === currency ? account : 'currency_mismatch';
  }

  /** Without strict books, an unknown account is opened on first use, in the currency of the order that uses it. */
  private account(id: string, on: BusinessDate, currency: Currency): SimAccount | null {
    const existing = this.accounts.get(id);
    if (existing !== undefined) return existing;
    if (this.strict()) return null;
    const opened = { id, openedOn: on, currency, balance: 0n };
    this.accounts.set(id, opened);
    this.touched.add(id);
    return opened;
  }

  private book(bookingDate: BusinessDate, orderNo: string, kind: string, ref: string, account: SimAccount, direction: 'credit' | 'debit', amount: bigint, bankTxnId: string): void {
    this.entries.push({ seq: this.entries.length + 1, bookingDate, orderNo, kind, ref, account: account.id, direction, amount, currency: account.currency, bankTxnId });
    this.touched.add(account.id);
  }
}
