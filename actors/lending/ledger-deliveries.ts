import type { TransferContent } from '../../core/ledger/transfer.js';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import type { Delivery } from '../runtime/behavior.js';

/**
 * Ledger steps of the lending sagas, as outbox deliveries to the debit account. Transfer
 * ids are derived from the saga's own id, so a redelivery is a duplicate the account
 * answers from its record (the same acceptance, or the same recorded refusal); the account
 * tells the id's owner of it (actors/account/deliveries.ts).
 */
export function transferDelivery(
  id: string,
  content: TransferContent,
  next: { readonly accepted: Delivery | null; readonly refused: (code: string, detail: string) => Delivery | null },
): Delivery {
  // Lending moves money between plain accounts (wallets and system accounts are never hot),
  // so the first try is the final one.
  const message: AccountMessage = { type: 'create_transfer', data: { id, content, final: true } };
  return { to: accountActorId(content.debit), message, onAccepted: () => next.accepted, onRefused: next.refused };
}

export function postPendingDelivery(debit: string, transferId: string, refused: ((code: string, detail: string) => Delivery | null) | null = null): Delivery {
  const message: AccountMessage = { type: 'post_pending', data: { transferId, amount: null } };
  return { to: accountActorId(debit), message, onRefused: refused };
}

export function voidPendingDelivery(debit: string, transferId: string): Delivery {
  const message: AccountMessage = { type: 'void_pending', data: { transferId } };
  return { to: accountActorId(debit), message, onRefused: null };
}

/** A message for an actor, with nothing to do after it. */
export function tell(to: string, message: unknown): Delivery {
  return { to, message, onRefused: null };
}
