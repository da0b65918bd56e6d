import { assertNever } from '../rejection.js';
import type { AccountState } from './account.js';
import type { AccountEvent } from './events.js';
import { movedAmountOf, type TransferRecord } from './transfer.js';

/** The account's state after one event. Returns a new state; the given one is not changed. */
export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'account_opened':
      return { ...state, info: event.data.account };
    case 'account_closed':
      return { ...state, closedAt: event.data.closedAt };
    case 'account_sealed':
      return { ...state, sealedBy: event.data.closeNo };
    case 'account_unsealed': {
      const { closeNo } = event.data;
      return { ...state, sealedBy: state.sealedBy !== null && state.sealedBy <= closeNo ? null : state.sealedBy, closesEnded: Math.max(state.closesEnded, closeNo) };
    }
    case 'transfer_debited':
      return { ...state, debitsPosted: state.debitsPosted + event.data.transfer.amount };
    case 'transfer_held': {
      const { transfer } = event.data;
      return { ...state, debitsPending: state.debitsPending + transfer.amount, holds: withHold(state.holds, transfer) };
    }
    case 'pending_posted': {
      const { transfer } = event.data;
      return {
        ...state,
        debitsPending: state.debitsPending - transfer.amount,
        debitsPosted: state.debitsPosted + movedAmountOf(transfer),
        holds: withoutHold(state.holds, transfer.id),
      };
    }
    case 'pending_voided': {
      const { transfer } = event.data;
      return { ...state, debitsPending: state.debitsPending - transfer.amount, holds: withoutHold(state.holds, transfer.id) };
    }
    case 'transfer_rejected':
      return state;
    case 'transfer_credited':
      return { ...state, creditsPosted: state.creditsPosted + event.data.credit.amount };
    case 'credit_returned':
      return { ...state, creditsPosted: state.creditsPosted + movedAmountOf(event.data.transfer) };
    case 'sibling_sent':
      return { ...state, siblingNet: state.siblingNet - event.data.amount };
    case 'sibling_received':
      return { ...state, siblingNet: state.siblingNet + event.data.credit.amount };
    case 'credits_posted':
      return { ...state, creditsPosted: state.creditsPosted + event.data.total };
    default:
      return assertNever(event, 'account event');
  }
}

function withHold(holds: ReadonlyMap<string, TransferRecord>, transfer: TransferRecord): ReadonlyMap<string, TransferRecord> {
  const next = new Map(holds);
  next.set(transfer.id, transfer);
  return next;
}

function withoutHold(holds: ReadonlyMap<string, TransferRecord>, transferId: string): ReadonlyMap<string, TransferRecord> {
  const next = new Map(holds);
  next.delete(transferId);
  return next;
}
