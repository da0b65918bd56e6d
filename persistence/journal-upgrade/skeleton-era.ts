import type { AccountDirectoryEntry, AccountInfo } from '../../core/ledger/account.js';
import type { Capital } from '../../core/lending/capital.js';
import type { Claim } from '../../core/lending/claim.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import { isSkeletonPlan, planOfSkeleton } from '../../core/lending/plan/skeleton-plan.js';
import { isRejection } from '../../core/rejection.js';

/**
 * What a journal of fundcore's skeleton-plan era (up to 86ea8b0) holds that this version
 * cannot replay, and how each is brought to this version's shape. Found by replaying a
 * journal recorded from that version (test/fixtures/journals/skeleton-plans.json):
 *
 * - `plan_generated` of a plan with due dates only (`detail: 'skeleton'`): the plan is
 *   recomputed from its loan's terms, product and value date (planOfSkeleton);
 * - claims without `principalOutstanding` (loan `reservation_answered`, the `claims` index):
 *   nothing was ever repaid then, so it is the claim's amount;
 * - capitals without `pulledBack` (pool `capital_added`): nothing was ever redeemed, so 0;
 * - system accounts opened with other settings than this version opens them with (the
 *   guarantee without overdraft: it now advances compensations below zero): the opening takes
 *   this version's settings (`account_opened`, the `directory` index);
 * - snapshots of older state shapes: left out (a snapshot is a cache of the events).
 *
 * Each function takes one stored value and answers it as this version writes it, or the same
 * value when it needs nothing.
 */
export interface SkeletonEraContext {
  /** Loans as replayed so far, by id (a plan follows its loan's approval in the log). */
  readonly loans: ReadonlyMap<string, LoanState>;
  /** This version's system accounts: id → may it overdraw. */
  readonly systemOverdrafts: ReadonlyMap<string, boolean>;
}

/** What was changed, for the report. */
export interface UpgradeCounts {
  plans: string[];
  claims: number;
  capitals: number;
  accounts: string[];
}

export class JournalUpgradeError extends Error {
  override readonly name = 'JournalUpgradeError';
}

type StoredEvent = { readonly type: string; readonly data: Record<string, unknown> };

export function upgradedEvent(actorType: string, stored: unknown, context: SkeletonEraContext, counts: UpgradeCounts): unknown {
  const event = stored as StoredEvent;
  if (actorType === 'plan' && event.type === 'plan_generated' && isSkeletonPlan(event.data.plan)) {
    const skeleton = event.data.plan;
    const loan = context.loans.get(skeleton.loanId);
    if (loan === undefined) throw new JournalUpgradeError(`${skeleton.planId}: loan ${skeleton.loanId} is not in the journal before its plan`);
    const plan = planOfSkeleton(skeleton, loan);
    if (isRejection(plan)) throw new JournalUpgradeError(`${skeleton.planId}: ${plan.code}: ${plan.detail}`);
    counts.plans.push(skeleton.planId);
    return { ...event, data: { ...event.data, plan } };
  }
  if (actorType === 'loan' && event.type === 'reservation_answered') {
    const claims = event.data.claims as readonly Claim[];
    if (claims.every((claim) => claim.principalOutstanding !== undefined)) return event;
    counts.claims += claims.filter((claim) => claim.principalOutstanding === undefined).length;
    return { ...event, data: { ...event.data, claims: claims.map(upgradedClaim) } };
  }
  if (actorType === 'pool' && event.type === 'capital_added') {
    const capital = event.data.capital as Capital;
    if (capital.pulledBack !== undefined) return event;
    counts.capitals++;
    return { ...event, data: { ...event.data, capital: { ...capital, pulledBack: 0n } } };
  }
  if (actorType === 'acct' && event.type === 'account_opened') {
    const account = event.data.account as AccountInfo;
    const overdraft = context.systemOverdrafts.get(account.id);
    if (overdraft === undefined || overdraft === account.overdraft || account.subIndex !== 0) return event;
    counts.accounts.push(account.id);
    return { ...event, data: { ...event.data, account: { ...account, overdraft } } };
  }
  return event;
}

/** An index entry as this version writes it. */
export function upgradedIndexValue(index: string, value: unknown, context: SkeletonEraContext): unknown {
  if (index === 'claims') return upgradedClaim(value as Claim);
  if (index === 'directory') {
    const entry = value as AccountDirectoryEntry;
    const overdraft = context.systemOverdrafts.get(entry.id);
    return overdraft === undefined ? entry : { ...entry, overdraft };
  }
  return value;
}

function upgradedClaim(claim: Claim): Claim {
  return claim.principalOutstanding !== undefined ? claim : { ...claim, principalOutstanding: claim.amount };
}
