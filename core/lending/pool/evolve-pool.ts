import { assert, assertNever } from '../../rejection.js';
import type { Capital } from '../capital.js';
import { dropGoneFromFront, enqueueCapital, isMatchable, requeueCapital } from './match-queue.js';
import { assertCapital } from './pool-invariants.js';
import type { HeldPiece, PoolEvent, PoolShardState } from './pool.js';

/**
 * The shard after one event, updated in place (see PoolShardState for why, and for the
 * discipline that makes it safe): O(1) in the shard's size, O(pieces) per event. Each
 * changed capital is checked where it is written.
 */
export function evolvePool(state: PoolShardState, event: PoolEvent): PoolShardState {
  switch (event.type) {
    case 'capital_added':
      addCapital(state, event.data.capital);
      return state;
    case 'capitals_added':
      for (const capital of event.data.capitals) addCapital(state, capital);
      return state;
    case 'reservation_answered': {
      const { loanId, pieces } = event.data;
      if (pieces.length === 0) return state;
      let held = state.reservations.get(loanId);
      if (held === undefined) {
        held = new Map();
        state.reservations.set(loanId, held);
      }
      for (const piece of pieces) {
        update(state, piece.capitalId, (capital) => ({ ...capital, reserved: capital.reserved + piece.amount }));
        held.set(piece.capitalId, (held.get(piece.capitalId) ?? 0n) + piece.amount);
      }
      return state;
    }
    case 'reservations_confirmed':
      return settle(state, event.data.loanId, event.data.pieces, (capital, amount) => matchedBy(capital, amount, amount));
    case 'reservations_released':
      return settle(state, event.data.loanId, event.data.pieces, (capital, amount) => ({ ...capital, reserved: capital.reserved - amount }));
    case 'reservations_split': {
      const { loanId, confirmed, released } = event.data;
      assert(state.reservations.has(loanId), `${loanId} holds reservations in shard ${state.shard}`);
      for (const piece of confirmed) update(state, piece.capitalId, (capital) => matchedBy(capital, piece.amount, piece.amount));
      for (const piece of released) update(state, piece.capitalId, (capital) => ({ ...capital, reserved: capital.reserved - piece.amount }));
      state.reservations.delete(loanId);
      return state;
    }
    case 'capital_pulled_back': {
      for (const piece of event.data.pieces) update(state, piece.capitalId, (capital) => ({ ...capital, pulledBack: capital.pulledBack + piece.amount, status: 'pulled_back' }));
      state.pullBacks = Math.max(state.pullBacks, event.data.pullBackNo);
      return state;
    }
    default:
      return assertNever(event, 'pool event');
  }
}

/** A new capital joins the shard: live, by investment, and last in its source's queue. */
function addCapital(state: PoolShardState, capital: Capital): void {
  assertCapital(capital);
  state.capitals.set(capital.id, capital);
  const ofInvestment = state.byInvestment.get(capital.investmentId);
  if (ofInvestment === undefined) state.byInvestment.set(capital.investmentId, [capital.id]);
  else ofInvestment.push(capital.id);
  enqueueCapital(state.matchQueues, capital);
  state.arrivals = Math.max(state.arrivals, capital.arrival);
}

/** `amount` leaves the reserved part and `matched` joins the matched part. */
function matchedBy(capital: Capital, amount: bigint, matched: bigint): Capital {
  const total = capital.matched + matched;
  return { ...capital, reserved: capital.reserved - amount, matched: total, status: total === capital.principal ? 'fully_matched' : capital.status };
}

/**
 * A capital replaced by its next record (records are immutable: a reply or a reader holding
 * one keeps it as it was); a capital fully matched leaves the live state (see PoolShardState).
 */
function update(state: PoolShardState, capitalId: string, next: (capital: Capital) => Capital): void {
  const capital = state.capitals.get(capitalId);
  assert(capital !== undefined, `capital ${capitalId} is in this shard`);
  const updated = next(capital);
  assertCapital(updated);
  if (updated.status === 'fully_matched') finish(state, updated);
  else state.capitals.set(capitalId, updated);
  // Only a capital no longer matchable can let the front of its queue move; one matchable
  // again (a released reservation) goes back to its place.
  if (!isMatchable(updated)) dropGoneFromFront(state.matchQueues, updated.source, (id) => isGone(state, id));
  else if (!isMatchable(capital)) requeueCapital(state.matchQueues, updated);
}

/**
 * Fully matched, a capital can never again be reserved, released or pulled back (nothing of
 * it is available, and no loan holds a reservation on it), so it leaves the shard's maps; its
 * id may stay in a match queue until the front passes it (a missing capital is gone there).
 */
function finish(state: PoolShardState, capital: Capital): void {
  state.capitals.delete(capital.id);
  const ofInvestment = state.byInvestment.get(capital.investmentId);
  if (ofInvestment === undefined) return;
  const at = ofInvestment.indexOf(capital.id);
  if (at >= 0) ofInvestment.splice(at, 1);
  if (ofInvestment.length === 0) state.byInvestment.delete(capital.investmentId);
}

/** Not matchable now: fully matched, pulled back, or reserved in full (see match-queue.ts). */
function isGone(state: PoolShardState, capitalId: string): boolean {
  const capital = state.capitals.get(capitalId);
  return capital === undefined || !isMatchable(capital);
}

function settle(state: PoolShardState, loanId: string, pieces: readonly HeldPiece[], apply: (capital: Capital, amount: bigint) => Capital): PoolShardState {
  const held = state.reservations.get(loanId);
  assert(held !== undefined, `loan ${loanId} holds reservations in shard ${state.shard}`);
  for (const piece of pieces) assert(held.get(piece.capitalId) === piece.amount, `loan ${loanId} holds ${piece.amount} of ${piece.capitalId}`);
  assert(pieces.length === held.size, `every reservation of loan ${loanId} is settled at once`);
  for (const piece of pieces) update(state, piece.capitalId, (capital) => apply(capital, piece.amount));
  state.reservations.delete(loanId);
  return state;
}
