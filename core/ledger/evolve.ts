import { assertNever } from '../rejection.js';
import { openedNatures, type AccountState } from './account.js';
import { plainSplit, withSplit, type NatureBook, type NatureSplit } from './nature.js';
import type { AccountEvent } from './events.js';
import { movedAmountOf, type TransferRecord } from './transfer.js';

/** The account's state after one event. Returns a new state; the given one is not changed. */
export function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'account_opened':
      return { ...state, info: event.data.account, natures: openedNatures(event.data.account) };
    case 'account_closed':
      return { ...state, closedAt: event.data.closedAt };
    case 'account_sealed':
      return { ...state, sealedBy: event.data.closeNo };
    case 'account_unsealed': {
      const { closeNo } = event.data;
      return { ...state, sealedBy: state.sealedBy !== null && state.sealedBy <= closeNo ? null : state.sealedBy, closesEnded: Math.max(state.closesEnded, closeNo) };
    }
    case 'transfer_debited': {
      const { transfer } = event.data;
      return { ...state, debitsPosted: state.debitsPosted + transfer.amount, natures: state.natures && posted(state.natures, drawnOf(transfer, transfer.amount), -1n) };
    }
    case 'transfer_held': {
      const { transfer } = event.data;
      return { ...state, debitsPending: state.debitsPending + transfer.amount, holds: withHold(state.holds, transfer), natures: state.natures && held(state.natures, drawnOf(transfer, transfer.amount), 1n) };
    }
    case 'pending_posted': {
      const { transfer } = event.data;
      const hold = state.holds.get(transfer.id) ?? transfer;
      return {
        ...state,
        debitsPending: state.debitsPending - transfer.amount,
        debitsPosted: state.debitsPosted + movedAmountOf(transfer),
        holds: withoutHold(state.holds, transfer.id),
        natures: state.natures && posted(held(state.natures, drawnOf(hold, hold.amount), -1n), drawnOf(transfer, movedAmountOf(transfer)), -1n),
      };
    }
    case 'pending_voided': {
      const { transfer } = event.data;
      return { ...state, debitsPending: state.debitsPending - transfer.amount, holds: withoutHold(state.holds, transfer.id), natures: state.natures && held(state.natures, drawnOf(transfer, transfer.amount), -1n) };
    }
    case 'investment_lien_placed': {
      const liens = new Map(state.investmentLiens);
      liens.set(event.data.investmentId, event.data.at);
      return { ...state, investmentLiens: liens };
    }
    case 'investment_lien_released': {
      const liens = new Map(state.investmentLiens);
      liens.delete(event.data.investmentId);
      return { ...state, investmentLiens: liens };
    }
    case 'transfer_rejected':
      return state;
    case 'transfer_credited': {
      const { credit } = event.data;
      return { ...state, creditsPosted: state.creditsPosted + credit.amount, natures: state.natures && posted(state.natures, credit.natures ?? plainSplit(credit.amount), 1n) };
    }
    case 'credit_returned': {
      const { transfer } = event.data;
      return { ...state, creditsPosted: state.creditsPosted + movedAmountOf(transfer), natures: state.natures && posted(state.natures, drawnOf(transfer, movedAmountOf(transfer)), 1n) };
    }
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

/** What a debit record took per nature; a record from before natures took withdrawable money. */
function drawnOf(transfer: TransferRecord, amount: bigint): NatureSplit {
  return transfer.drawn ?? plainSplit(amount);
}

// Called only for an account that keeps natures (`state.natures && …`): one that keeps none
// builds no split and no closure on its events, the hot path's.
function posted(book: NatureBook, split: NatureSplit, sign: 1n | -1n): NatureBook {
  return { ...book, balance: withSplit(book.balance, split, sign) };
}

function held(book: NatureBook, split: NatureSplit, sign: 1n | -1n): NatureBook {
  return { ...book, held: withSplit(book.held, split, sign) };
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
