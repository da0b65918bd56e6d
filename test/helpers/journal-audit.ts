import { initialAccountState, type AccountState } from '../../core/ledger/account.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import { evolve } from '../../core/ledger/evolve.js';
import { assertAccountInvariants } from '../../core/ledger/invariants.js';
import { movedAmountOf } from '../../core/ledger/transfer.js';
import type { JournalReader } from '../../persistence/journal.js';
import { accountActorId } from '../../actors/account/messages.js';

export interface JournalAudit {
  /** Per actor (`acct:a`, `acct:a#3`): its state replayed from its journal. */
  readonly actors: Map<string, AccountState>;
  /** Per account: its balance, summed over its sub-accounts. */
  readonly balances: Map<string, bigint>;
  /** Σ over accounts of their balances. */
  readonly balanceSum: bigint;
  /** Money debited whose credit (or return) is not journaled yet, and sibling moves not received. */
  readonly inFlight: bigint;
}

/** Account ids and how many sub-accounts each has (1: plain). */
export type AccountLayout = Readonly<Record<string, number>>;

/** Every account plain (one actor each). */
export function plainLayout(ids: readonly string[]): AccountLayout {
  return Object.fromEntries(ids.map((id) => [id, 1]));
}

export function actorsOf(layout: AccountLayout, id: string): string[] {
  const parts = layout[id] ?? 1;
  return parts === 1 ? [accountActorId(id)] : Array.from({ length: parts }, (_, i) => accountActorId(id, i));
}

/**
 * The ledger as the journal alone tells it, read in one synchronous pass (a consistent
 * cut): every actor replayed from its events, and the money between journals. This is the
 * durable truth a crash would leave.
 */
export function auditJournal(journal: JournalReader, layout: AccountLayout): JournalAudit {
  const actors = new Map<string, AccountState>();
  const balances = new Map<string, bigint>();
  const sent = new Map<string, bigint>();
  const settled = new Set<string>();
  for (const id of Object.keys(layout)) {
    let balance = 0n;
    for (const actorId of actorsOf(layout, id)) {
      let state = initialAccountState;
      for (const { event } of journal.readEvents(actorId, 1)) {
        const e = event as AccountEvent;
        state = evolve(state, e);
        if (e.type === 'transfer_debited' || e.type === 'pending_posted') sent.set(e.data.transfer.id, movedAmountOf(e.data.transfer));
        if (e.type === 'sibling_sent') sent.set(e.data.moveId, e.data.amount);
        if (e.type === 'credit_returned') settled.add(e.data.transfer.id);
        if (e.type === 'transfer_credited' || e.type === 'sibling_received') settled.add(e.data.credit.transferId);
        if (e.type === 'credits_posted') for (const credit of e.data.credits) settled.add(credit.transferId);
      }
      assertAccountInvariants(state);
      actors.set(actorId, state);
      balance += state.creditsPosted - state.debitsPosted + state.siblingNet;
    }
    balances.set(id, balance);
  }
  let balanceSum = 0n;
  for (const balance of balances.values()) balanceSum += balance;
  let inFlight = 0n;
  for (const [id, amount] of sent) if (!settled.has(id)) inFlight += amount;
  return { actors, balances, balanceSum, inFlight };
}
