import { assert, assertNever } from '../../rejection.js';
import type { ClaimTransfer } from './claim-transfer.js';
import type { ClaimTransferEvent } from './events.js';
import type { LoanState } from './loan.js';

/** The loan after one claim-transfer event. */
export function evolveClaimTransfer(state: LoanState, event: ClaimTransferEvent): LoanState {
  switch (event.type) {
    case 'claim_transfer_started': {
      const { transfer } = event.data;
      assert(transfer.transferNo === state.transfers.length + 1, 'claim transfers are numbered in order');
      return { ...state, transfers: [...state.transfers, transfer] };
    }
    case 'transfer_reservation_requested': {
      const { transferNo, requestNo, step } = event.data;
      return withTransfer(state, transferNo, (transfer) => {
        assert(requestNo === transfer.nextRequestNo, 'a transfer numbers its reservation requests in order');
        return { ...transfer, walk: { requestNo, step }, nextRequestNo: requestNo + 1, rescanRequested: step === 0 ? false : transfer.rescanRequested, stage: 'reserving' };
      });
    }
    case 'transfer_reservation_answered':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, pieces: [...transfer.pieces, ...event.data.pieces] }));
    case 'transfer_rescan_requested':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, rescanRequested: true }));
    case 'transfer_waiting':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, walk: null, rescanRequested: false, stage: 'waiting' }));
    case 'transfer_switch_deferred':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, walk: null, stage: 'deferred', deferredOn: event.data.on }));
    case 'claim_transfer_sent':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, walk: null, stage: 'settling', sentOn: event.data.on }));
    case 'claim_transfer_failed':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, walk: null, stage: 'failed' }));
    case 'claim_transferred': {
      const { transferNo, finished, newClaims, amount } = event.data;
      const claims = state.claims.map((claim) => (claim.orderNo === finished.orderNo ? finished : claim));
      const after = { ...state, claims: [...claims, ...newClaims] };
      return withTransfer(after, transferNo, (transfer) => ({ ...transfer, walk: null, stage: 'transferred', paid: amount }));
    }
    case 'claim_transfer_dropped':
      return withTransfer(state, event.data.transferNo, (transfer) => ({ ...transfer, walk: null, stage: 'dropped' }));
    default:
      return assertNever(event, 'claim transfer event');
  }
}

function withTransfer(state: LoanState, transferNo: number, change: (transfer: ClaimTransfer) => ClaimTransfer): LoanState {
  const transfer = state.transfers[transferNo - 1];
  assert(transfer !== undefined, `transfer ${transferNo} exists`);
  const transfers = [...state.transfers];
  transfers[transferNo - 1] = change(transfer);
  return { ...state, transfers };
}
