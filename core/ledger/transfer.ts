import type { Currency } from '../money/currency.js';
import { plainNature, type Nature, type NatureSplit } from './nature.js';

export type TransferStatus = 'pending' | 'posted' | 'voided' | 'returned' | 'rejected';

/** What a client asked for: two transfer commands with the same id must carry the same content. */
export interface TransferContent {
  readonly debit: string;
  readonly credit: string;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly timeoutMs: number | null;
  readonly memo: string | null;
  /** The nature the money takes in a wallet that keeps natures; absent: withdrawable. */
  readonly nature?: Nature;
  /**
   * The natures a debit of a wallet may draw, in order: its operation's payment strategy, set by
   * the service that debits (absent: withdrawable alone). Policy, not content: a retry under
   * another configuration is the same transfer.
   */
  readonly draw?: readonly Nature[];
}

/**
 * The debit side's record of a transfer: its content, and what became of it.
 * Written by the debit account alone (one writer), in the same commit as the event.
 */
export interface TransferRecord extends TransferContent {
  readonly id: string;
  readonly currency: Currency;
  readonly status: TransferStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** For a pending transfer with a timeout: when it voids itself. */
  readonly expiresAt: number | null;
  /** For a posted pending transfer: how much was posted (the rest went back to available). */
  readonly postedAmount: bigint | null;
  /** For a voided pending transfer. */
  readonly voidReason: 'voided' | 'expired' | null;
  /** For a reversal: the id of the transfer it reverses. */
  readonly reverses: string | null;
  /** For a rejected command: the first answer, kept so a retry gets it again. */
  readonly rejection: { readonly code: string; readonly detail: string } | null;
  /** For a returned transfer: why the credit side refused the money. */
  readonly returnCode: string | null;
  /** The sub-account of a hot debit account that holds this transfer (null: a plain account). */
  readonly debitPart: number | null;
  /** The sub-account of a hot credit account the money goes to (null: a plain account). */
  readonly creditPart: number | null;
  /** What a wallet that keeps natures gave, per nature (of a posted hold: the part posted). */
  readonly drawn?: NatureSplit;
  /** Of a reversal: the natures the original drew, which its credit gives back. */
  readonly restores?: NatureSplit;
}

/** The credit side's record: money received for a transfer (or from a sibling). Written by the credit account alone. */
export interface CreditRecord {
  readonly transferId: string;
  readonly account: string;
  readonly debit: string;
  readonly amount: bigint;
  readonly currency: Currency;
  readonly reverses: string | null;
  readonly creditedAt: number;
  /** What the money became in a wallet that keeps natures, per nature. */
  readonly natures?: NatureSplit;
}

export function sameContent(record: TransferContent, content: TransferContent): boolean {
  return (
    record.debit === content.debit &&
    record.credit === content.credit &&
    record.amount === content.amount &&
    record.pending === content.pending &&
    record.timeoutMs === content.timeoutMs &&
    record.memo === content.memo &&
    (record.nature ?? plainNature) === (content.nature ?? plainNature)
  );
}

/** The amount that actually moved to the credit side (or is on its way). */
export function movedAmountOf(record: TransferRecord): bigint {
  return record.pending ? (record.postedAmount ?? 0n) : record.amount;
}

/** The id of the reversal of `transferId`: derived, so a transfer can be reversed at most once. */
export function reversalIdOf(transferId: string): string {
  return `${transferId}~reversal`;
}

/** Internal moves between sub-accounts of one hot account carry ids no client id can take. */
export function siblingMoveId(releaseId: string): string {
  return `~sib:${releaseId}`;
}

/** The move of a sealed part's balance in a close's round: one per part and round, so a redelivery is received once. */
export function settlementMoveId(closeNo: number, round: number, fromSubIndex: number): string {
  return `~close:${closeNo}.${round}.${fromSubIndex}`;
}
