import { partitionNamedByDayCut } from '../eod/day-cut.js';
import { partitionNamedByInterestPoolShard } from '../lending/interest-pool/interest-pool-shard.js';
import { fnv1a32 } from './routing.js';

/** Partitions of the actors: fixed for the life of a deployment (an embedded node is a cluster of one that owns them all). */
export const partitionCountDefault = 256;

/** The `#<part>` of a sub-account's actor id (account ids cannot hold `#`). */
const subAccountSuffix = /#\d+$/;

/**
 * The partition of an actor: a hash of its id without the `#part` suffix, so every
 * sub-account of a hot account (`acct:x#0..N-1`) lands on the partition of `acct:x` and
 * the account's actors, its sibling balancing included, share a node. A day's cut actor
 * `daycut:<p>` is pinned to partition p: its marker must be journaled in p's own order, by
 * the node that owns p (core/eod/day-cut.ts). An interest pool shard `ipool:@<p>` is pinned
 * to p too: it serves the investors whose per-investor actor `ipool:<investor>` hashed to p,
 * so it finds what such an actor left in its own node's journal.
 */
export function partitionOfActor(actorId: string, partitionCount: number): number {
  const pinned = partitionNamedByDayCut(actorId) ?? partitionNamedByInterestPoolShard(actorId);
  if (pinned !== null && pinned < partitionCount) return pinned;
  return fnv1a32(actorId.replace(subAccountSuffix, '')) % partitionCount;
}
