import type { AccountInfo } from './account.js';
import type { CreditRecord, TransferRecord } from './transfer.js';

/**
 * Events of one account. Transfer events carry the whole updated record, so that the
 * transfer index is a pure function of the journal (rebuildable, and one writer per record).
 */
export type AccountEvent =
  | { readonly type: 'account_opened'; readonly data: { readonly account: AccountInfo } }
  | { readonly type: 'account_closed'; readonly data: { readonly closedAt: number } }
  /** A hot account's close sealed this sub-account (see AccountState.sealedBy). */
  | { readonly type: 'account_sealed'; readonly data: { readonly closeNo: number } }
  /** That close ended without closing the account: this sub-account takes money again. */
  | { readonly type: 'account_unsealed'; readonly data: { readonly closeNo: number } }
  /** An immediate transfer (or a reversal) left this account; its credit is now in flight. */
  | { readonly type: 'transfer_debited'; readonly data: { readonly transfer: TransferRecord } }
  /** A pending transfer: the amount is held (frozen) on this account. */
  | { readonly type: 'transfer_held'; readonly data: { readonly transfer: TransferRecord } }
  /** A hold was posted (all or part); the posted amount's credit is now in flight. */
  | { readonly type: 'pending_posted'; readonly data: { readonly transfer: TransferRecord } }
  /** A hold was released: voided by a client or expired by its timeout. */
  | { readonly type: 'pending_voided'; readonly data: { readonly transfer: TransferRecord } }
  /** An investment's debit was booked (in the same append): the wallet keeps its lien until its money comes back. */
  | { readonly type: 'investment_lien_placed'; readonly data: { readonly investmentId: string; readonly at: number } }
  /** The investment's redemption paid the wallet: the lien is gone. */
  | { readonly type: 'investment_lien_released'; readonly data: { readonly investmentId: string } }
  /** A transfer command was refused; kept so that the same id gets the same answer. */
  | { readonly type: 'transfer_rejected'; readonly data: { readonly transfer: TransferRecord } }
  /** Money arrived on this account. */
  | { readonly type: 'transfer_credited'; readonly data: { readonly credit: CreditRecord } }
  /** The credit side refused the money; it is back on this account. */
  | { readonly type: 'credit_returned'; readonly data: { readonly transfer: TransferRecord } }
  /**
   * A sub-account gave funds to a sibling (balancing); in flight until the sibling journals it.
   * A close's settlement moves a sealed part's whole balance, which for an account that may
   * overdraw can be negative: the part then takes what it owes from the sibling.
   */
  | { readonly type: 'sibling_sent'; readonly data: { readonly moveId: string; readonly toSubIndex: number; readonly amount: bigint } }
  /** A sub-account received funds from a sibling. */
  | { readonly type: 'sibling_received'; readonly data: { readonly credit: CreditRecord } }
  /** A buffering account posted the credits it held: one posting for many. */
  | { readonly type: 'credits_posted'; readonly data: { readonly credits: readonly CreditRecord[]; readonly total: bigint } };

export type AccountEventType = AccountEvent['type'];
