import type { BusinessDate } from '../../calendar/business-date.js';
import { assert } from '../../rejection.js';
import { bankItemsOfSwitch, claimTransferOrderNo, cutPieces, newClaimsOf, settlementsOf, type ClaimTransfer } from './claim-transfer.js';
import { claimOfTransfer, noOtherWaits, progressAfter, shardsOfTransfer, transferOutstandingOf } from './claim-transfer-progress.js';
import type { LoanCommand } from './commands.js';
import type { LoanEvent } from './events.js';
import type { LoanState } from './loan.js';

/**
 * A covered transfer with no repayment under way: the bank moves the money first
 * (claim_transfer_sent) — or, when every piece is the old holder's own capital and the bank
 * has nothing to move, the switch happens at once.
 */
export function switchOrSend(state: LoanState, transfer: ClaimTransfer, outstanding: bigint, on: BusinessDate): LoanEvent {
  const loanId = state.loan?.id ?? '';
  const { taken } = cutPieces(transfer.pieces, outstanding);
  const newClaims = newClaimsOf(claimOfTransfer(state, transfer), taken, state.claims.length, on);
  const items = bankItemsOfSwitch(taken, newClaims, transfer.payee);
  if (items.length === 0) return switched(state, transfer, outstanding, on);
  const orderNo = claimTransferOrderNo(loanId, transfer.transferNo);
  return { type: 'claim_transfer_sent', data: { transferNo: transfer.transferNo, orderNo, items, amount: outstanding, on } };
}

/**
 * transfer_bank_result: the bank's answer to a settling transfer's batch, once (a result for
 * no settling transfer — redelivered, or another order — changes nothing). Success → the
 * switch, on the date the batch went out; failure → the transfer fails and releases its
 * reservations (nothing moved anywhere).
 */
export function decideTransferBankResult(state: LoanState, { data }: Extract<LoanCommand, { type: 'transfer_bank_result' }>): readonly LoanEvent[] {
  const loanId = state.loan?.id ?? '';
  const transfer = state.transfers.find((candidate) => candidate.stage === 'settling' && claimTransferOrderNo(loanId, candidate.transferNo) === data.orderNo);
  if (transfer === undefined) return [];
  const outstanding = transferOutstandingOf(state, transfer);
  // Payments are refused while the batch is out, so the claim owes what the bank moved.
  assert(outstanding > 0n, `claim ${transfer.claimOrderNo} is live while its transfer settles`);
  assert(transfer.sentOn !== null, `transfer ${transfer.transferNo} went out on a business date`);
  if (data.outcome === 'succeeded') return [switched(state, transfer, outstanding, transfer.sentOn)];
  const code = data.code ?? 'bank_failed';
  return [
    {
      type: 'claim_transfer_failed',
      data: {
        transferNo: transfer.transferNo,
        key: transfer.key,
        orderNo: data.orderNo,
        shards: shardsOfTransfer(transfer),
        code,
        detail: data.detail ?? code,
        deregister: noOtherWaits(state, transfer),
        origin: transfer.origin,
        progress: progressAfter(state, transfer, 0n),
      },
    },
  ];
}

/** The switch itself: the old claim finishes, the new claims take the pieces, the old holder is paid (the bank already moved the money). */
export function switched(state: LoanState, transfer: ClaimTransfer, outstanding: bigint, on: BusinessDate): LoanEvent {
  const old = claimOfTransfer(state, transfer);
  const { taken } = cutPieces(transfer.pieces, outstanding);
  const newClaims = newClaimsOf(old, taken, state.claims.length, on);
  const finished = { ...old, status: 'finished' as const, finishReason: 'transferred' as const, principalOutstanding: 0n };
  return {
    type: 'claim_transferred',
    data: {
      transferNo: transfer.transferNo,
      key: transfer.key,
      loanId: old.loanId,
      finished,
      newClaims,
      payee: transfer.payee,
      property: transfer.property,
      amount: outstanding,
      settlements: settlementsOf(transfer.pieces, taken),
      items: [],
      on,
      deregister: noOtherWaits(state, transfer),
      origin: transfer.origin,
      progress: progressAfter(state, transfer, outstanding),
    },
  };
}
