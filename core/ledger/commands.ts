import type { AccountDirectoryEntry, AccountKind } from './account.js';
import type { Currency } from '../money/currency.js';
import type { Nature, NatureSplit } from './nature.js';
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
  | CloseAccount
  | ReleaseInvestmentLien
  | ReleaseToSibling
  | ReceiveFromSibling
  | PostBufferedCredits
  | SealAccount
  | UnsealAccount
  | SettleSealed
  | FindTransfer;

export interface OpenAccount {
  readonly type: 'open_account';
  readonly data: {
    readonly id: string;
    readonly kind: AccountKind;
    readonly currency: Currency;
    readonly overdraft: boolean;
    readonly subAccounts: number;
    readonly subIndex: number;
    readonly bufferCredits: boolean;
    readonly at: number;
  };
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
    /**
     * False on a sub-account's first try: lacking funds it answers sub_account_short (not
     * recorded) so that the ledger pulls from its siblings and tries again, finally.
     */
    readonly final: boolean;
    /** The investment this debit funds: booked, it places that investment's lien on the account (see AccountState.investmentLiens). */
    readonly lien?: string;
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
    /** The nature the money takes (absent: withdrawable). */
    readonly nature?: Nature;
    /**
     * The natures the money keeps, when its debit side kept them: what a wallet gave stays what
     * it was in another wallet, and a reversal gives back what its original drew.
     */
    readonly natures?: NatureSplit;
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
    /** As for create_transfer: false on a sub-account's first try. */
    readonly final: boolean;
  };
}

export interface CloseAccount {
  readonly type: 'close_account';
  readonly data: { readonly at: number };
}

/** The investment's money came back to the wallet (its redemption paid it): its lien goes. Delivered at least once. */
export interface ReleaseInvestmentLien {
  readonly type: 'release_investment_lien';
  readonly data: {
    readonly investmentId: string;
    readonly at: number;
    /** Of the transfers that paid it back, those whose credit this account has not taken yet (looked up by the actor). */
    readonly creditsPending: readonly string[];
  };
}

/** To a sibling sub-account of a hot account: give some of your available funds to sub-account `toSubIndex`. */
export interface ReleaseToSibling {
  readonly type: 'release_to_sibling';
  readonly data: { readonly releaseId: string; readonly toSubIndex: number; readonly need: bigint; readonly at: number };
}

/** Money from a sibling sub-account, delivered at least once. */
export interface ReceiveFromSibling {
  readonly type: 'receive_from_sibling';
  readonly data: {
    readonly moveId: string;
    readonly fromSubIndex: number;
    readonly amount: bigint;
    readonly at: number;
    readonly existing: CreditRecord | null;
  };
}

/**
 * What this (sub-)account recorded of a transfer, as the actor looked it up: as its debit side
 * the record, as its credit side the credit and the reversal. Read through the mailbox (after
 * every write the actor made before); decides nothing.
 */
export interface FindTransfer {
  readonly type: 'find_transfer';
  readonly data: { readonly transferId: string; readonly record: TransferRecord | null; readonly credit: CreditRecord | null; readonly reversedBy: string | null };
}

/** From a hot account's close (its number `closeNo`): stop taking money, and say what you hold. */
export interface SealAccount {
  readonly type: 'seal_account';
  readonly data: { readonly closeNo: number; readonly at: number };
}

/** The close `closeNo` ended without closing the account: take money again. */
export interface UnsealAccount {
  readonly type: 'unseal_account';
  readonly data: { readonly closeNo: number; readonly at: number };
}

/**
 * From the close `closeNo`, in its round `round`: move your whole balance (signed) to the
 * sibling `toSubIndex`, so that every part but that one holds zero.
 */
export interface SettleSealed {
  readonly type: 'settle_sealed';
  readonly data: { readonly closeNo: number; readonly round: number; readonly toSubIndex: number; readonly at: number };
}

/** A buffering (non-real-time) account posts the credits it holds, aggregated in one event. */
export interface PostBufferedCredits {
  readonly type: 'post_buffered_credits';
  readonly data: {
    readonly credits: readonly (CreditTransfer['data'] & { readonly existing: CreditRecord | null })[];
    readonly at: number;
  };
}
