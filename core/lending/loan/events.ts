import type { BusinessDate } from '../../calendar/business-date.js';
import type { CapitalProperty, CapitalSource } from '../capital.js';
import type { Claim } from '../claim.js';
import type { ReservationPiece } from '../pool/pool.js';
import type { ClaimTransfer, ShardSettlement } from './claim-transfer.js';
import type { BankItem } from '../../bank/bank-order.js';
import type { ReinvestedShare, Repayment } from '../repayment/repayment.js';
import type { SchedulePeriod } from '../schedule/schedule.js';
import type { Approval, DisbursementItem, Loan, MatchingPause } from './loan.js';

/** What a redemption is told of the transfers of its investment's claims in one loan. */
export interface TransferProgress {
  readonly loanId: string;
  readonly investmentId: string;
  readonly redemptionId: string;
  /** Transfers still under way. */
  readonly open: number;
  /** Principal of principal claims paid to the old holder's wallet by the switches so far. */
  readonly proceeds: bigint;
  /** Principal of interest claims paid to the old holder's interest pool (flow 14). */
  readonly interestProceeds: bigint;
  /** No transfer under way and no live claim of the investment left in the loan. */
  readonly settled: boolean;
  /**
   * The transfers that paid the wallet those proceeds (sys.pool → wallet, by id): the wallet's
   * lien on the investment goes only once their credits are in. Absent in reports from before it.
   */
  readonly payouts?: readonly string[];
}

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
  /** `managementFee`: what the borrower pays the platform out of the money paid out (absent: none). */
  | { readonly type: 'disbursement_succeeded'; readonly data: { readonly loanId: string; readonly bankTxnId: string | null; readonly at: number; readonly shards: readonly number[]; readonly borrower?: string; readonly managementFee?: bigint } }
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
        /** The pool's shard count: with the split and the date it gives each share's reinvest capital and interest credit (reinvestedSharesOf). */
        readonly poolShards?: number;
        /** Written by versions before poolShards: the shares as they were derived then. */
        readonly reinvested?: readonly ReinvestedShare[];
        /**
         * Written from the version that groups them: the payment's reinvest capitals go to one
         * shard as one group (reinvestGroupIdOf). Absent in events written before: each capital
         * goes to its own shard, as it was first sent — a redelivery goes where the first did.
         */
        readonly capitalsGrouped?: boolean;
        readonly bankTxnId: string | null;
        readonly at: number;
        readonly on: BusinessDate;
        readonly settlesLoan: boolean;
      };
    }
  | { readonly type: 'plan_attached'; readonly data: { readonly planId: string; readonly periods: number; readonly maturityDate: BusinessDate; readonly at: number } }
  | ClaimTransferEvent;

/** Events of claim transfers (债转), see claim-transfer.ts. */
export type ClaimTransferEvent =
  | { readonly type: 'claim_transfer_started'; readonly data: { readonly transfer: ClaimTransfer } }
  | {
      readonly type: 'transfer_reservation_requested';
      readonly data: {
        readonly transferNo: number;
        readonly key: string;
        readonly requestNo: number;
        readonly step: number;
        readonly shard: number;
        readonly source: CapitalSource;
        readonly amount: bigint;
        readonly on: BusinessDate;
        readonly piecesMax: number;
      };
    }
  | { readonly type: 'transfer_reservation_answered'; readonly data: { readonly transferNo: number; readonly requestNo: number; readonly pieces: readonly ReservationPiece[] } }
  | { readonly type: 'transfer_rescan_requested'; readonly data: { readonly transferNo: number } }
  /** The pool lacks capital: the loan registers with the waiting book and walks again when told. */
  | { readonly type: 'transfer_waiting'; readonly data: { readonly transferNo: number; readonly loanId: string } }
  /** Covered, but a repayment is under way: the switch happens when it ends. */
  | { readonly type: 'transfer_switch_deferred'; readonly data: { readonly transferNo: number; readonly on: BusinessDate } }
  /**
   * Covered: the bank is asked to move the new holders' money to the old holder (`items`, never
   * empty; a switch with nothing to move at the bank happens at once). The switch waits for its result.
   */
  | {
      readonly type: 'claim_transfer_sent';
      readonly data: { readonly transferNo: number; readonly orderNo: string; readonly items: readonly DisbursementItem[]; readonly amount: bigint; readonly on: BusinessDate };
    }
  /** The bank declined the batch: nothing moved; the reservations are released and the origin told (it starts another transfer). */
  | {
      readonly type: 'claim_transfer_failed';
      readonly data: {
        readonly transferNo: number;
        readonly key: string;
        readonly orderNo: string;
        readonly shards: readonly number[];
        readonly code: string;
        readonly detail: string;
        readonly deregister: boolean;
        readonly origin: string | null;
        readonly progress: TransferProgress;
      };
    }
  /** The switch: the old claim finished as transferred, the new claims live, the old holder paid. */
  | {
      readonly type: 'claim_transferred';
      readonly data: {
        readonly transferNo: number;
        readonly key: string;
        readonly loanId: string;
        readonly finished: Claim;
        readonly newClaims: readonly Claim[];
        readonly payee: string;
        readonly property: CapitalProperty;
        readonly amount: bigint;
        readonly settlements: readonly ShardSettlement[];
        /**
         * A batch to send with the switch: empty since the bank comes first (claim_transfer_sent);
         * switches journaled before that carry their batch here and still send it on replay.
         */
        readonly items: readonly DisbursementItem[];
        readonly on: BusinessDate;
        /** No other transfer of the loan waits: leave the waiting book. */
        readonly deregister: boolean;
        readonly origin: string | null;
        readonly progress: TransferProgress;
      };
    }
  /** The claim ended otherwise during the walk (repaid): nothing to move, the reservations are released. */
  | {
      readonly type: 'claim_transfer_dropped';
      readonly data: {
        readonly transferNo: number;
        readonly key: string;
        readonly shards: readonly number[];
        readonly on: BusinessDate;
        readonly deregister: boolean;
        readonly origin: string | null;
        readonly progress: TransferProgress;
      };
    };
