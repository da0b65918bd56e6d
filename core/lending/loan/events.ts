import type { BusinessDate } from '../../calendar/business-date.js';
import type { CapitalSource } from '../capital.js';
import type { Claim } from '../claim.js';
import type { Approval, DisbursementItem, Loan, MatchingPause } from './loan.js';

/**
 * Events of one loan. Each carries what its deliveries need (the outbox derives them from
 * the event alone, again after a crash).
 */
export type LoanEvent =
  | { readonly type: 'loan_published'; readonly data: { readonly loan: Loan } }
  | { readonly type: 'loan_registered'; readonly data: { readonly at: number } }
  /** Asks one shard for capital of one source. */
  | {
      readonly type: 'reservation_requested';
      readonly data: {
        readonly requestNo: number;
        readonly step: number;
        readonly shard: number;
        readonly source: CapitalSource;
        readonly amount: bigint;
        readonly on: BusinessDate;
        readonly piecesMax: number;
      };
    }
  /** The shard's answer: one new claim (pre-processing) per reserved piece. */
  | { readonly type: 'reservation_answered'; readonly data: { readonly requestNo: number; readonly claims: readonly Claim[] } }
  | { readonly type: 'rescan_requested'; readonly data: { readonly at: number } }
  | { readonly type: 'matching_paused'; readonly data: { readonly reason: MatchingPause; readonly at: number } }
  | { readonly type: 'loan_funded'; readonly data: { readonly at: number; readonly loanId: string } }
  /** Full-funding approval: holds the pool money for the borrower and asks for the plan. */
  | { readonly type: 'loan_approved'; readonly data: { readonly approval: Approval; readonly loan: Loan; readonly orderNo: string } }
  | { readonly type: 'disbursement_requested'; readonly data: { readonly orderNo: string; readonly items: readonly DisbursementItem[]; readonly at: number; readonly on: BusinessDate; readonly borrower: string } }
  | { readonly type: 'disbursement_succeeded'; readonly data: { readonly loanId: string; readonly bankTxnId: string | null; readonly at: number; readonly shards: readonly number[] } }
  | {
      readonly type: 'disbursement_failed';
      readonly data: {
        readonly loanId: string;
        readonly code: string;
        readonly detail: string;
        readonly at: number;
        readonly shards: readonly number[];
        /** Was the pool money held (then the hold is voided)? */
        readonly holdPlaced: boolean;
      };
    }
  | { readonly type: 'plan_attached'; readonly data: { readonly planId: string; readonly periods: number; readonly maturityDate: BusinessDate; readonly at: number } };
