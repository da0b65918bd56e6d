import { initialAccountState, type AccountState } from '../../core/ledger/account.js';
import type { AccountEvent } from '../../core/ledger/events.js';
import { evolve } from '../../core/ledger/evolve.js';
import { assertAccountInvariants } from '../../core/ledger/invariants.js';
import { movedAmountOf } from '../../core/ledger/transfer.js';
import type { JournalReader } from '../../persistence/journal.js';

export interface JournalAudit {
  readonly accounts: Map<string, AccountState>;
  /** Σ over accounts of (credits − debits). */
  readonly balanceSum: bigint;
  /** Money debited whose credit (or return) is not journaled yet. */
  readonly inFlight: bigint;
}

/**
 * The ledger as the journal alone tells it, read in one synchronous pass (a consistent
 * cut): every account replayed from its events, and the money between journals. This is
 * the durable truth a crash would leave.
 */
export function auditJournal(journal: JournalReader, accountIds: readonly string[]): JournalAudit {
  const accounts = new Map<string, AccountState>();
  const debited = new Map<string, bigint>();
  const settled = new Set<string>();
  for (const id of accountIds) {
    let state = initialAccountState;
    for (const { event } of journal.readEvents(`acct:${id}`, 1)) {
      const e = event as AccountEvent;
      state = evolve(state, e);
      if (e.type === 'transfer_debited' || e.type === 'pending_posted') debited.set(e.data.transfer.id, movedAmountOf(e.data.transfer));
      if (e.type === 'credit_returned') settled.add(e.data.transfer.id);
      if (e.type === 'transfer_credited') settled.add(e.data.credit.transferId);
    }
    assertAccountInvariants(state);
    accounts.set(id, state);
  }
  let balanceSum = 0n;
  for (const state of accounts.values()) balanceSum += state.creditsPosted - state.debitsPosted;
  let inFlight = 0n;
  for (const [id, amount] of debited) if (!settled.has(id)) inFlight += amount;
  return { accounts, balanceSum, inFlight };
}
