import { fnv1a32 } from './routing.js';

/** Partitions of the actors: fixed for the life of a deployment (an embedded node is a cluster of one that owns them all). */
export const partitionCountDefault = 256;

/** The `#<part>` of a sub-account's actor id (account ids cannot hold `#`). */
const subAccountSuffix = /#\d+$/;

/**
 * The partition of an actor: a hash of its id without the `#part` suffix, so every
 * sub-account of a hot account (`acct:x#0..N-1`) lands on the partition of `acct:x` and
 * the account's actors, its sibling balancing included, share a node.
 */
export function partitionOfActor(actorId: string, partitionCount: number): number {
  return fnv1a32(actorId.replace(subAccountSuffix, '')) % partitionCount;
}
