import type { Currency } from '../money/currency.js';

export type TransferStatus = 'pending' | 'posted' | 'voided' | 'returned' | 'rejected';

/** What a client asked for: two transfer commands with the same id must carry the same content. */
export interface TransferContent {
  readonly debit: string;
  readonly credit: string;
  readonly amount: bigint;
  readonly pending: boolean;
  readonly timeoutMs: number | null;
  readonly memo: string | null;
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
}

export function sameContent(record: TransferContent, content: TransferContent): boolean {
  return (
    record.debit === content.debit &&
    record.credit === content.credit &&
    record.amount === content.amount &&
    record.pending === content.pending &&
    record.timeoutMs === content.timeoutMs &&
    record.memo === content.memo
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
