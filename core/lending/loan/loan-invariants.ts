import { assert, violated } from '../../rejection.js';
import { isTransferOpen, principalOutstandingOf } from './claim-transfer.js';
import type { LoanState } from './loan.js';

/** Claim statuses each loan status allows. */
const claimStatusesOf = {
  matching: ['pre_processing'],
  funded: ['pre_processing'],
  approved: ['pre_processing'],
  disbursing: ['matching'],
  repaying: ['matched', 'finished'],
  settled: ['finished'],
  failed: ['failed'],
} as const;

/**
 * What must hold of every loan: reserved is the sum of its live claims and never exceeds the
 * amount; a loan past matching is fully reserved; every claim's status fits the loan's;
 * claim order numbers are unique. Cheap enough to run after every command: the checks build
 * their message only when one fails (a message per claim per check, built and dropped, was
 * 11 % of the bytes a repayment day allocated).
 */
export function assertLoanInvariants(state: LoanState, claimsMax: number): void {
  const loan = state.loan;
  if (loan === null) {
    assert(state.claims.length === 0 && state.reserved === 0n, 'an unpublished loan has no claims');
    return;
  }
  let live = 0n;
  const orderNos = new Set<string>();
  const allowed: readonly string[] = claimStatusesOf[state.status];
  for (const claim of state.claims) {
    if (claim.amount <= 0n) violated(`claim ${claim.orderNo} has a positive amount`);
    if (claim.loanId !== loan.id || claim.borrower !== loan.borrower) violated(`claim ${claim.orderNo} belongs to loan ${loan.id}`);
    if (!allowed.includes(claim.status)) violated(`claim ${claim.orderNo} is ${claim.status} while loan ${loan.id} is ${state.status}`);
    if (orderNos.has(claim.orderNo)) violated(`claim order number ${claim.orderNo} is unique`);
    orderNos.add(claim.orderNo);
    // A claim taken over by a transfer replaces a piece already counted (its root's amount).
    if (claim.status !== 'failed' && !claim.transferred) live += claim.amount;
  }
  if (state.reserved !== live) violated(`loan ${loan.id}: reserved ${state.reserved} equals the sum of its live claims ${live}`);
  if (state.reserved > loan.amount) violated(`loan ${loan.id}: reserved ${state.reserved} never exceeds the amount ${loan.amount}`);
  if (state.claims.length > claimsMax) violated(`loan ${loan.id} holds at most ${claimsMax} claims`);
  const pastMatching = state.status !== 'matching';
  if (pastMatching && state.status !== 'failed' && state.reserved !== loan.amount) violated(`loan ${loan.id} is ${state.status}, so fully reserved`);
  if (pastMatching && state.walk !== null) violated(`loan ${loan.id} walks the shards only while matching`);
  assertPrincipalOutstanding(state);
  assertClaimLineage(state);
}

/**
 * Σ claim principal outstanding = loan principal outstanding (= Σ open periods' principal
 * once the repayment book is open); a finished claim has nothing out.
 */
function assertPrincipalOutstanding(state: LoanState): void {
  const loan = state.loan;
  if (loan === null || (state.status !== 'repaying' && state.status !== 'settled')) return;
  let claimsOut = 0n;
  for (const claim of state.claims) {
    const out = claim.principalOutstanding;
    if (out < 0n || out > claim.amount) violated(`claim ${claim.orderNo}: 0 ≤ outstanding ≤ amount`);
    if ((claim.status === 'finished') !== (out === 0n)) violated(`claim ${claim.orderNo} is finished exactly when nothing is out`);
    claimsOut += out;
  }
  const book = state.book;
  const loanOut = book === null ? loan.amount : book.principalOutstanding;
  if (claimsOut !== loanOut) violated(`loan ${loan.id}: Σ claim principal outstanding ${claimsOut} = loan principal outstanding ${loanOut}`);
  if (book !== null) {
    let openPrincipal = 0n;
    for (const period of book.open) openPrincipal += period.principal;
    if (openPrincipal !== book.principalOutstanding) violated(`loan ${loan.id}: the open periods' principal ${openPrincipal} = principal outstanding ${book.principalOutstanding}`);
  }
  if (state.status === 'settled' && (loanOut !== 0n || book?.guaranteeDebts.length !== 0)) violated(`settled loan ${loan.id} owes nothing`);
}

/**
 * Claim transfers: every transferred claim names a claim of this loan that finished as
 * transferred; each finished-as-transferred claim was replaced by claims whose principal sums
 * to what its transfer paid; lineage runs back in order (acyclic); a claim is under at most
 * one open transfer; a transfer settling at the bank holds a live claim. A loan that never
 * saw a transfer (the common case) has nothing to check.
 */
export function assertClaimLineage(state: LoanState): void {
  if (state.transfers.length === 0 && state.claims.every((claim) => claim.lastOrderNo === null)) return;
  const indexOf = new Map(state.claims.map((claim, i) => [claim.orderNo, i]));
  const replaced = new Map<string, bigint>();
  for (const [i, claim] of state.claims.entries()) {
    if (claim.lastOrderNo === null) continue;
    const parent = indexOf.get(claim.lastOrderNo);
    assert(parent !== undefined && parent < i, `claim ${claim.orderNo} follows an earlier claim ${claim.lastOrderNo} of the loan`);
    const old = state.claims[parent];
    assert(old?.finishReason === 'transferred', `claim ${claim.lastOrderNo} finished as transferred`);
    replaced.set(claim.lastOrderNo, (replaced.get(claim.lastOrderNo) ?? 0n) + claim.amount);
  }
  const open = new Set<string>();
  for (const transfer of state.transfers) {
    if (transfer.stage === 'transferred') assert(replaced.get(transfer.claimOrderNo) === transfer.paid, `transfer ${transfer.transferNo} paid what its new claims hold`);
    if (isTransferOpen(transfer)) {
      assert(!open.has(transfer.claimOrderNo), `claim ${transfer.claimOrderNo} is under one open transfer at most`);
      open.add(transfer.claimOrderNo);
    }
    if (transfer.stage === 'settling') {
      const claim = state.claims[indexOf.get(transfer.claimOrderNo) ?? -1];
      assert(claim !== undefined && principalOutstandingOf(claim) > 0n, `claim ${transfer.claimOrderNo} is live while its transfer settles`);
    }
  }
}
