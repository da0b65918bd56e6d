import type { AccountState } from '../../core/ledger/account.js';
import { accountDecider } from '../../core/ledger/account-decider.js';
import type { PostBufferedCredits } from '../../core/ledger/commands.js';
import { bufferedCreditRefusal } from '../../core/ledger/decide-buffered.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import type { CreditRecord } from '../../core/ledger/transfer.js';
import { isRejection } from '../../core/rejection.js';
import type { ActorBehavior, ActorReply, Handled, IndexLookup } from '../runtime/behavior.js';
import type { AccountMessage, CreditMessageData } from './messages.js';

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

export function readingOf(state: AccountState, held: readonly unknown[]): AccountReading {
  const credits = heldCredits(held);
  return { state, bufferedCount: credits.length, bufferedTotal: credits.reduce((sum, c) => sum + c.amount, 0n) };
}

/**
 * A non-real-time account (`bufferCredits`): a credit is held unanswered — the sender's
 * outbox still owes it until the aggregated posting is durable — and the held credits are
 * posted as one event (`post_buffered_credits`, decided by the account decider) once there
 * are `bufferFlushCreditsMax` of them or `bufferFlushIntervalMs` after the first. Around the
 * adapter that runs the account decider, like the settle waits are around theirs.
 */
export function withBufferedCredits(behavior: ActorBehavior<AccountState, AccountEvent>, limits: AccountLimits): ActorBehavior<AccountState, AccountEvent> {
  return {
    ...behavior,
    query: (state, message, held) => ((message as AccountMessage).type === 'get_account' ? { ok: true, value: readingOf(state, held) } : behavior.query(state, message, held)),
    handle(state, message, lookup, at, held): Handled<AccountEvent> {
      const m = message as AccountMessage;
      if (m.type === 'flush_buffered_credits') return postBufferedCredits(state, heldCredits(held), lookup, at, { ok: true, value: null });
      if (m.type === 'credit_transfer' && state.info?.bufferCredits === true && lookup.get('credits', m.data.transferId) === undefined) {
        const credits = heldCredits(held);
        if (credits.length + 1 < limits.bufferFlushCreditsMax) return { events: [], reply: null };
        return postBufferedCredits(state, [...credits, m.data], lookup, at, null);
      }
      return behavior.handle(state, message, lookup, at, held);
    },
    holdDelayMs: (state) => (state.info?.bufferCredits === true ? limits.bufferFlushIntervalMs : null),
    releaseHeldMessage: (): AccountMessage => ({ type: 'flush_buffered_credits' }),
  };
}

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
function postBufferedCredits(state: AccountState, credits: readonly CreditMessageData[], lookup: IndexLookup, at: number, reply: ActorReply | null): Handled<AccountEvent> {
  const withExisting = credits.map((credit) => ({ ...credit, at, existing: (lookup.get('credits', credit.transferId) as CreditRecord | undefined) ?? null }));
  const command: PostBufferedCredits = { type: 'post_buffered_credits', data: { credits: withExisting, at } };
  const decision = accountDecider.decide(state, command);
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
