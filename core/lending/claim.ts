import type { BusinessDate } from '../calendar/business-date.js';
import type { CapitalProperty, CapitalSource } from './capital.js';

/**
 * The seed's claim status: -1 pre-processing (reserved, not yet sent to the bank),
 * 0 matching (the disbursement was requested), 1 matched (the bank paid it out),
 * 2 failed (the bank refused; the reservation was released), 3 finished.
 */
export type ClaimStatus = 'pre_processing' | 'matching' | 'matched' | 'failed' | 'finished';

export type ClaimFinishReason = 'repaid' | 'compensated' | 'redeemed' | 'transferred';

/** One piece of a loan funded by one capital (债权). */
export interface Claim {
  readonly orderNo: string;
  readonly investmentId: string;
  readonly loanId: string;
  readonly capitalId: string;
  readonly shard: number;
  readonly investor: string;
  readonly borrower: string;
  readonly amount: bigint;
  /** The part of `amount` not yet repaid (or compensated): what the split weighs the claim by. */
  readonly principalOutstanding: bigint;
  /** Days the claim runs: from the loan's start to the earlier of both maturities; null until approval fixes the start. */
  readonly days: number | null;
  readonly property: CapitalProperty;
  readonly source: CapitalSource;
  readonly status: ClaimStatus;
  readonly finishReason: ClaimFinishReason | null;
  /** The investment's maturity (投资回款日). */
  readonly investRepayDate: BusinessDate;
  /** The loan's maturity (借款还款日); null until approval fixes the start. */
  readonly loanRepayDate: BusinessDate | null;
  /** The claim this one replaced (claim transfer, or a repayment's new claim); null for a first claim. */
  readonly lastOrderNo: string | null;
  readonly transferred: boolean;
  readonly createdOn: BusinessDate;
}

/** A claim's order number: the loan's id and the claim's place in it, so a replay derives the same number. */
export function claimOrderNoOf(loanId: string, index: number): string {
  return `${loanId}/c${index + 1}`;
}
