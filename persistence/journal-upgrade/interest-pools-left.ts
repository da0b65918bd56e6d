import { evolveInterestPool } from '../../core/lending/interest-pool/evolve-interest-pool.js';
import { initialInterestPoolState, type InterestPoolEvent, type InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import { perInvestorPoolOf } from '../../core/lending/interest-pool/per-investor-pool.js';
import type { IndexWrite, Journal } from '../journal.js';
import { perInvestorPoolsOf, putIndexesOnce } from './per-investor-pools.js';

/** Set once the pools of every per-investor interest pool actor are in the `interest_pools_left` index. */
export const interestPoolsLeftMetaKey = 'journal.interest_pools_left';

/**
 * Interest pools were once one actor per investor (`ipool:<investor>`); now one shard per
 * partition serves them (`ipool:@<p>`, core/lending/interest-pool/interest-pool-shard.ts).
 * At the first start on a journal written before, before any actor runs, each such actor's
 * pool — its snapshot and the events after it — is put to the `interest_pools_left` index
 * under its investor. The shard adopts it with the investor's first message (journaled, once).
 * The shard is pinned to the partition of the old actor's id, so in a cluster it runs on the
 * node whose journal this is. Idempotent (the old actors take no more events, so a put writes
 * the same value); returns how many pools were put.
 */
export function indexInterestPoolsLeft(journal: Journal): number {
  return putIndexesOnce(journal, interestPoolsLeftMetaKey, poolsLeftOf(journal));
}

function* poolsLeftOf(journal: Journal): Iterable<IndexWrite> {
  for (const { actorId, investor } of perInvestorPoolsOf(journal)) yield { index: 'interest_pools_left', key: investor, value: poolOfActor(journal, actorId) };
}

/** The pool a per-investor actor holds: its snapshot (as stored then) and every event after it. */
function poolOfActor(journal: Journal, actorId: string): InterestPoolState {
  const snapshot = journal.readSnapshot(actorId);
  let pool = snapshot === undefined ? initialInterestPoolState : perInvestorPoolOf(snapshot.state as InterestPoolState);
  for (const { event } of journal.readEvents(actorId, (snapshot?.seq ?? 0) + 1)) pool = evolveInterestPool(pool, event as InterestPoolEvent);
  return pool;
}
