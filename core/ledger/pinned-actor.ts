/**
 * Actor ids that name their partition (`<prefix><p>`): such an actor is pinned to partition
 * p (core/ledger/partition.ts) rather than placed by the hash of its id.
 */
export interface PinnedActorIds {
  /** The actor of partition p. */
  idOf(partition: number): string;
  /** The partition an id names; null for any other actor id, or a malformed one. */
  partitionNamedBy(actorId: string): number | null;
}

export function pinnedActorIds(prefix: string): PinnedActorIds {
  const pattern = /^(0|[1-9][0-9]{0,8})$/;
  return {
    idOf: (partition) => `${prefix}${partition}`,
    partitionNamedBy(actorId) {
      if (!actorId.startsWith(prefix)) return null;
      const rest = actorId.slice(prefix.length);
      return pattern.test(rest) ? Number(rest) : null;
    },
  };
}
