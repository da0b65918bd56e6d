import { assert, violated } from '../rejection.js';
import { availableOf, balanceOf, type AccountState } from './account.js';
import { natures } from './nature.js';

/**
 * What must hold of every account state. A failure is a bug: it crashes the actor, which
 * then recovers from its journal. The cheap checks run after every command; the deep one
 * (it walks the holds) after a snapshot is loaded, after replay, and in tests.
 */
export function assertAccountInvariantsCheap(state: AccountState): void {
  assert(state.debitsPosted >= 0n && state.creditsPosted >= 0n && state.debitsPending >= 0n, 'account totals are never negative');
  if (state.info === null) {
    assert(state.debitsPosted === 0n && state.creditsPosted === 0n && state.siblingNet === 0n && state.holds.size === 0, 'an unopened account has no money');
    return;
  }
  if (!state.info.overdraft && availableOf(state) < 0n) violated(`account ${state.info.id} went below zero without overdraft`);
  if (state.natures !== null) assertNatures(state);
}

/** A wallet's natures sum to the wallet, and no nature holds less than its holds keep of it. */
function assertNatures(state: AccountState): void {
  const book = state.natures;
  if (book === null) return;
  let balance = 0n;
  let held = 0n;
  for (const nature of natures) {
    if (book.held[nature] < 0n || book.balance[nature] < book.held[nature]) violated(`${state.info?.id}: ${nature} money covers its holds`);
    balance += book.balance[nature];
    held += book.held[nature];
  }
  if (balance !== balanceOf(state) || held !== state.debitsPending) violated(`${state.info?.id}: the natures sum to the wallet`);
}

export function assertAccountInvariants(state: AccountState): void {
  assertAccountInvariantsCheap(state);
  if (state.info === null) return;
  let held = 0n;
  for (const hold of state.holds.values()) {
    assert(hold.status === 'pending' && hold.debit === state.info.id, `hold ${hold.id} is an open pending debit of this account`);
    held += hold.amount;
  }
  assert(held === state.debitsPending, `account ${state.info.id}: pending debits equal the sum of its holds`);
}
