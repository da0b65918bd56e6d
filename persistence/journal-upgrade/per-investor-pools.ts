import { partitionNamedByInterestPoolShard } from '../../core/lending/interest-pool/interest-pool-shard.js';
import type { IndexWrite, Journal } from '../journal.js';

/** Actors read per page of ids; index entries written per synchronous commit. */
const actorsPerPage = 1_000;
const indexWritesPerCommitMax = 5_000;

const poolPrefix = 'ipool:';

/**
 * The per-investor interest pool actors a journal holds (`ipool:<investor>`, before the
 * shards), with their investor; a shard (`ipool:@<p>`) is not one.
 */
export function* perInvestorPoolsOf(journal: Journal): Iterable<{ readonly actorId: string; readonly investor: string }> {
  let after = '';
  for (;;) {
    const ids = journal.listActorIds({ prefix: poolPrefix, after, limit: actorsPerPage });
    for (const actorId of ids) {
      if (partitionNamedByInterestPoolShard(actorId) === null) yield { actorId, investor: actorId.slice(poolPrefix.length) };
    }
    const last = ids.at(-1);
    if (last === undefined) return;
    after = last;
  }
}

/**
 * Puts every write, in synchronous commits of a bounded size, then sets `doneMetaKey`: a
 * start-up step that runs once per journal, before any actor does. Returns how many were put.
 */
export function putIndexesOnce(journal: Journal, doneMetaKey: string, writes: Iterable<IndexWrite>): number {
  if (journal.getMeta(doneMetaKey) === true) return 0;
  let put = 0;
  let pending: IndexWrite[] = [];
  const flush = () => {
    if (pending.length > 0) journal.writeIndexesNow(pending);
    put += pending.length;
    pending = [];
  };
  for (const write of writes) {
    pending.push(write);
    if (pending.length >= indexWritesPerCommitMax) flush();
  }
  flush();
  journal.putMeta(doneMetaKey, true);
  return put;
}
