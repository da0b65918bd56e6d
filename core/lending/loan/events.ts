import type { BusinessDate } from '../../calendar/business-date.js';
import type { CapitalSource } from '../capital.js';
import type { Claim } from '../claim.js';
import type { BankItem } from '../../bank/bank-order.js';
import type { ReinvestedShare, Repayment } from '../repayment/repayment.js';
import type { SchedulePeriod } from '../schedule/schedule.js';
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
  /** The first payment fixes the repayment book from the schedule. */
  | { readonly type: 'repayment_book_opened'; readonly data: { readonly periods: readonly SchedulePeriod[] } }
  /** A payment decided, its split included: the payer's money is held (payer → sys.transit). */
  | { readonly type: 'repayment_requested'; readonly data: { readonly loanId: string; readonly repayment: Repayment } }
  | { readonly type: 'repayment_sent'; readonly data: { readonly id: string; readonly orderNo: string; readonly items: readonly BankItem[]; readonly at: number; readonly on: BusinessDate } }
  | {
      readonly type: 'repayment_failed';
      readonly data: { readonly loanId: string; readonly repayment: Repayment; readonly code: string; readonly detail: string; readonly at: number; readonly holdPlaced: boolean };
    }
  /** The bank moved the money: the split posts, claims and book move on. */
  | {
      readonly type: 'repayment_succeeded';
      readonly data: {
        readonly loanId: string;
        readonly repayment: Repayment;
        readonly reinvested: readonly ReinvestedShare[];
        readonly bankTxnId: string | null;
        readonly at: number;
        readonly on: BusinessDate;
        readonly settlesLoan: boolean;
      };
    }
  | { readonly type: 'plan_attached'; readonly data: { readonly planId: string; readonly periods: number; readonly maturityDate: BusinessDate; readonly at: number } };
