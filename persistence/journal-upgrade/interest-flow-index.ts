import { flowOfEvent, interestFlowKeyOf, type InterestFlow, type InterestPoolEvent } from '../../core/lending/interest-pool/interest-pool.js';
import type { IndexWrite, Journal } from '../journal.js';

/** Set once every interest pool's flows written before the flow-id index are in it. */
export const interestFlowsIndexedMetaKey = 'journal.interest_flows_indexed';

/** Pools read per page of actor ids; index entries written per synchronous commit. */
const poolsPerPage = 1_000;
const indexWritesPerCommitMax = 5_000;

const poolPrefix = 'ipool:';

/**
 * Interest pools once kept every flow in their state and recognised a redelivered credit by
 * it; now the pool keeps a count and the flow-id index (`interest_flows`) recognises it. A
 * journal written before then has pools whose flows are not in the index: at the first start
 * on it, before any actor runs (a redelivery from the outbox must find them), each pool's
 * flows — in a snapshot that still lists them, and in its events — are put to the index.
 * Idempotent (a put of a known entry writes the same value); returns how many were put.
 */
export function indexInterestFlowsWrittenBefore(journal: Journal): number {
  if (journal.getMeta(interestFlowsIndexedMetaKey) === true) return 0;
  let put = 0;
  let pending: IndexWrite[] = [];
  const flush = () => {
    if (pending.length > 0) journal.writeIndexesNow(pending);
    put += pending.length;
    pending = [];
  };
  let after = '';
  for (;;) {
    const ids = journal.listActorIds({ prefix: poolPrefix, after, limit: poolsPerPage });
    for (const actorId of ids) {
      for (const write of flowIndexWritesOf(journal, actorId)) {
        pending.push(write);
        if (pending.length >= indexWritesPerCommitMax) flush();
      }
    }
    const last = ids.at(-1);
    if (last === undefined) break;
    after = last;
  }
  flush();
  journal.putMeta(interestFlowsIndexedMetaKey, true);
  return put;
}

function* flowIndexWritesOf(journal: Journal, actorId: string): Iterable<IndexWrite> {
  const investor = actorId.slice(poolPrefix.length);
  const snapshot = journal.readSnapshot(actorId);
  const listed = (snapshot?.state as { flows?: readonly InterestFlow[] } | undefined)?.flows ?? [];
  const write = (flow: InterestFlow): IndexWrite => ({ index: 'interest_flows', key: interestFlowKeyOf(investor, flow.flowId), value: flow.seq });
  for (const flow of listed) yield write(flow);
  for (const { event } of journal.readEvents(actorId, (snapshot?.seq ?? 0) + 1)) {
    const flow = flowOfEvent(event as InterestPoolEvent);
    if (flow !== null) yield write(flow);
  }
}
