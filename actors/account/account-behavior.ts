import { balanceOf, directoryEntryOf, initialAccountState, type AccountDirectoryEntry, type AccountState } from '../../core/ledger/account.js';
import type { AccountCommand, PostBufferedCredits } from '../../core/ledger/commands.js';
import { bufferedCreditRefusal } from '../../core/ledger/decide-buffered.js';
import { decide } from '../../core/ledger/decide.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import { evolve } from '../../core/ledger/evolve.js';
import { assertAccountInvariants, assertAccountInvariantsCheap } from '../../core/ledger/invariants.js';
import type { SealedPartReport } from '../../core/ledger/hot-close.js';
import type { CreditRecord, TransferRecord } from '../../core/ledger/transfer.js';
import { assertNever, isRejection } from '../../core/rejection.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { ActorBehavior, ActorReply, Handled, IndexLookup } from '../runtime/behavior.js';
import { deliveriesOf } from './deliveries.js';
import { accountActorPrefix, type AccountMessage, type CreditMessageData, type TransferFinding } from './messages.js';

/** Limits of account actors. */
export interface AccountLimits {
  /** A buffering (non-real-time) account posts the credits it holds once it holds this many… */
  readonly bufferFlushCreditsMax: number;
  /** …or this long after it took the first one. */
  readonly bufferFlushIntervalMs: number;
}

export const defaultAccountLimits: AccountLimits = { bufferFlushCreditsMax: 1_000, bufferFlushIntervalMs: 200 };

/** What `get_account` answers: the decider's state, and the credits a buffering account holds. */
export interface AccountReading {
  readonly state: AccountState;
  readonly bufferedCount: number;
  readonly bufferedTotal: bigint;
}

/** One account (or one sub-account of a hot account) = one actor, around the pure ledger decider. */
export function createAccountBehavior(limits: AccountLimits = defaultAccountLimits): ActorBehavior<AccountState, AccountEvent> {
  return {
    type: accountActorPrefix,
    initialState: () => initialAccountState,
    isQuery: (message) => (message as AccountMessage).type === 'get_account',
    query: (state, _message, held) => {
      const credits = heldCredits(held);
      const reading: AccountReading = { state, bufferedCount: credits.length, bufferedTotal: credits.reduce((sum, c) => sum + c.amount, 0n) };
      return { ok: true, value: reading };
    },
    handle(state, message, lookup, at, held): Handled<AccountEvent> {
      const m = message as AccountMessage;
      if (m.type === 'flush_buffered_credits') return postBufferedCredits(state, heldCredits(held), lookup, at, { ok: true, value: null });
      if (m.type === 'find_transfer') return { events: [], reply: { ok: true, value: findingOf(lookup, m.data.transferId) } };
      if (m.type === 'credit_transfer' && state.info?.bufferCredits === true && lookup.get('credits', m.data.transferId) === undefined) {
        // Held unanswered: the sender's outbox still owes it until the aggregated posting is durable.
        const credits = heldCredits(held);
        if (credits.length + 1 < limits.bufferFlushCreditsMax) return { events: [], reply: null };
        return { ...postBufferedCredits(state, [...credits, m.data], lookup, at, null) };
      }
      const command = commandOf(m, lookup, at);
      const decision = decide(state, command);
      if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
      return { events: decision, reply: replyOf(command, decision, state) };
    },
    evolve,
    indexWritesOf,
    deliveriesOf: (actorId, event) => deliveriesOf(actorId, event),
    wakeAt(state) {
      let earliest: number | null = null;
      for (const hold of state.holds.values()) {
        if (hold.expiresAt !== null && (earliest === null || hold.expiresAt < earliest)) earliest = hold.expiresAt;
      }
      return earliest;
    },
    wakeMessage: (): AccountMessage => ({ type: 'expire_pending' }),
    holdDelayMs: (state) => (state.info?.bufferCredits === true ? limits.bufferFlushIntervalMs : null),
    releaseHeldMessage: (): AccountMessage => ({ type: 'flush_buffered_credits' }),
    assertInvariants: (state, depth) => (depth === 'deep' ? assertAccountInvariants(state) : assertAccountInvariantsCheap(state)),
  };
}

export const accountBehavior = createAccountBehavior();

function heldCredits(held: readonly unknown[]): CreditMessageData[] {
  const credits: CreditMessageData[] = [];
  for (const message of held) {
    const m = message as AccountMessage;
    if (m.type === 'credit_transfer') credits.push(m.data);
  }
  return credits;
}

/**
 * The buffered credits posted as one event; every held credit is then answered: taken
 * (or taken before), or refused like a single credit would be (and so returned).
 */
function postBufferedCredits(
  state: AccountState,
  credits: readonly CreditMessageData[],
  lookup: IndexLookup,
  at: number,
  reply: ActorReply | null,
): Handled<AccountEvent> {
  const withExisting = credits.map((credit) => ({ ...credit, at, existing: (lookup.get('credits', credit.transferId) as CreditRecord | undefined) ?? null }));
  const command: PostBufferedCredits = { type: 'post_buffered_credits', data: { credits: withExisting, at } };
  const decision = decide(state, command);
  const events = isRejection(decision) ? [] : decision;
  const posted = new Map<string, CreditRecord>();
  for (const event of events) if (event.type === 'credits_posted') for (const credit of event.data.credits) posted.set(credit.transferId, credit);
  const byId = new Map(withExisting.map((credit) => [credit.transferId, credit]));
  const releaseHeld = (message: unknown): ActorReply => {
    const m = message as AccountMessage;
    if (m.type !== 'credit_transfer') return { ok: true, value: null };
    const credit = byId.get(m.data.transferId);
    const taken = posted.get(m.data.transferId) ?? credit?.existing ?? null;
    if (taken !== null) return { ok: true, value: taken };
    const code = credit === undefined ? 'credit_account_not_found' : (bufferedCreditRefusal(state, credit) ?? 'credit_account_not_found');
    return { ok: false, code, detail: `credit ${m.data.transferId} refused: ${code}` };
  };
  return { events, reply, releaseHeld };
}

function transferOf(lookup: IndexLookup, id: string): TransferRecord | null {
  return (lookup.get('transfers', id) as TransferRecord | undefined) ?? null;
}

/** Read through the mailbox (not as a query): after every write this actor made before. */
function findingOf(lookup: IndexLookup, transferId: string): TransferFinding {
  return { record: transferOf(lookup, transferId), credit: creditOf(lookup, transferId), reversedBy: (lookup.get('reversals', transferId) as string | undefined) ?? null };
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
      return { type: 'open_account', data: { ...message.data, at } };
    case 'create_transfer': {
      const { id, content, final } = message.data;
      return { type: 'create_transfer', data: { id, content, at, final, existing: transferOf(lookup, id), creditAccount: directoryOf(lookup, content.credit) } };
    }
    case 'post_pending':
      return { type: 'post_pending', data: { ...message.data, at, existing: transferOf(lookup, message.data.transferId) } };
    case 'void_pending':
      return { type: 'void_pending', data: { ...message.data, at, existing: transferOf(lookup, message.data.transferId) } };
    case 'expire_pending':
      return { type: 'expire_pending', data: { at } };
    case 'credit_transfer':
      return { type: 'credit_transfer', data: { ...message.data, at, existing: creditOf(lookup, message.data.transferId) } };
    case 'return_credit':
      return { type: 'return_credit', data: { ...message.data, at, existing: transferOf(lookup, message.data.transferId) } };
    case 'reverse_transfer': {
      const { transferId, reversalId, memo, original, final } = message.data;
      const originalDebitAccount = original === null ? null : directoryOf(lookup, original.debit);
      return {
        type: 'reverse_transfer',
        data: { transferId, reversalId, memo, at, original, final, credit: creditOf(lookup, transferId), existingReversal: transferOf(lookup, reversalId), originalDebitAccount },
      };
    }
    case 'close_account':
      return { type: 'close_account', data: { at } };
    case 'release_to_sibling':
      return { type: 'release_to_sibling', data: { ...message.data, at } };
    case 'receive_from_sibling':
      return { type: 'receive_from_sibling', data: { ...message.data, at, existing: creditOf(lookup, message.data.moveId) } };
    case 'seal_account':
      return { type: 'seal_account', data: { ...message.data, at } };
    case 'unseal_account':
      return { type: 'unseal_account', data: { ...message.data, at } };
    case 'settle_sealed':
      return { type: 'settle_sealed', data: { ...message.data, at } };
    case 'flush_buffered_credits':
    case 'get_account':
    case 'find_transfer':
      throw new Error(`${message.type} is handled before the decider`);
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
    case 'receive_from_sibling':
      return { ok: true, value: first?.type === 'sibling_received' ? first.data.credit : command.data.existing };
    case 'release_to_sibling':
      return { ok: true, value: first?.type === 'sibling_sent' ? { given: first.data.amount, moveId: first.data.moveId } : { given: 0n, moveId: null } };
    case 'expire_pending':
      return { ok: true, value: events.length };
    case 'close_account':
      return { ok: true, value: { closedAt: first?.type === 'account_closed' ? first.data.closedAt : before.closedAt } };
    case 'post_buffered_credits':
    case 'unseal_account':
    case 'settle_sealed':
      return { ok: true, value: null };
    case 'seal_account':
      return { ok: true, value: sealedReportOf(before, first?.type === 'account_sealed' ? first.data.closeNo : before.sealedBy) };
    default:
      return assertNever(command, 'account command');
  }
}

/** What a sealed part tells its close (a seal changes no balance: the state before it tells the figures). */
function sealedReportOf(state: AccountState, sealedBy: number | null): SealedPartReport {
  return { part: state.info?.subIndex ?? 0, sealedBy, balance: balanceOf(state), siblingNet: state.siblingNet, holds: state.holds.size, closedAt: state.closedAt };
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
      return [];
    default:
      void actorId;
      return assertNever(event, 'account event');
  }
}
