import type { PlanSummary } from '../../core/lending/plan/plan-decider.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import type { CapitalContent, CapitalSource } from '../../core/lending/capital.js';
import type { InvestmentState } from '../../core/lending/investment/investment.js';
import type { TransferProgress } from '../../core/lending/loan/events.js';
import type { Loan } from '../../core/lending/loan/loan.js';
import type { Payer } from '../../core/lending/plan/plan.js';
import type { HeldPiece, PullBackAnswer, ReservationReply } from '../../core/lending/pool/pool.js';

/**
 * Messages of the lending actors: commands without what the actor adds itself (the time,
 * the business date, lookups, configuration). Those named `…_result`, `…_accepted` and
 * `…_refused` are the outbox's replies that carry a saga to its next step.
 */
export type InvestmentMessage =
  | { readonly type: 'place_investment'; readonly data: { readonly id: string; readonly investor: string; readonly amount: bigint; readonly termDays: number; readonly expectedRate?: string | null } }
  /** `attempt`: the debit attempt answered (absent in answers sent before attempts were named: the current one). */
  | { readonly type: 'funding_accepted'; readonly data?: { readonly attempt: number } }
  | { readonly type: 'funding_refused'; readonly data: { readonly code: string; readonly detail: string; readonly attempt?: number } }
  | { readonly type: 'capital_recorded' }
  | { readonly type: 'get_investment' };

export type PoolMessage =
  | { readonly type: 'add_capital'; readonly data: { readonly capital: CapitalContent; readonly shard: number } }
  /** A group of capitals arriving together (a payment's reinvest capitals): one event, deduplicated by the group. */
  | { readonly type: 'add_capitals'; readonly data: { readonly group: string; readonly capitals: readonly CapitalContent[]; readonly shard: number } }
  | {
      readonly type: 'reserve';
      readonly data: { readonly loanId: string; readonly requestNo: number; readonly source: CapitalSource; readonly amount: bigint; readonly on: BusinessDate; readonly piecesMax: number };
    }
  | { readonly type: 'confirm_reservations'; readonly data: { readonly loanId: string } }
  | { readonly type: 'release_reservations'; readonly data: { readonly loanId: string } }
  | { readonly type: 'settle_transfer'; readonly data: { readonly key: string; readonly confirmed: readonly HeldPiece[] } }
  | { readonly type: 'pull_back_investment'; readonly data: { readonly investmentId: string; readonly investor: string; readonly redemptionId: string; readonly round: number } }
  | { readonly type: 'get_capital'; readonly data: { readonly capitalId: string } }
  | { readonly type: 'get_shard' };

export type { ReservationReply } from '../../core/lending/pool/pool.js';

export type LoanMessage =
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
        /** The loan product's name; null: the configured default. */
        readonly product: string | null;
      };
    }
  | { readonly type: 'book_registered' }
  | { readonly type: 'reservation_result'; readonly data: ReservationReply }
  | { readonly type: 'capital_available' }
  | { readonly type: 'approve_loan' }
  | { readonly type: 'disbursement_hold_placed' }
  | { readonly type: 'disbursement_hold_refused'; readonly data: { readonly code: string; readonly detail: string } }
  | { readonly type: 'bank_order_result'; readonly data: BankOrderResultData }
  | { readonly type: 'plan_recorded'; readonly data: PlanSummary }
  /** A redemption: move every live claim of the investment to other capital; progress goes to `origin`. */
  | { readonly type: 'transfer_claims'; readonly data: { readonly investmentId: string; readonly redemptionId: string; readonly origin: string | null } }
  | { readonly type: 'transfer_reservation_result'; readonly data: { readonly transferNo: number } & ReservationReply }
  /** A borrower's payment (period null) or the guarantee's compensation of a period (POST /v1/loans/:id/repayments, /compensations). */
  | { readonly type: 'request_repayment'; readonly data: { readonly id: string; readonly payer: 'borrower' | 'guarantee'; readonly requested: bigint | null; readonly period: number | null } }
  | { readonly type: 'repayment_hold_placed'; readonly data: { readonly id: string } }
  | { readonly type: 'repayment_hold_refused'; readonly data: { readonly id: string; readonly code: string; readonly detail: string } }
  | { readonly type: 'get_loan' };

/** What a loan tells a redemption of the transfers of its investment's claims. */
export type TransferProgressMessage = { readonly type: 'transfers_progress'; readonly data: TransferProgress };

/** Messages of a redemption (`rdm:<investmentId>`). */
export type RedemptionMessage =
  | {
      readonly type: 'redeem';
      readonly data: { readonly id: string; readonly investment: InvestmentState | null; readonly loans: readonly string[]; readonly capitalShards: readonly number[] };
    }
  | { readonly type: 'pull_back_answered'; readonly data: PullBackAnswer }
  | TransferProgressMessage
  | { readonly type: 'recheck' }
  | { readonly type: 'interest_balance'; readonly data: { readonly balance: bigint } }
  | { readonly type: 'pull_back_booked'; readonly data: { readonly transferId: string; readonly amount: bigint } }
  | { readonly type: 'pull_back_refused'; readonly data: { readonly transferId: string; readonly code: string; readonly detail: string } }
  | { readonly type: 'interest_pull_back_credited'; readonly data: { readonly flowId: string; readonly amount: bigint } }
  | { readonly type: 'interest_use_answered'; readonly data: { readonly accepted: boolean } }
  | { readonly type: 'get_redemption' };

/** What a bank order tells its origin once it has a result. */
export interface BankOrderResultData {
  readonly orderNo: string;
  readonly outcome: 'succeeded' | 'failed';
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
}

export type { PlanSummary };

export type WaitingBookMessage =
  | { readonly type: 'register_loan'; readonly data: { readonly loanId: string } }
  | { readonly type: 'deregister_loan'; readonly data: { readonly loanId: string } }
  | { readonly type: 'announce_capital' }
  | { readonly type: 'get_book' };

/**
 * Messages of `plan:<loanId>` (documented with the plan, core/lending/plan/plan.ts). Amounts in
 * minor units; `on` is the business date of the payment. Replies: `generate_plan` →
 * PlanSummary; `settle_period` → the PlanPeriod; `reschedule_after_early_repayment` and
 * `quote_early_repayment` → EarlyRepaymentRecord (the quote's repaymentId is "" and it records
 * nothing); `get_plan` → RepaymentPlan. Refusals carry a PlanRejectionCode.
 */
export type PlanMessage =
  | { readonly type: 'generate_plan'; readonly data: { readonly loan: Loan; readonly startDate: BusinessDate } }
  | {
      readonly type: 'settle_period';
      readonly data: { readonly period: number; readonly by: Payer; readonly repaymentId: string; readonly on: BusinessDate; readonly penalty: bigint };
    }
  | { readonly type: 'reschedule_after_early_repayment'; readonly data: { readonly repaymentId: string; readonly on: BusinessDate; readonly amount: bigint } }
  | { readonly type: 'quote_early_repayment'; readonly data: { readonly on: BusinessDate; readonly amount: bigint } }
  | { readonly type: 'get_plan' };

export type SettingsMessage =
  | { readonly type: 'fix_pool_shards'; readonly data: { readonly count: number } }
  | { readonly type: 'init_sim_date'; readonly data: { readonly date: BusinessDate } }
  | { readonly type: 'set_sim_date'; readonly data: { readonly date: string } }
  | { readonly type: 'advance_sim_date'; readonly data: { readonly days: number } }
  | { readonly type: 'get_settings' };
