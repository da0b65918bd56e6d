import { assert, reject, type Rejection } from '../rejection.js';
import type { AccountState } from './account.js';
import type { ExpirePending, PostPending, VoidPending } from './commands.js';
import { duplicate, type AccountDecision } from './decision.js';
import type { AccountEvent } from './events.js';
import type { LedgerRejectionCode } from './rejections.js';
import { leadingPart } from './nature.js';
import type { TransferRecord } from './transfer.js';

/**
 * post_pending, at the debit account, checked in this order:
 * 1. transfer_not_found (no record, or the command was refused)
 * 2. transfer_not_pending (an immediate transfer)
 * 3. already posted (or posted and returned): same amount → duplicate, else pending_transfer_already_posted
 * 4. already voided: pending_transfer_expired if by its timeout, else pending_transfer_already_voided
 * 5. pending_transfer_expired (its timeout passed, the timer has not swept it yet)
 * 6. amount_must_be_positive, exceeds_pending_transfer_amount
 * A partial post releases the rest of the hold back to available.
 */
export function decidePostPending(state: AccountState, { data }: PostPending): AccountDecision {
  const hold = openHold(state, data.existing, data.transferId, data.at);
  if (!isHold(hold)) {
    if (hold === 'posted') {
      const posted = data.existing?.postedAmount;
      return data.amount === null || data.amount === posted
        ? duplicate
        : reject('pending_transfer_already_posted', `transfer ${data.transferId} was already posted`);
    }
    return hold;
  }
  const amount = data.amount ?? hold.amount;
  if (amount <= 0n) return reject('amount_must_be_positive', 'the amount must be greater than zero');
  if (amount > hold.amount) return reject('exceeds_pending_transfer_amount', `at most ${hold.amount} minor units are held`);
  const posted: TransferRecord = { ...hold, status: 'posted', postedAmount: amount, updatedAt: data.at };
  // What moves of the natures the hold drew: its first `amount`, in the order drawn.
  const transfer = hold.drawn === undefined ? posted : { ...posted, drawn: leadingPart(hold.drawn, amount) };
  return [{ type: 'pending_posted', data: { transfer } }];
}

/**
 * void_pending, at the debit account, checked in this order:
 * 1. transfer_not_found, 2. transfer_not_pending
 * 3. already posted → pending_transfer_already_posted
 * 4. already voided: by a client → duplicate; by its timeout → pending_transfer_expired
 * 5. pending_transfer_expired (timeout passed, not yet swept)
 */
export function decideVoidPending(state: AccountState, { data }: VoidPending): AccountDecision {
  const hold = openHold(state, data.existing, data.transferId, data.at);
  if (!isHold(hold)) {
    if (hold === 'posted') return reject('pending_transfer_already_posted', `transfer ${data.transferId} was already posted`);
    if (hold.code === 'pending_transfer_already_voided') return duplicate;
    return hold;
  }
  const transfer: TransferRecord = { ...hold, status: 'voided', voidReason: 'voided', updatedAt: data.at };
  return [{ type: 'pending_voided', data: { transfer } }];
}

/** expire_pending never refuses: it voids every hold whose timeout has passed (oldest first). */
export function decideExpirePending(state: AccountState, { data }: ExpirePending): AccountDecision {
  const due = [...state.holds.values()]
    .filter((hold) => hold.expiresAt !== null && hold.expiresAt <= data.at)
    .sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0) || (a.id < b.id ? -1 : 1));
  return due.map(
    (hold): AccountEvent => ({
      type: 'pending_voided',
      data: { transfer: { ...hold, status: 'voided', voidReason: 'expired', updatedAt: data.at } },
    }),
  );
}

type HoldLookup = TransferRecord | 'posted' | Rejection<LedgerRejectionCode>;

function isHold(lookup: HoldLookup): lookup is TransferRecord {
  return typeof lookup === 'object' && !('kind' in lookup);
}

/** The open hold for `transferId`, or why there is none (rules 1–5 of post and void). */
function openHold(state: AccountState, existing: TransferRecord | null, transferId: string, at: number): HoldLookup {
  if (existing === null || existing.status === 'rejected') return reject('transfer_not_found', `no transfer ${transferId}`);
  if (!existing.pending) return reject('transfer_not_pending', `transfer ${transferId} is not a pending transfer`);
  if (existing.status === 'posted' || existing.status === 'returned') return 'posted';
  if (existing.status === 'voided') {
    return existing.voidReason === 'expired'
      ? reject('pending_transfer_expired', `transfer ${transferId} expired`)
      : reject('pending_transfer_already_voided', `transfer ${transferId} was already voided`);
  }
  const hold = state.holds.get(transferId);
  assert(hold !== undefined, `pending transfer ${transferId} has no hold on its debit account`);
  if (hold.expiresAt !== null && hold.expiresAt <= at) return reject('pending_transfer_expired', `transfer ${transferId} expired`);
  return hold;
}
