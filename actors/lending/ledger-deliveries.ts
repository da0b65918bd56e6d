import type { TransferContent } from '../../core/ledger/transfer.js';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import type { Delivery } from '../runtime/behavior.js';
import { systemAccounts } from './ids.js';
import { withFields } from '../../core/with-fields.js';

/**
 * Ledger steps of the lending sagas, as outbox deliveries to the debit account. Transfer
 * ids are derived from the saga's own id, so a redelivery is a duplicate the account
 * answers from its record (the same acceptance, or the same recorded refusal); the account
 * tells the id's owner of it (actors/account/deliveries.ts).
 *
 * `waitsForFunds`: the money to be moved is owed to the debit account by a credit that may
 * still be on its way (see `waitsForItsCredits`); short funds then mean "not yet", never a refusal.
 * `lien`: the investment the debit funds; booked, the wallet keeps that investment's lien.
 */
export function transferDelivery(
  id: string,
  content: TransferContent,
  next: { readonly accepted: Delivery | null; readonly refused: (code: string, detail: string) => Delivery | null },
  { waitsForFunds = waitsForItsCredits.has(content.debit), lien }: { readonly waitsForFunds?: boolean; readonly lien?: string } = {},
): Delivery {
  // Lending moves money between plain accounts (wallets and system accounts are never hot),
  // so the first try is the final one — unless the money may be late: then every try is a
  // first (`final: false`), short funds are answered `sub_account_short` and recorded
  // nowhere, and the relay asks again until the credit is in.
  const data = { id, content, final: !waitsForFunds };
  const message: AccountMessage = { type: 'create_transfer', data: lien === undefined ? data : withFields(data, { lien }) };
  const delivery: Delivery = { to: accountActorId(content.debit), message, onAccepted: () => next.accepted, onRefused: next.refused };
  return waitsForFunds ? withFields(delivery, { retryOnRefusal: ['sub_account_short'] }) : delivery;
}

/**
 * Accounts whose every saga debit waits for its funds. Money reaches sys.pool as the credit
 * half of a transfer decided at another account (an investor's wallet, the transit, the
 * interest pool) and carried by that account's outbox, while the capital it stands for goes
 * to a shard at once; a pull-back, a disbursement or a claim transfer's payout of that
 * capital can reach sys.pool before the credit does (a node restarting, a link down). The
 * shards bound the money leaving the pool, so such a debit is only early. Refused for good,
 * the money would stay in the pool and the wallet stay short of the bank.
 */
const waitsForItsCredits: ReadonlySet<string> = new Set([systemAccounts.pool]);

export function postPendingDelivery(debit: string, transferId: string, refused: ((code: string, detail: string) => Delivery | null) | null = null): Delivery {
  const message: AccountMessage = { type: 'post_pending', data: { transferId, amount: null } };
  return { to: accountActorId(debit), message, onRefused: refused };
}

/**
 * The investment's money is back in the wallet: its lien goes (a duplicate when gone already),
 * once the credits of `awaitCredits` (the transfers that paid it back) are in: until then the
 * wallet answers "not yet" and the relay asks again.
 */
export function releaseLienDelivery(wallet: string, investmentId: string, awaitCredits: readonly string[]): Delivery {
  const message: AccountMessage = { type: 'release_investment_lien', data: { investmentId, awaitCredits } };
  return { to: accountActorId(wallet), message, onRefused: null, retryOnRefusal: ['investment_credits_in_flight'] };
}

export function voidPendingDelivery(debit: string, transferId: string): Delivery {
  const message: AccountMessage = { type: 'void_pending', data: { transferId } };
  return { to: accountActorId(debit), message, onRefused: null };
}

/** A message for an actor, with nothing to do after it. */
export function tell(to: string, message: unknown): Delivery {
  return { to, message, onRefused: null };
}
