import { assert } from '../../rejection.js';
import { claimTransferTransferId, isTransferOpen, principalOutstandingOf, type ClaimTransfer } from './claim-transfer.js';
import type { TransferProgress } from './events.js';
import type { Claim } from '../claim.js';
import type { LoanState } from './loan.js';

/** How far the transfers of an investment's claims in this loan are: open ones, and what they paid. */
export function transferProgressOf(state: LoanState, investmentId: string, redemptionId: string): TransferProgress {
  const loanId = state.loan?.id ?? '';
  let open = 0;
  let proceeds = 0n;
  let interestProceeds = 0n;
  const payouts: string[] = [];
  for (const transfer of state.transfers) {
    if (transfer.investmentId !== investmentId) continue;
    if (isTransferOpen(transfer)) open += 1;
    if (transfer.property === 'principal') proceeds += transfer.paid;
    else interestProceeds += transfer.paid;
    if (transfer.property === 'principal' && transfer.paid > 0n) payouts.push(claimTransferTransferId(loanId, transfer.transferNo));
  }
  const live = state.claims.some((claim) => claim.investmentId === investmentId && principalOutstandingOf(claim) > 0n);
  return { loanId, investmentId, redemptionId, open, proceeds, interestProceeds, settled: open === 0 && !live, payouts };
}

/** The progress the origin is told once this transfer ends, paying `paid`. */
export function progressAfter(state: LoanState, ending: ClaimTransfer, paid: bigint): TransferProgress {
  const now = transferProgressOf(state, ending.investmentId, ending.redemptionId);
  // A transfer that pays finishes its claim; one that pays nothing (dropped, failed) leaves it as it is.
  const live = state.claims.some(
    (claim) => claim.investmentId === ending.investmentId && (paid === 0n || claim.orderNo !== ending.claimOrderNo) && principalOutstandingOf(claim) > 0n,
  );
  const open = now.open - 1;
  const principal = ending.property === 'principal';
  return {
    ...now,
    open,
    proceeds: now.proceeds + (principal ? paid : 0n),
    payouts: principal && paid > 0n ? [...(now.payouts ?? []), claimTransferTransferId(now.loanId, ending.transferNo)] : now.payouts ?? [],
    interestProceeds: now.interestProceeds + (principal ? 0n : paid),
    settled: open === 0 && !live,
  };
}

/** No other transfer of the loan waits for capital: the loan may leave the waiting book. */
export function noOtherWaits(state: LoanState, ending: ClaimTransfer): boolean {
  return !state.transfers.some((other) => other.transferNo !== ending.transferNo && other.stage === 'waiting');
}

/** The claim under the transfer (a transfer always names a claim of its loan). */
export function claimOfTransfer(state: LoanState, transfer: ClaimTransfer): Claim {
  const claim = state.claims.find((candidate) => candidate.orderNo === transfer.claimOrderNo);
  assert(claim !== undefined, `transfer ${transfer.transferNo} names claim ${transfer.claimOrderNo} of this loan`);
  return claim;
}

/** What the claim under the transfer still owes its holder. */
export function transferOutstandingOf(state: LoanState, transfer: ClaimTransfer): bigint {
  return principalOutstandingOf(claimOfTransfer(state, transfer));
}

/** The shards holding the transfer's reservations. */
export function shardsOfTransfer(transfer: ClaimTransfer): number[] {
  return [...new Set(transfer.pieces.map((piece) => piece.shard))].sort((a, b) => a - b);
}
