import { parseAmount } from '../../core/money/amount.js';
import { reversalIdOf } from '../../core/ledger/transfer.js';

/**
 * A reference model of the ledger (the "auditor"): a plain synchronous bookkeeper that
 * predicts the outcome of every command, written independently of core/ledger. It assumes
 * credits land before the next command (the property test waits for quiescence).
 */
interface ModelAccount {
  readonly overdraft: boolean;
  readonly kind: string;
  balance: bigint;
  held: bigint;
  holds: Set<string>;
  closed: boolean;
}

interface ModelTransfer {
  readonly key: string;
  readonly debit: string;
  readonly credit: string;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly expiresAt: number | null;
  readonly isReversal: boolean;
  status: 'pending' | 'posted' | 'voided' | 'expired' | 'returned' | 'rejected';
  code: string | null;
  moved: bigint;
}

export type Outcome = 'ok' | string;

export class LedgerModel {
  readonly accounts = new Map<string, ModelAccount>();
  readonly transfers = new Map<string, ModelTransfer>();
  private readonly reversed = new Set<string>();
  now: number;

  constructor(now: number) {
    this.now = now;
  }

  open(id: string, kind: string, overdraft: boolean): Outcome {
    const existing = this.accounts.get(id);
    if (existing !== undefined) return existing.kind === kind && existing.overdraft === overdraft ? 'ok' : 'id_reused_with_different_content';
    this.accounts.set(id, { overdraft, kind, balance: 0n, held: 0n, holds: new Set(), closed: false });
    return 'ok';
  }

  /** Would this transfer command repeat one already taken (same id, same content)? */
  isDuplicateTransfer(id: string, debit: string, credit: string, amountText: string, pending: boolean, timeoutMs: number | null): boolean {
    const parsed = parseAmount(amountText, 'CNY');
    if (!parsed.ok || !this.accounts.has(debit)) return false;
    return this.transfers.get(id)?.key === JSON.stringify([debit, credit, parsed.minor.toString(), pending, timeoutMs]);
  }

  transfer(id: string, debit: string, credit: string, amountText: string, pending: boolean, timeoutMs: number | null): Outcome {
    const from = this.accounts.get(debit);
    if (from === undefined) return 'debit_account_not_found';
    const parsed = parseAmount(amountText, 'CNY');
    if (!parsed.ok) return parsed.code;
    const amount = parsed.minor;
    const key = JSON.stringify([debit, credit, amount.toString(), pending, timeoutMs]);
    const existing = this.transfers.get(id);
    if (existing !== undefined) {
      if (existing.key !== key) return 'id_reused_with_different_content';
      return existing.status === 'rejected' ? (existing.code ?? 'rejected') : 'ok';
    }
    if (debit === credit) return 'accounts_must_be_different';
    if (timeoutMs !== null && !pending) return 'timeout_requires_pending';
    const to = this.accounts.get(credit);
    const refusal =
      to === undefined
        ? 'credit_account_not_found'
        : from.closed
          ? 'debit_account_closed'
          : to.closed
            ? 'credit_account_closed'
            : !from.overdraft && from.balance - from.held < amount
              ? 'insufficient_funds'
              : null;
    const record: ModelTransfer = {
      key,
      debit,
      credit,
      amount,
      pending,
      expiresAt: pending && timeoutMs !== null ? this.now + timeoutMs : null,
      isReversal: false,
      status: refusal !== null ? 'rejected' : pending ? 'pending' : 'posted',
      code: refusal,
      moved: 0n,
    };
    this.transfers.set(id, record);
    if (refusal !== null) return refusal;
    if (pending) {
      from.held += amount;
      from.holds.add(id);
    } else {
      this.move(record, amount);
    }
    return 'ok';
  }

  post(id: string, amountText: string | null): Outcome {
    const t = this.live(id);
    if (t === undefined) return 'transfer_not_found';
    let amount: bigint | null = null;
    if (amountText !== null) {
      const parsed = parseAmount(amountText, 'CNY');
      if (!parsed.ok) return parsed.code;
      amount = parsed.minor;
    }
    if (!t.pending) return 'transfer_not_pending';
    if (t.status === 'posted' || t.status === 'returned') return amount === null || amount === t.moved ? 'ok' : 'pending_transfer_already_posted';
    if (t.status === 'expired') return 'pending_transfer_expired';
    if (t.status === 'voided') return 'pending_transfer_already_voided';
    const posted = amount ?? t.amount;
    if (posted > t.amount) return 'exceeds_pending_transfer_amount';
    this.release(t, id);
    this.move(t, posted);
    return 'ok';
  }

  void(id: string): Outcome {
    const t = this.live(id);
    if (t === undefined) return 'transfer_not_found';
    if (!t.pending) return 'transfer_not_pending';
    if (t.status === 'posted' || t.status === 'returned') return 'pending_transfer_already_posted';
    if (t.status === 'voided') return 'ok';
    if (t.status === 'expired') return 'pending_transfer_expired';
    this.release(t, id);
    t.status = 'voided';
    return 'ok';
  }

  reverse(id: string): Outcome {
    const t = this.live(id);
    if (t === undefined) return 'transfer_not_found';
    if (this.reversed.has(id)) return 'ok';
    if (t.isReversal) return 'cannot_reverse_a_reversal';
    if (t.status !== 'posted') return 'transfer_not_posted';
    const from = this.accounts.get(t.credit) as ModelAccount;
    const to = this.accounts.get(t.debit) as ModelAccount;
    if (from.closed) return 'debit_account_closed';
    if (to.closed) return 'credit_account_closed';
    if (!from.overdraft && from.balance - from.held < t.moved) return 'insufficient_funds';
    const reversal: ModelTransfer = {
      key: 'reversal',
      debit: t.credit,
      credit: t.debit,
      amount: t.moved,
      pending: false,
      expiresAt: null,
      isReversal: true,
      status: 'posted',
      code: null,
      moved: 0n,
    };
    this.transfers.set(reversalIdOf(id), reversal);
    this.reversed.add(id);
    this.move(reversal, t.moved);
    return 'ok';
  }

  close(id: string): Outcome {
    const account = this.accounts.get(id);
    if (account === undefined) return 'account_not_found';
    if (account.closed) return 'ok';
    if (account.holds.size > 0) return 'account_has_pending_transfers';
    if (account.balance !== 0n) return 'account_balance_not_zero';
    account.closed = true;
    return 'ok';
  }

  /** Time passes: holds whose timeout is due void themselves. */
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of this.transfers) {
      if (t.status === 'pending' && t.expiresAt !== null && t.expiresAt <= this.now) {
        this.release(t, id);
        t.status = 'expired';
      }
    }
  }

  balance(id: string): bigint {
    return this.accounts.get(id)?.balance ?? 0n;
  }

  private live(id: string): ModelTransfer | undefined {
    const t = this.transfers.get(id);
    return t === undefined || t.status === 'rejected' ? undefined : t;
  }

  private release(t: ModelTransfer, id: string): void {
    const from = this.accounts.get(t.debit) as ModelAccount;
    from.held -= t.amount;
    from.holds.delete(id);
  }

  /** The debit happens; the credit lands, or is refused (closed account) and returned. */
  private move(t: ModelTransfer, amount: bigint): void {
    const from = this.accounts.get(t.debit) as ModelAccount;
    const to = this.accounts.get(t.credit) as ModelAccount;
    t.moved = amount;
    t.status = 'posted';
    if (to.closed) {
      t.status = 'returned';
      return;
    }
    from.balance -= amount;
    to.balance += amount;
  }
}
