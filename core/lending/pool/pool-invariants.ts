import { assert } from '../../rejection.js';
import type { Capital } from '../capital.js';
import { isMatchable, queuedCapitalIds } from './match-queue.js';
import type { PoolShardState } from './pool.js';

/** One capital: 0 ≤ matched, reserved, pulledBack; their sum ≤ principal; fully matched exactly when matched = principal. */
export function assertCapital(capital: Capital): void {
  assert(capital.principal > 0n, `capital ${capital.id} has a positive principal`);
  assert(capital.matched >= 0n && capital.reserved >= 0n && capital.pulledBack >= 0n, `capital ${capital.id}: matched, reserved and pulled back are never negative`);
  assert(
    capital.matched + capital.reserved + capital.pulledBack <= capital.principal,
    `capital ${capital.id}: matched ${capital.matched} + reserved ${capital.reserved} + pulled back ${capital.pulledBack} exceed principal ${capital.principal}`,
  );
  assert(capital.pulledBack === 0n || capital.status === 'pulled_back', `capital ${capital.id}: a capital pulled back is never matched again`);
  assert((capital.status === 'fully_matched') === (capital.matched === capital.principal), `capital ${capital.id} is fully matched exactly when matched = principal`);
}

/**
 * The whole shard (after replay, after a snapshot load, and in tests): every capital holds,
 * none is fully matched (those leave), and each capital's `reserved` is exactly the sum of
 * the open reservations on it.
 */
export function assertPoolShard(state: PoolShardState): void {
  const reservedByCapital = new Map<string, bigint>();
  for (const [loanId, held] of state.reservations) {
    assert(held.size > 0, `loan ${loanId} has no empty reservation entry`);
    for (const [capitalId, amount] of held) {
      assert(amount > 0n, `loan ${loanId} reserves a positive amount of ${capitalId}`);
      assert(state.capitals.has(capitalId), `loan ${loanId} reserves capital ${capitalId} of this shard`);
      reservedByCapital.set(capitalId, (reservedByCapital.get(capitalId) ?? 0n) + amount);
    }
  }
  for (const capital of state.capitals.values()) {
    assertCapital(capital);
    assert(capital.status !== 'fully_matched', `capital ${capital.id} is fully matched yet still live`);
    assert(capital.reserved === (reservedByCapital.get(capital.id) ?? 0n), `capital ${capital.id}: reserved equals the sum of its open reservations`);
  }
  assertPoolIndexes(state);
}

/** The indexes cover the capitals: each is listed under its investment, and each matchable one is queued for matching. */
function assertPoolIndexes(state: PoolShardState): void {
  const listed = new Set<string>();
  for (const ids of state.byInvestment.values()) for (const id of ids) listed.add(id);
  const queued = new Set<string>();
  for (const source of state.matchQueues.keys()) for (const id of queuedCapitalIds(state.matchQueues, source)) queued.add(id);
  for (const capital of state.capitals.values()) {
    assert(listed.has(capital.id), `capital ${capital.id} is listed under its investment`);
    assert(!isMatchable(capital) || queued.has(capital.id), `capital ${capital.id} is queued for matching`);
  }
}
