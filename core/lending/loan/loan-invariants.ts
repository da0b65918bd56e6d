import { assert } from '../../rejection.js';
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
 * claim order numbers are unique. Cheap enough to run after every command.
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
    assert(claim.amount > 0n, `claim ${claim.orderNo} has a positive amount`);
    assert(claim.loanId === loan.id && claim.borrower === loan.borrower, `claim ${claim.orderNo} belongs to loan ${loan.id}`);
    assert(allowed.includes(claim.status), `claim ${claim.orderNo} is ${claim.status} while loan ${loan.id} is ${state.status}`);
    assert(!orderNos.has(claim.orderNo), `claim order number ${claim.orderNo} is unique`);
    orderNos.add(claim.orderNo);
    // A claim taken over by a transfer replaces a piece already counted (its root's amount).
    if (claim.status !== 'failed' && !claim.transferred) live += claim.amount;
  }
  assert(state.reserved === live, `loan ${loan.id}: reserved ${state.reserved} equals the sum of its live claims ${live}`);
  assert(state.reserved <= loan.amount, `loan ${loan.id}: reserved ${state.reserved} never exceeds the amount ${loan.amount}`);
  assert(state.claims.length <= claimsMax, `loan ${loan.id} holds at most ${claimsMax} claims`);
  if (state.status !== 'matching' && state.status !== 'failed') assert(state.reserved === loan.amount, `loan ${loan.id} is ${state.status}, so fully reserved`);
  if (state.status !== 'matching') assert(state.walk === null, `loan ${loan.id} walks the shards only while matching`);
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
    assert(claim.principalOutstanding >= 0n && claim.principalOutstanding <= claim.amount, `claim ${claim.orderNo}: 0 ≤ outstanding ≤ amount`);
    assert((claim.status === 'finished') === (claim.principalOutstanding === 0n), `claim ${claim.orderNo} is finished exactly when nothing is out`);
    claimsOut += claim.principalOutstanding;
  }
  const book = state.book;
  const loanOut = book === null ? loan.amount : book.principalOutstanding;
  assert(claimsOut === loanOut, `loan ${loan.id}: Σ claim principal outstanding ${claimsOut} = loan principal outstanding ${loanOut}`);
  if (book !== null) {
    const openPrincipal = book.open.reduce((sum, period) => sum + period.principal, 0n);
    assert(openPrincipal === book.principalOutstanding, `loan ${loan.id}: the open periods' principal ${openPrincipal} = principal outstanding ${book.principalOutstanding}`);
  }
  if (state.status === 'settled') assert(loanOut === 0n && book?.guaranteeDebts.length === 0, `settled loan ${loan.id} owes nothing`);
}

/**
 * Claim transfers: every transferred claim names a claim of this loan that finished as
 * transferred; each finished-as-transferred claim was replaced by claims whose principal sums
 * to what its transfer paid; lineage runs back in order (acyclic); a claim is under at most
 * one open transfer; a transfer settling at the bank holds a live claim.
 */
export function assertClaimLineage(state: LoanState): void {
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
