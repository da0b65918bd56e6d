import { directoryEntryOf, withNaturesOfOldSnapshot, type AccountDirectoryEntry, type AccountState } from '../../core/ledger/account.js';
import { accountDecider, type AccountReply } from '../../core/ledger/account-decider.js';
import type { AccountCommand } from '../../core/ledger/commands.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import { assertAccountInvariants, assertAccountInvariantsCheap } from '../../core/ledger/invariants.js';
import type { LedgerRejectionCode } from '../../core/ledger/rejections.js';
import type { CreditRecord, TransferRecord } from '../../core/ledger/transfer.js';
import { assertNever } from '../../core/rejection.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { ActorBehavior, IndexLookup } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { defaultAccountLimits, readingOf, withBufferedCredits, type AccountLimits } from './buffered-credits.js';
import { deliveriesOf } from './deliveries.js';
import { withFields } from '../../core/with-fields.js';
import { accountActorPrefix, type AccountMessage } from './messages.js';

export { defaultAccountLimits, type AccountLimits, type AccountReading } from './buffered-credits.js';

/** One account (or one sub-account of a hot account) = one actor: the account decider, run by the generic adapter. */
export function createAccountBehavior(limits: AccountLimits = defaultAccountLimits): ActorBehavior<AccountState, AccountEvent> {
  const behavior = deciderBehavior<AccountState, AccountMessage, AccountCommand, AccountEvent, LedgerRejectionCode, AccountReply>({
    type: accountActorPrefix,
    decider: accountDecider,
    isQuery: (message) => message.type === 'get_account',
    query: (state) => ({ ok: true, value: readingOf(state, []) }),
    commandOf: (message, { lookup, at }) => commandOf(message, lookup, at),
    indexWritesOf,
    deliveriesOf,
    wakeAt(state) {
      let earliest: number | null = null;
      for (const hold of state.holds.values()) {
        if (hold.expiresAt !== null && (earliest === null || hold.expiresAt < earliest)) earliest = hold.expiresAt;
      }
      return earliest;
    },
    wakeMessage: (): AccountMessage => ({ type: 'expire_pending' }),
    assertInvariants: (state, depth) => (depth === 'deep' ? assertAccountInvariants(state) : assertAccountInvariantsCheap(state)),
    upgradeSnapshot: withNaturesOfOldSnapshot,
  });
  return withBufferedCredits(behavior, limits);
}

export const accountBehavior = createAccountBehavior();

function transferOf(lookup: IndexLookup, id: string): TransferRecord | null {
  return (lookup.get('transfers', id) as TransferRecord | undefined) ?? null;
}

function directoryOf(lookup: IndexLookup, accountId: string): AccountDirectoryEntry | null {
  return (lookup.get('directory', accountId) as AccountDirectoryEntry | undefined) ?? null;
}

function creditOf(lookup: IndexLookup, id: string): CreditRecord | null {
  return (lookup.get('credits', id) as CreditRecord | undefined) ?? null;
}

/** The command for the decider: the message plus the time and what the actor looked up. */
function commandOf(message: AccountMessage, lookup: IndexLookup, at: number): AccountCommand {
  switch (message.type) {
    case 'open_account':
      return { type: 'open_account', data: withFields(message.data, { at }) };
    case 'create_transfer': {
      const { id, content, final, lien } = message.data;
      const data = { id, content, at, final, existing: transferOf(lookup, id), creditAccount: directoryOf(lookup, content.credit) };
      return { type: 'create_transfer', data: lien === undefined ? data : withFields(data, { lien }) };
    }
    case 'post_pending':
      return { type: 'post_pending', data: withFields(message.data, { at, existing: transferOf(lookup, message.data.transferId) }) };
    case 'void_pending':
      return { type: 'void_pending', data: withFields(message.data, { at, existing: transferOf(lookup, message.data.transferId) }) };
    case 'expire_pending':
      return { type: 'expire_pending', data: { at } };
    case 'credit_transfer':
      return { type: 'credit_transfer', data: withFields(message.data, { at, existing: creditOf(lookup, message.data.transferId) }) };
    case 'return_credit':
      return { type: 'return_credit', data: withFields(message.data, { at, existing: transferOf(lookup, message.data.transferId) }) };
    case 'reverse_transfer': {
      const { transferId, reversalId, memo, original, final } = message.data;
      const originalDebitAccount = original === null ? null : directoryOf(lookup, original.debit);
      return {
        type: 'reverse_transfer',
        data: { transferId, reversalId, memo, at, original, final, credit: creditOf(lookup, transferId), existingReversal: transferOf(lookup, reversalId), originalDebitAccount },
      };
    }
    case 'release_investment_lien': {
      const { investmentId, awaitCredits = [] } = message.data;
      return { type: 'release_investment_lien', data: { investmentId, at, creditsPending: awaitCredits.filter((id) => creditOf(lookup, id) === null) } };
    }
    case 'close_account':
      return { type: 'close_account', data: { at } };
    case 'release_to_sibling':
      return { type: 'release_to_sibling', data: withFields(message.data, { at }) };
    case 'receive_from_sibling':
      return { type: 'receive_from_sibling', data: withFields(message.data, { at, existing: creditOf(lookup, message.data.moveId) }) };
    case 'seal_account':
      return { type: 'seal_account', data: withFields(message.data, { at }) };
    case 'unseal_account':
      return { type: 'unseal_account', data: withFields(message.data, { at }) };
    case 'settle_sealed':
      return { type: 'settle_sealed', data: withFields(message.data, { at }) };
    case 'find_transfer': {
      // Read through the mailbox (not as a query): after every write this actor made before.
      const { transferId } = message.data;
      const reversedBy = (lookup.get('reversals', transferId) as string | undefined) ?? null;
      return { type: 'find_transfer', data: { transferId, record: transferOf(lookup, transferId), credit: creditOf(lookup, transferId), reversedBy } };
    }
    case 'flush_buffered_credits':
    case 'get_account':
      throw new Error(`${message.type} is handled around the decider`);
    default:
      return assertNever(message, 'account message');
  }
}

function indexWritesOf(actorId: string, event: AccountEvent, after: AccountState): IndexWrite[] {
  switch (event.type) {
    case 'account_opened':
    case 'account_closed':
      // The directory entry of a hot account is written by its sub-account 0 alone.
      return after.info === null || after.info.subIndex !== 0 ? [] : [{ index: 'directory', key: after.info.id, value: directoryEntryOf(after) }];
    case 'transfer_debited': {
      const { transfer } = event.data;
      const writes: IndexWrite[] = [{ index: 'transfers', key: transfer.id, value: transfer }];
      if (transfer.reverses !== null) writes.push({ index: 'reversals', key: transfer.reverses, value: transfer.id });
      return writes;
    }
    case 'transfer_held':
    case 'pending_posted':
    case 'pending_voided':
    case 'transfer_rejected':
    case 'credit_returned':
      return [{ index: 'transfers', key: event.data.transfer.id, value: event.data.transfer }];
    case 'transfer_credited':
    case 'sibling_received':
      return [{ index: 'credits', key: event.data.credit.transferId, value: event.data.credit }];
    case 'credits_posted':
      return event.data.credits.map((credit) => ({ index: 'credits', key: credit.transferId, value: credit }));
    case 'sibling_sent':
    case 'account_sealed':
    case 'account_unsealed':
    case 'investment_lien_placed':
    case 'investment_lien_released':
      return [];
    default:
      void actorId;
      return assertNever(event, 'account event');
  }
}
