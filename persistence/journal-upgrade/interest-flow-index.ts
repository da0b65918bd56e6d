import { flowOfEvent, interestFlowKeyOf, type InterestFlow, type InterestPoolEvent } from '../../core/lending/interest-pool/interest-pool.js';
import type { IndexWrite, Journal } from '../journal.js';
import { perInvestorPoolsOf, putIndexesOnce } from './per-investor-pools.js';

/** Set once every interest pool's flows written before the flow-id index are in it. */
export const interestFlowsIndexedMetaKey = 'journal.interest_flows_indexed';

/**
 * Interest pools once kept every flow in their state and recognised a redelivered credit by
 * it; now the pool keeps a count and the flow-id index (`interest_flows`) recognises it. A
 * journal written before then has pools whose flows are not in the index: at the first start
 * on it, before any actor runs (a redelivery from the outbox must find them), each pool's
 * flows — in a snapshot that still lists them, and in its events — are put to the index.
 * Those pools were per-investor actors (a shard indexes its flows as it journals them).
 * Idempotent (a put of a known entry writes the same value); returns how many were put.
 */
export function indexInterestFlowsWrittenBefore(journal: Journal): number {
  return putIndexesOnce(journal, interestFlowsIndexedMetaKey, flowIndexWritesOfAll(journal));
}

function* flowIndexWritesOfAll(journal: Journal): Iterable<IndexWrite> {
  for (const { actorId, investor } of perInvestorPoolsOf(journal)) yield* flowIndexWritesOf(journal, actorId, investor);
}

function* flowIndexWritesOf(journal: Journal, actorId: string, investor: string): Iterable<IndexWrite> {
  const snapshot = journal.readSnapshot(actorId);
  const listed = (snapshot?.state as { flows?: readonly InterestFlow[] } | undefined)?.flows ?? [];
  const write = (flow: InterestFlow): IndexWrite => ({ index: 'interest_flows', key: interestFlowKeyOf(investor, flow.flowId), value: flow.seq });
  for (const flow of listed) yield write(flow);
  for (const { event } of journal.readEvents(actorId, (snapshot?.seq ?? 0) + 1)) {
    const flow = flowOfEvent(event as InterestPoolEvent);
    if (flow !== null) yield write(flow);
  }
}
