import type { AccountDirectoryEntry, AccountKind } from './account.js';
import type { Currency } from '../money/currency.js';
import type { CreditRecord, TransferContent, TransferRecord } from './transfer.js';

/**
 * Commands to one account. Everything a decision depends on comes in with the command:
 * the time (`at`, epoch ms), and what the actor looked up for it (`existing` records,
 * the other account's directory entry). The decider itself reads nothing.
 */
export type AccountCommand =
  | OpenAccount
  | CreateTransfer
  | PostPending
  | VoidPending
  | ExpirePending
  | CreditTransfer
  | ReturnCredit
  | ReverseTransfer
  | CloseAccount;

export interface OpenAccount {
  readonly type: 'open_account';
  readonly data: { readonly id: string; readonly kind: AccountKind; readonly currency: Currency; readonly overdraft: boolean; readonly at: number };
}

/** Sent to the debit account. */
export interface CreateTransfer {
  readonly type: 'create_transfer';
  readonly data: {
    readonly id: string;
    readonly content: TransferContent;
    readonly at: number;
    /** The record already kept under this id, if any. */
    readonly existing: TransferRecord | null;
    /** The credit account's directory entry, or null when there is no such account. */
    readonly creditAccount: AccountDirectoryEntry | null;
  };
}

/** Sent to the debit account of a pending transfer. `amount` null posts the whole hold. */
export interface PostPending {
  readonly type: 'post_pending';
  readonly data: { readonly transferId: string; readonly amount: bigint | null; readonly at: number; readonly existing: TransferRecord | null };
}

export interface VoidPending {
  readonly type: 'void_pending';
  readonly data: { readonly transferId: string; readonly at: number; readonly existing: TransferRecord | null };
}

/** Sent by the account's own timer: void every hold whose timeout has passed. */
export interface ExpirePending {
  readonly type: 'expire_pending';
  readonly data: { readonly at: number };
}

/** Delivered (at least once) to the credit account after the debit side journaled its debit. */
export interface CreditTransfer {
  readonly type: 'credit_transfer';
  readonly data: {
    readonly transferId: string;
    readonly debit: string;
    readonly credit: string;
    readonly amount: bigint;
    readonly currency: Currency;
    readonly reverses: string | null;
    readonly at: number;
    readonly existing: CreditRecord | null;
  };
}

/** Delivered to the debit account when the credit side refused the money. */
export interface ReturnCredit {
  readonly type: 'return_credit';
  readonly data: { readonly transferId: string; readonly code: string; readonly at: number; readonly existing: TransferRecord | null };
}

/** Sent to the credit account of a posted transfer: moves the money back, at most once. */
export interface ReverseTransfer {
  readonly type: 'reverse_transfer';
  readonly data: {
    readonly transferId: string;
    readonly reversalId: string;
    readonly memo: string | null;
    readonly at: number;
    /** The original transfer's record as its debit side keeps it, or null when there is none. */
    readonly original: TransferRecord | null;
    /** This account's record of receiving the original transfer, if it has arrived. */
    readonly credit: CreditRecord | null;
    /** The record kept under the reversal's id, if the reversal already happened. */
    readonly existingReversal: TransferRecord | null;
    /** The original debit account (the reversal's credit side). */
    readonly originalDebitAccount: AccountDirectoryEntry | null;
  };
}

export interface CloseAccount {
  readonly type: 'close_account';
  readonly data: { readonly at: number };
}
