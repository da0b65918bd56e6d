import type { InterestPoolShardState } from './interest-pool-shard.js';
import type { InterestPoolState } from './interest-pool.js';

/*
 * Interest pools were one actor per investor (`ipool:<investor>`) before the shards: how
 * what such an actor stored is read now.
 */

/**
 * A per-investor pool's snapshot as it was stored: once with its flow list (`flows`,
 * `flowSeqById`), whose count is its number; the list is dropped (the flow-id index holds
 * the ids, persistence/journal-upgrade/interest-flow-index.ts).
 */
export function perInvestorPoolOf(stored: InterestPoolState): InterestPoolState {
  const legacy = stored as InterestPoolState & { flows?: readonly unknown[]; flowSeqById?: unknown };
  if (legacy.flows === undefined) return stored;
  const { flows, flowSeqById: _ids, ...rest } = legacy;
  return { ...rest, flowCount: flows.length };
}

/** A snapshot of this type: a shard's, or a per-investor actor's of the journal's past (wrapped as a shard of one). */
export function shardOfSnapshot(stored: InterestPoolShardState | InterestPoolState): InterestPoolShardState {
  if ('pools' in stored) return stored;
  const pool = perInvestorPoolOf(stored);
  return { shard: -1, pools: pool.investor === null ? new Map() : new Map([[pool.investor, pool]]) };
}
