import type { BusinessDate } from '../../calendar/business-date.js';
import type { AccountDirectoryEntry } from '../../ledger/account.js';
import type { ReservationPiece } from '../pool/pool.js';
import type { LoanProduct } from '../schedule/product.js';
import type { MatchingConfig } from './loan.js';
import type { Payer } from '../repayment/repayment.js';

/** Commands to one loan. Time, the business date, lookups and the matching configuration come in with them. */
export type LoanCommand =
  | {
      readonly type: 'publish_loan';
      readonly data: {
        readonly id: string;
        readonly borrower: string;
        readonly amount: bigint;
        readonly annualRate: string;
        readonly termDays: number | null;
        readonly termMonths: number | null;
        readonly method: string;
        /** The product the loan names (the configured default when it names none). */
        readonly productName: string;
        /** That product, or null when no product has that name. */
        readonly product: LoanProduct | null;
        readonly at: number;
        readonly on: BusinessDate;
        readonly borrowerAccount: AccountDirectoryEntry | null;
      };
    }
  /** The waiting book knows the loan: matching may start. */
  | { readonly type: 'book_registered'; readonly data: { readonly at: number; readonly on: BusinessDate; readonly matching: MatchingConfig } }
  | {
      readonly type: 'reservation_result';
      readonly data: { readonly requestNo: number; readonly pieces: readonly ReservationPiece[]; readonly at: number; readonly on: BusinessDate; readonly matching: MatchingConfig };
    }
  /** The waiting book says capital came free somewhere. */
  | { readonly type: 'capital_available'; readonly data: { readonly at: number; readonly on: BusinessDate; readonly matching: MatchingConfig } }
  | { readonly type: 'approve_loan'; readonly data: { readonly at: number; readonly on: BusinessDate } }
  /** `revenueAccount`: the platform's depository account a management fee goes to. */
  | { readonly type: 'disbursement_hold_placed'; readonly data: { readonly at: number; readonly revenueAccount: string } }
  | { readonly type: 'disbursement_hold_refused'; readonly data: { readonly code: string; readonly detail: string; readonly at: number } }
  | {
      readonly type: 'disbursement_result';
      readonly data: {
        readonly orderNo: string;
        readonly outcome: 'succeeded' | 'failed';
        readonly code: string | null;
        readonly detail: string | null;
        readonly bankTxnId: string | null;
        readonly at: number;
      };
    }
  /** A borrower's payment (`period` null) or the guarantee's compensation of `period`. */
  | {
      readonly type: 'request_repayment';
      readonly data: {
        readonly id: string;
        readonly payer: Payer;
        readonly requested: bigint | null;
        readonly period: number | null;
        readonly guaranteeAccount: string;
        readonly at: number;
        readonly on: BusinessDate;
      };
    }
  | { readonly type: 'repayment_hold_placed'; readonly data: { readonly id: string; readonly revenueAccount: string; readonly guaranteeAccount: string; readonly at: number; readonly on: BusinessDate } }
  | { readonly type: 'repayment_hold_refused'; readonly data: { readonly id: string; readonly code: string; readonly detail: string; readonly at: number } }
  | {
      readonly type: 'repayment_result';
      readonly data: {
        readonly orderNo: string;
        readonly outcome: 'succeeded' | 'failed';
        readonly code: string | null;
        readonly detail: string | null;
        readonly bankTxnId: string | null;
        readonly poolShards: number;
        readonly at: number;
        readonly on: BusinessDate;
      };
    }
  /** The bank's result of a claim transfer's batch (xfer-<loan>-<n>). */
  | {
      readonly type: 'transfer_bank_result';
      readonly data: { readonly orderNo: string; readonly outcome: 'succeeded' | 'failed'; readonly code: string | null; readonly detail: string | null; readonly at: number };
    }
  | { readonly type: 'plan_recorded'; readonly data: { readonly planId: string; readonly periods: number; readonly maturityDate: BusinessDate; readonly at: number } }
  /** A redemption: every live claim of the investment moves to other capital (claim-transfer.ts). */
  | {
      readonly type: 'transfer_claims';
      readonly data: { readonly investmentId: string; readonly redemptionId: string; readonly origin: string | null; readonly at: number; readonly on: BusinessDate; readonly matching: MatchingConfig };
    }
  | {
      readonly type: 'transfer_reservation_result';
      readonly data: {
        readonly transferNo: number;
        readonly requestNo: number;
        readonly pieces: readonly ReservationPiece[];
        readonly at: number;
        readonly on: BusinessDate;
        readonly matching: MatchingConfig;
      };
    };
