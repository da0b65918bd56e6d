import { daysBetween, earlierOf, type BusinessDate } from '../../calendar/business-date.js';
import type { CapitalProperty } from '../capital.js';
import type { Claim } from '../claim.js';
import { claimOrderNoOf } from '../claim.js';
import type { HeldPiece, ReservationPiece } from '../pool/pool.js';
import type { DisbursementItem, MatchingWalk } from './loan.js';

/**
 * A claim transfer (债转) under way in its loan: a live claim of a redeeming investment moves
 * to other capital of the pool. The loan walks the shards for capital as matching does (same
 * priority, same oldest-first), under its own reservation key, so the shards keep these
 * reservations apart from the loan's original ones. When the reserved capital covers the
 * claim's outstanding principal, the bank is asked first to move the new holders' depository
 * money to the old holder (a transfer batch; items from an account to itself move nothing at
 * the bank and are left out of it). Only on the bank's success does one event switch the
 * holders: the old claim finishes as transferred, new claims (lastOrderNo = the old one,
 * transferred set) take its place, and the pool's money pays the old holder — so the ledger
 * never pays out what the bank did not move. A batch the bank declines fails the transfer: its
 * reservations are released and the redemption's next round starts another (it walks again).
 * While a batch is out, the loan refuses payments (claim_transfer_in_progress): the bank moved
 * the claim's outstanding principal as it was when the batch went out. Because the switch is
 * one event of the loan actor, which also decides every repayment, a repayment is split over
 * exactly one set of holders.
 */
export interface ClaimTransfer {
  readonly transferNo: number;
  /** The shards' reservation key of this transfer (it stands where a loan id stands for matching). */
  readonly key: string;
  readonly claimOrderNo: string;
  readonly investmentId: string;
  /** The redemption that asked for it, and the actor told of its progress. */
  readonly redemptionId: string;
  readonly origin: string | null;
  /** The old holder: paid the outstanding principal at the switch. */
  readonly payee: string;
  /** The claim's outstanding principal when the transfer started. */
  readonly amount: bigint;
  readonly pieces: readonly ReservationPiece[];
  readonly walk: MatchingWalk | null;
  readonly nextRequestNo: number;
  readonly rescanRequested: boolean;
  /**
   * reserving: walking the shards · waiting: the pool lacks capital, woken by the waiting
   * book · deferred: covered, but a repayment is under way (its split names the holders of
   * its decision), so the switch waits for its end · settling: covered, the bank's transfer
   * batch is out · transferred · dropped (the claim ended otherwise meanwhile) · failed (the
   * bank declined the batch: nothing moved, the reservations released).
   */
  readonly stage: 'reserving' | 'waiting' | 'deferred' | 'settling' | 'transferred' | 'dropped' | 'failed';
  /** Principal claims pay the old holder's wallet; interest claims their interest pool (flow 14). */
  readonly property: CapitalProperty;
  /** The business date the switch was deferred on. */
  readonly deferredOn: BusinessDate | null;
  /** The business date the bank's batch went out: the new claims' date when the switch happens. */
  readonly sentOn: BusinessDate | null;
  /** What the switch paid the old holder (0 until transferred). */
  readonly paid: bigint;
}

export function transferKeyOf(loanId: string, transferNo: number): string {
  return `${loanId}~x${transferNo}`;
}

/** The loan a reservation key belongs to: a loan id, or a transfer key of it. */
export function loanIdOfReservationKey(key: string): string {
  const cut = key.indexOf('~x');
  return cut < 0 ? key : key.slice(0, cut);
}

/** Ids of the money moves of a switch: derived from the loan and the transfer number, so a redelivery dedupes. */
export const claimTransferTransferId = (loanId: string, transferNo: number) => `sys.xfer.${loanId}.${transferNo}`;
export const claimTransferOrderNo = (loanId: string, transferNo: number) => `xfer-${loanId}-${transferNo}`;

/**
 * Principal the claim's holder is still owed: what repayments left of a live claim; a
 * finished or failed claim is owed nothing.
 */
export function principalOutstandingOf(claim: Claim): bigint {
  return claim.status === 'matched' ? claim.principalOutstanding : 0n;
}

export function isTransferOpen(transfer: ClaimTransfer): boolean {
  return transfer.stage === 'reserving' || transfer.stage === 'waiting' || transfer.stage === 'deferred' || transfer.stage === 'settling';
}

/**
 * The bank's transfer batch of a switch: each new holder's depository money to the old holder.
 * A piece of the old holder's own capital (another investment of the same investor) moves
 * nothing at the bank — one depository account per investor — so it has no item; a bank
 * refuses an item whose sender and receiver are one account, and with it the whole batch.
 */
export function bankItemsOfSwitch(taken: readonly ReservationPiece[], newClaims: readonly Claim[], payee: string): DisbursementItem[] {
  const items: DisbursementItem[] = [];
  for (const [i, piece] of taken.entries()) {
    if (piece.investor === payee) continue;
    items.push({ ref: newClaims[i]?.orderNo ?? piece.capitalId, from: piece.investor, to: payee, amount: piece.amount });
  }
  return items;
}

export function reservedOfTransfer(transfer: ClaimTransfer): bigint {
  return transfer.pieces.reduce((sum, piece) => sum + piece.amount, 0n);
}

/**
 * The switch: the reserved pieces, in the order reserved, cover `outstanding` (a repayment
 * during the walk may have lowered it below what was reserved); the rest is released.
 * Pieces with nothing confirmed become no claim.
 */
export function cutPieces(pieces: readonly ReservationPiece[], outstanding: bigint): { taken: ReservationPiece[]; released: HeldPiece[] } {
  const taken: ReservationPiece[] = [];
  const released: HeldPiece[] = [];
  let left = outstanding;
  for (const piece of pieces) {
    const take = piece.amount < left ? piece.amount : left;
    left -= take;
    if (take > 0n) taken.push({ ...piece, amount: take });
    if (take < piece.amount) released.push({ capitalId: piece.capitalId, amount: piece.amount - take });
  }
  return { taken, released };
}

/** The claims that replace `old`: one per piece taken, numbered after the loan's last claim. */
export function newClaimsOf(old: Claim, taken: readonly ReservationPiece[], firstIndex: number, on: BusinessDate): Claim[] {
  return taken.map((piece, i) => ({
    ...old,
    orderNo: claimOrderNoOf(old.loanId, firstIndex + i),
    investmentId: piece.investmentId,
    capitalId: piece.capitalId,
    shard: piece.shard,
    investor: piece.investor,
    amount: piece.amount,
    principalOutstanding: piece.amount,
    days: old.loanRepayDate === null ? old.days : Math.max(0, daysBetween(on, earlierOf(piece.investRepayDate, old.loanRepayDate))),
    property: piece.property,
    source: piece.source,
    status: 'matched',
    finishReason: null,
    investRepayDate: piece.investRepayDate,
    lastOrderNo: old.orderNo,
    transferred: true,
    createdOn: on,
  }));
}

/** Per shard, what a switch confirms (becomes matched) and releases of the transfer's reservations. */
export interface ShardSettlement {
  readonly shard: number;
  readonly confirmed: readonly HeldPiece[];
}

export function settlementsOf(pieces: readonly ReservationPiece[], taken: readonly ReservationPiece[]): ShardSettlement[] {
  const shards = [...new Set(pieces.map((piece) => piece.shard))].sort((a, b) => a - b);
  return shards.map((shard) => ({ shard, confirmed: merged(taken.filter((piece) => piece.shard === shard)) }));
}

/** A capital reserved twice by one transfer (two walks) is one held amount in its shard. */
function merged(pieces: readonly ReservationPiece[]): HeldPiece[] {
  const byCapital = new Map<string, bigint>();
  for (const piece of pieces) byCapital.set(piece.capitalId, (byCapital.get(piece.capitalId) ?? 0n) + piece.amount);
  return [...byCapital].map(([capitalId, amount]) => ({ capitalId, amount }));
}
