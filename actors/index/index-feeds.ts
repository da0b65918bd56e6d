import type { BankOrderEvent } from '../../core/bank/events.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import type { Delivery } from '../runtime/behavior.js';
import { indexPut } from './messages.js';

/** A wallet's depository-account order as its group lists it. */
export interface DepositoryOrderEntry {
  readonly orderNo: string;
  readonly status: string;
}

/**
 * The loans holding an investment's claims: a loan tells the investment's group when it
 * creates a claim of it (matching, or a claim transfer's new claims). Membership only: what
 * the claim is now, the loan answers.
 */
export function claimIndexFeedOf(loanId: string, event: LoanEvent): Delivery[] {
  // Every loan event passes here (the repayment day's included): nothing is built for the others.
  if (event.type !== 'reservation_answered' && event.type !== 'claim_transferred') return [];
  const claims = event.type === 'reservation_answered' ? event.data.claims : event.data.newClaims;
  const investments = new Set(claims.map((claim) => claim.investmentId));
  return [...investments].map((investmentId) => indexPut('claims', investmentId, { key: loanId, value: loanId, rank: 0 }));
}

/** A wallet's depository orders: created (rank 0), then completed with the bank's outcome (rank 1). */
export function depositoryIndexFeedOf(event: BankOrderEvent): Delivery[] {
  if (event.type !== 'order_created' && event.type !== 'order_completed') return [];
  const { order } = event.data;
  if (order.payload.kind !== 'open_account') return [];
  const status = event.type === 'order_completed' ? event.data.result.outcome : order.status;
  const entry: DepositoryOrderEntry = { orderNo: order.orderNo, status };
  return [indexPut('depository', order.payload.account, { key: order.orderNo, value: entry, rank: event.type === 'order_completed' ? 1 : 0 })];
}
