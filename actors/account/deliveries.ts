import { movedAmountOf, type TransferRecord } from '../../core/ledger/transfer.js';
import type { Delivery } from '../runtime/behavior.js';
import { accountActorId, type AccountMessage } from './messages.js';

/**
 * The credit a debit obliges us to deliver. If the credit side refuses for good (it was
 * closed meanwhile), the money goes back: a return delivered to the debit side.
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
    },
  };
  return {
    to: accountActorId(transfer.credit),
    message: credit,
    onRefused: (code) => returnDeliveryOf(transfer, code),
  };
}

function returnDeliveryOf(transfer: TransferRecord, code: string): Delivery {
  const message: AccountMessage = { type: 'return_credit', data: { transferId: transfer.id, code } };
  return { to: accountActorId(transfer.debit), message, onRefused: null };
}
