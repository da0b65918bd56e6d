import { directoryEntryOf, initialAccountState, type AccountDirectoryEntry, type AccountState } from '../../core/ledger/account.js';
import type { AccountCommand } from '../../core/ledger/commands.js';
import { decide } from '../../core/ledger/decide.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import { evolve } from '../../core/ledger/evolve.js';
import { assertAccountInvariants, assertAccountInvariantsCheap } from '../../core/ledger/invariants.js';
import type { CreditRecord, TransferRecord } from '../../core/ledger/transfer.js';
import { assertNever, isRejection } from '../../core/rejection.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { ActorBehavior, ActorReply, Delivery, Handled, IndexLookup } from '../runtime/behavior.js';
import { accountActorPrefix, type AccountMessage } from './messages.js';
import { creditDeliveryOf } from './deliveries.js';

/** One account = one actor (`acct:<id>`), around the pure ledger decider. */
export const accountBehavior: ActorBehavior<AccountState, AccountEvent> = {
  type: accountActorPrefix,
  initialState: () => initialAccountState,
  isQuery: (message) => (message as AccountMessage).type === 'get_account',
  query: (state) => ({ ok: true, value: state }),
  handle(state, message, lookup, at): Handled<AccountEvent> {
    const command = commandOf(message as AccountMessage, lookup, at);
    const decision = decide(state, command);
    if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
    return { events: decision, reply: replyOf(command, decision, state) };
  },
  evolve,
  indexWritesOf,
  deliveriesOf: (_actorId, event) => deliveriesOf(event),
  wakeAt(state) {
    let earliest: number | null = null;
    for (const hold of state.holds.values()) {
      if (hold.expiresAt !== null && (earliest === null || hold.expiresAt < earliest)) earliest = hold.expiresAt;
    }
    return earliest;
  },
  wakeMessage: (): AccountMessage => ({ type: 'expire_pending' }),
  assertInvariants: (state, depth) => (depth === 'deep' ? assertAccountInvariants(state) : assertAccountInvariantsCheap(state)),
};

function transferOf(lookup: IndexLookup, id: string): TransferRecord | null {
  return (lookup.get('transfers', id) as TransferRecord | undefined) ?? null;
}

function directoryOf(lookup: IndexLookup, accountId: string): AccountDirectoryEntry | null {
  return (lookup.get('directory', accountId) as AccountDirectoryEntry | undefined) ?? null;
}

/** The command for the decider: the message plus the time and what the actor looked up. */
function commandOf(message: AccountMessage, lookup: IndexLookup, at: number): AccountCommand {
  switch (message.type) {
    case 'open_account':
      return { type: 'open_account', data: { ...message.data, at } };
    case 'create_transfer': {
      const { id, content } = message.data;
      return { type: 'create_transfer', data: { id, content, at, existing: transferOf(lookup, id), creditAccount: directoryOf(lookup, content.credit) } };
    }
    case 'post_pending':
      return { type: 'post_pending', data: { ...message.data, at, existing: transferOf(lookup, message.data.transferId) } };
    case 'void_pending':
      return { type: 'void_pending', data: { ...message.data, at, existing: transferOf(lookup, message.data.transferId) } };
    case 'expire_pending':
      return { type: 'expire_pending', data: { at } };
    case 'credit_transfer': {
      const existing = (lookup.get('credits', message.data.transferId) as CreditRecord | undefined) ?? null;
      return { type: 'credit_transfer', data: { ...message.data, at, existing } };
    }
    case 'return_credit':
      return { type: 'return_credit', data: { ...message.data, at, existing: transferOf(lookup, message.data.transferId) } };
    case 'reverse_transfer': {
      const { transferId, reversalId, memo, original } = message.data;
      const credit = (lookup.get('credits', transferId) as CreditRecord | undefined) ?? null;
      const originalDebitAccount = original === null ? null : directoryOf(lookup, original.debit);
      return {
        type: 'reverse_transfer',
        data: { transferId, reversalId, memo, at, original, credit, existingReversal: transferOf(lookup, reversalId), originalDebitAccount },
      };
    }
    case 'close_account':
      return { type: 'close_account', data: { at } };
    case 'get_account':
      throw new Error('get_account is a query, not a command');
    default:
      return assertNever(message, 'account message');
  }
}

/**
 * The reply to an accepted command (or a duplicate: no events). Transfer replies carry the
 * record; a duplicate of a refused transfer gets the recorded refusal again.
 */
function replyOf(command: AccountCommand, events: readonly AccountEvent[], before: AccountState): ActorReply {
  const first = events[0];
  switch (command.type) {
    case 'open_account':
      return { ok: true, value: first?.type === 'account_opened' ? first.data.account : before.info };
    case 'create_transfer': {
      const record = first !== undefined && 'transfer' in first.data ? first.data.transfer : command.data.existing;
      if (record === null) throw new Error('create_transfer decided nothing and found nothing');
      return record.rejection !== null ? { ok: false, code: record.rejection.code, detail: record.rejection.detail } : { ok: true, value: record };
    }
    case 'post_pending':
    case 'void_pending':
    case 'return_credit':
      return { ok: true, value: first !== undefined && 'transfer' in first.data ? first.data.transfer : command.data.existing };
    case 'reverse_transfer':
      return { ok: true, value: first !== undefined && 'transfer' in first.data ? first.data.transfer : command.data.existingReversal };
    case 'credit_transfer':
      return { ok: true, value: first?.type === 'transfer_credited' ? first.data.credit : command.data.existing };
    case 'expire_pending':
      return { ok: true, value: events.length };
    case 'close_account':
      return { ok: true, value: { closedAt: first?.type === 'account_closed' ? first.data.closedAt : before.closedAt } };
    default:
      return assertNever(command, 'account command');
  }
}

function indexWritesOf(actorId: string, event: AccountEvent, after: AccountState): IndexWrite[] {
  switch (event.type) {
    case 'account_opened':
    case 'account_closed':
      return [{ index: 'directory', key: after.info?.id ?? actorId, value: directoryEntryOf(after) }];
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
      return [{ index: 'credits', key: event.data.credit.transferId, value: event.data.credit }];
    default:
      return assertNever(event, 'account event');
  }
}

function deliveriesOf(event: AccountEvent): Delivery[] {
  switch (event.type) {
    case 'transfer_debited':
    case 'pending_posted':
      return [creditDeliveryOf(event.data.transfer)];
    default:
      return [];
  }
}
