import type { AccountEvent } from '../../core/ledger/events.js';
import { movedAmountOf, type TransferRecord } from '../../core/ledger/transfer.js';
import type { NatureSplit } from '../../core/ledger/nature.js';
import type { Delivery } from '../runtime/behavior.js';
import { noteToOwner } from '../ledger/id-owners.js';
import { systemIdPrefix } from '../lending/ids.js';
import { accountActorId, accountIdOf, type AccountMessage } from './messages.js';

/**
 * The credit a debit obliges us to deliver, to the credit account's sub-account. If the
 * credit side refuses for good (it was closed meanwhile), the money goes back: a return
 * delivered to the sub-account that debited.
 */
export function creditDeliveryOf(transfer: TransferRecord): Delivery {
  const credit: AccountMessage = {
    type: 'credit_transfer',
    data: {
      transferId: transfer.id,
      debit: transfer.debit,
      credit: transfer.credit,
      amount: movedAmountOf(transfer),
      currency: transfer.currency,
      reverses: transfer.reverses,
      ...(transfer.nature === undefined ? {} : { nature: transfer.nature }),
      ...naturesCarried(transfer),
    },
  };
  return {
    to: accountActorId(transfer.credit, transfer.creditPart),
    message: credit,
    onRefused: (code) => returnDeliveryOf(transfer, code),
  };
}

/** The natures the credit keeps: a reversal's give back its original's; a wallet's go with the money. */
function naturesCarried(transfer: TransferRecord): { natures?: NatureSplit } {
  const natures = transfer.restores ?? transfer.drawn;
  return natures === undefined ? {} : { natures };
}

function returnDeliveryOf(transfer: TransferRecord, code: string): Delivery {
  const message: AccountMessage = { type: 'return_credit', data: { transferId: transfer.id, code } };
  return { to: accountActorId(transfer.debit, transfer.debitPart), message, onRefused: null };
}

/** Money a sub-account gave a sibling, delivered at least once to that sibling. */
function siblingDeliveryOf(actorId: string, event: Extract<AccountEvent, { type: 'sibling_sent' }>): Delivery {
  const fromSubIndex = Number(actorId.slice(actorId.lastIndexOf('#') + 1));
  const message: AccountMessage = { type: 'receive_from_sibling', data: { moveId: event.data.moveId, fromSubIndex, amount: event.data.amount } };
  return { to: accountActorId(accountIdOf(actorId), event.data.toSubIndex), message, onRefused: null };
}

/** A transfer of fundcore's own: its owner is told once it is recorded (a client's is claimed before). */
function ownerNotesOf(transfer: TransferRecord): Delivery[] {
  return transfer.id.startsWith(systemIdPrefix) ? [noteToOwner(transfer.id, transfer.debit)] : [];
}

export function deliveriesOf(actorId: string, event: AccountEvent): Delivery[] {
  switch (event.type) {
    case 'transfer_debited':
      return [creditDeliveryOf(event.data.transfer), ...ownerNotesOf(event.data.transfer)];
    case 'transfer_held':
      return ownerNotesOf(event.data.transfer);
    case 'pending_posted':
      return [creditDeliveryOf(event.data.transfer)];
    case 'sibling_sent':
      return [siblingDeliveryOf(actorId, event)];
    default:
      return [];
  }
}
