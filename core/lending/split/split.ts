import type { BusinessDate } from '../../calendar/business-date.js';
import { allocate } from '../../money/allocate.js';
import { assert, violated } from '../../rejection.js';
import type { CapitalProperty } from '../capital.js';
import { feeOf, type FeeRule } from '../../clearing/fee.js';

/** A live claim as the split sees it: who holds it, and how much of its principal is still out. */
export interface SplitClaim {
  readonly orderNo: string;
  readonly investor: string;
  readonly investmentId: string;
  readonly investRepayDate: BusinessDate;
  readonly property: CapitalProperty;
  readonly principalOutstanding: bigint;
}

/** What a share's investor receives of its interest: the interest less the service fee. */
export function netInterestOf(share: ClaimShare): bigint {
  return share.interest - (share.fee ?? 0n);
}

/** One claim's part of a payment, and where each half goes. */
export interface ClaimShare {
  readonly orderNo: string;
  readonly investor: string;
  readonly investmentId: string;
  readonly investRepayDate: BusinessDate;
  readonly property: CapitalProperty;
  readonly principal: bigint;
  readonly interest: bigint;
  /** Of a principal claim's interest, the platform's service fee (to revenue); the investor's interest pool gets the rest. Absent: none. */
  readonly fee?: bigint;
  /** Where the principal goes: always back to the capital pool (as reinvest capital of this claim's investment). */
  readonly principalTo: 'pool';
  /** A principal claim's interest goes to its investor's interest pool; an interest claim's to the platform. */
  readonly interestTo: 'interest_pool' | 'revenue';
}

/** The split of one payment (分账): each claim's share, and the totals per destination. */
export interface RepaymentSplit {
  readonly shares: readonly ClaimShare[];
  /** Σ principal of every claim: back to the pool (sys.pool). */
  readonly toPool: bigint;
  /** Σ interest of principal claims less their service fees: to the investors' interest pools (sys.ipool). */
  readonly toInterestPools: bigint;
  /** Σ interest of interest claims and the service fees: platform revenue (sys.revenue). */
  readonly toRevenue: bigint;
}

/**
 * Splits a payment of `principal` + `interest` across the loan's live claims, each part pro
 * rata to the claims' outstanding principal, by the largest remainder with ties to the
 * earlier claim (the claims' order is the loan's, fixed at matching) — so the shares sum
 * exactly to the payment, and no claim is repaid more principal than it has out (the
 * caller never splits more principal than the claims' sum). Then routed as in seed 000:
 * principal-claim principal → pool (repayment-reinvest capital); principal-claim interest →
 * the investor's interest pool; interest-claim principal → pool; interest-claim interest →
 * platform revenue. Claims with nothing outstanding take no share.
 */
export function splitRepayment(claims: readonly SplitClaim[], principal: bigint, interest: bigint, serviceFee?: FeeRule): RepaymentSplit {
  const live = claims.filter((claim) => claim.principalOutstanding > 0n);
  const outstanding = live.reduce((sum, claim) => sum + claim.principalOutstanding, 0n);
  assert(principal >= 0n && interest >= 0n, 'a payment splits non-negative parts');
  if (principal > outstanding) violated(`the principal paid ${principal} is at most what the claims have out ${outstanding}`);
  if (live.length === 0) {
    assert(principal === 0n && interest === 0n, 'a loan without live claims takes no payment');
    return { shares: [], toPool: 0n, toInterestPools: 0n, toRevenue: 0n };
  }
  const weights = live.map((claim) => claim.principalOutstanding);
  const principals = allocate(principal, weights);
  const interests = allocate(interest, weights);
  let toPool = 0n;
  let toInterestPools = 0n;
  let toRevenue = 0n;
  const shares = live.map((claim, i): ClaimShare => {
    const interestOf = interests[i] ?? 0n;
    const interestTo = claim.property === 'principal' ? 'interest_pool' : 'revenue';
    // The fee is taken from an investor's interest only (an interest claim's is revenue already).
    const fee = serviceFee !== undefined && interestTo === 'interest_pool' ? feeOf(serviceFee, interestOf) : 0n;
    const share: ClaimShare = {
      orderNo: claim.orderNo,
      investor: claim.investor,
      investmentId: claim.investmentId,
      investRepayDate: claim.investRepayDate,
      property: claim.property,
      principal: principals[i] ?? 0n,
      interest: interestOf,
      ...(fee > 0n ? { fee } : {}),
      principalTo: 'pool',
      interestTo,
    };
    if (share.principal > claim.principalOutstanding) violated(`claim ${claim.orderNo} is repaid at most its outstanding principal`);
    toPool += share.principal;
    if (share.interestTo === 'interest_pool') toInterestPools += share.interest - fee;
    else toRevenue += share.interest;
    toRevenue += fee;
    return share;
  });
  assert(toPool === principal && toInterestPools + toRevenue === interest, 'the split sums exactly to the payment');
  return { shares, toPool, toInterestPools, toRevenue };
}
