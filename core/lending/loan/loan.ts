import type { BusinessDate } from '../../calendar/business-date.js';
import type { CapitalSource } from '../capital.js';
import type { Claim } from '../claim.js';
import type { ClaimTransfer } from './claim-transfer.js';
import type { Repayment, RepaymentBook } from '../repayment/repayment.js';
import type { LoanProduct } from '../schedule/product.js';

export const repaymentMethods = ['equal_installment', 'equal_principal', 'interest_first', 'bullet', 'flat'] as const;
export type RepaymentMethod = (typeof repaymentMethods)[number];

export function isRepaymentMethod(value: unknown): value is RepaymentMethod {
  return typeof value === 'string' && (repaymentMethods as readonly string[]).includes(value);
}

export type LoanTerm = { readonly unit: 'days'; readonly count: number } | { readonly unit: 'months'; readonly count: number };

/** A loan as published: fixed for good. `annualRate` is the canonical decimal string ("0.0825"). */
export interface Loan {
  readonly id: string;
  readonly borrower: string;
  readonly amount: bigint;
  readonly annualRate: string;
  readonly term: LoanTerm;
  readonly method: RepaymentMethod;
  /** The product's conventions as they were at publication: the loan keeps them for life. */
  readonly product: LoanProduct;
  readonly publishedOn: BusinessDate;
  readonly publishedAt: number;
}

/**
 * DESIGN §4's lifecycle, as far as this issue goes: published straight into matching (a
 * draft is a loan not yet posted here) → funded (fully reserved) → approved (满标审核) →
 * disbursing (the bank is asked) → repaying (the bank paid out); failed when the
 * disbursement is refused → settled when every period is paid and the guarantee owed
 * nothing. Overdue and compensated are the periods' (the repayment book's), not the loan's.
 */
export type LoanStatus = 'matching' | 'funded' | 'approved' | 'disbursing' | 'repaying' | 'settled' | 'failed';

/** Why a loan still matching is not walking the shards. */
export type MatchingPause = 'capital_exhausted' | 'claims_limit';

/** The walk over (source, shard) steps in progress: the one outstanding reservation request. */
export interface MatchingWalk {
  readonly requestNo: number;
  readonly step: number;
}

export interface Approval {
  readonly approvedAt: number;
  readonly approvedOn: BusinessDate;
  /** Value date (起息日): the plan and the claims' days count from it. */
  readonly startDate: BusinessDate;
  readonly maturityDate: BusinessDate;
}

export interface Disbursement {
  readonly orderNo: string;
  /** holding: the pool money is being held · requested: the bank order is out · then its outcome. */
  readonly stage: 'holding' | 'requested' | 'succeeded' | 'failed';
  readonly code: string | null;
  readonly detail: string | null;
  readonly bankTxnId: string | null;
  readonly completedAt: number | null;
}

export interface PlanRef {
  readonly planId: string;
  readonly periods: number;
  readonly maturityDate: BusinessDate;
  readonly recordedAt: number;
}

export interface LoanState {
  readonly loan: Loan | null;
  readonly status: LoanStatus;
  readonly claims: readonly Claim[];
  /** Σ of claims not failed: what the shards hold (or matched) for this loan. */
  readonly reserved: bigint;
  readonly nextRequestNo: number;
  readonly walk: MatchingWalk | null;
  /** Capital came free while a walk was under way: walk again when it ends. */
  readonly rescanRequested: boolean;
  /** Known to the waiting book (it tells this loan when capital comes free). */
  readonly registered: boolean;
  readonly paused: MatchingPause | null;
  readonly fundedAt: number | null;
  readonly approval: Approval | null;
  readonly disbursement: Disbursement | null;
  readonly plan: PlanRef | null;
  /** Claim transfers, numbered from 1 in order (transfer n is at n - 1). */
  readonly transfers: readonly ClaimTransfer[];
  /** Fixed from the schedule on the first payment (core/lending/repayment). */
  readonly book: RepaymentBook | null;
  /** Every payment of the loan by its id (borrower's repayments and the guarantee's compensations). */
  readonly repayments: ReadonlyMap<string, Repayment>;
  /**
   * The payment under way, if any: one at a time. Its split names the claims' holders as they
   * were when it was decided, so whatever changes a claim's holder (claim transfer) waits
   * while this is set.
   */
  readonly repaymentInFlight: string | null;
}

export const initialLoanState: LoanState = {
  loan: null,
  status: 'matching',
  claims: [],
  reserved: 0n,
  nextRequestNo: 1,
  walk: null,
  rescanRequested: false,
  registered: false,
  paused: null,
  fundedAt: null,
  approval: null,
  disbursement: null,
  plan: null,
  transfers: [],
  book: null,
  repayments: new Map(),
  repaymentInFlight: null,
};

/** The disbursement's bank order number: one per loan, so the bank dedupes any resubmission. */
export function disbursementOrderNoOf(loanId: string): string {
  return `disb-${loanId}`;
}

/** How a loan walks the pool: the shard count and the order in which sources are drawn. */
export interface MatchingConfig {
  readonly shards: number;
  readonly priority: readonly CapitalSource[];
  readonly claimsMax: number;
}

/** One line of the disbursement batch: a claim's money from its investor to the borrower. */
export interface DisbursementItem {
  readonly ref: string;
  readonly from: string;
  readonly to: string;
  readonly amount: bigint;
}
