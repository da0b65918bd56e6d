import type { AccountKind } from '../../core/ledger/account.js';
import type { Currency } from '../../core/money/currency.js';
import { accountActorId, type AccountMessage } from '../account/messages.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import { accountOwnerActorId, claimId } from './id-owners.js';

/**
 * Opens an account of the platform's own (`sys.*`, which clients may not open), idempotently:
 * its id bound at its owner to its settings, then the account opened. At every start for
 * the system accounts; on first use for an FX position.
 */
export async function openSystemAccount(bus: Bus, spec: { readonly id: string; readonly kind: AccountKind; readonly overdraft: boolean; readonly currency: Currency }): Promise<ActorReply> {
  const settings = { id: spec.id, kind: spec.kind, currency: spec.currency, overdraft: spec.overdraft, subAccounts: 1, bufferCredits: false } as const;
  const claimed = await bus.ask(accountOwnerActorId(spec.id), claimId(spec.id, settings));
  if (!claimed.ok) return claimed;
  const open: AccountMessage = { type: 'open_account', data: { ...settings, subIndex: 0 } };
  return bus.ask(accountActorId(spec.id), open);
}
