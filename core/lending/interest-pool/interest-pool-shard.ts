import type { Decider } from '../../decider.js';
import { pinnedActorIds } from '../../ledger/pinned-actor.js';
import { assertNever, isRejection, type Rejection } from '../../rejection.js';
import { interestPoolDecider, type InterestPoolReply } from './decide-interest-pool.js';
import { assertInterestPool, evolveInterestPool } from './evolve-interest-pool.js';
import { initialInterestPoolState, type InterestPoolCommand, type InterestPoolEvent, type InterestPoolState } from './interest-pool.js';
import type { InterestPoolRejectionCode } from './rejections.js';

/**
 * The interest pools of every investor of one partition, as one aggregate (`ipool:@<p>`).
 * Each pool is decided as before (decide-interest-pool.ts); what the shard adds is that the
 * credits of many investors that arrive together are journaled in one append. One actor
 * per investor made a repayment's 20 credits about 10 appends: an append costs about
 * 30 µs of main thread and 60 µs of CPU over its messages (benchmarks, row (m)).
 *
 * Its map of pools is updated **in place** under the runtime's discipline (as a pool
 * shard's capitals are, core/lending/pool/pool.ts): an event costs O(1) in the number of
 * investors. A pool stays for good: it is a handful of fields.
 */
export interface InterestPoolShardState {
  /** The partition whose investors it serves; -1 for a per-investor actor of the journal's past. */
  readonly shard: number;
  readonly pools: Map<string, InterestPoolState>;
}

export function initialInterestPoolShardState(shard: number): InterestPoolShardState {
  return { shard, pools: new Map() };
}

/**
 * One command to one investor's pool. `adopt`: the pool as its per-investor actor left it
 * (journals written before the shards), taken over by the shard before this command is
 * decided; null when there is none or the shard holds the pool already.
 */
export interface InterestPoolShardCommand {
  readonly investor: string;
  readonly adopt: InterestPoolState | null;
  /** The pool's own command; null: a read (which adopts, if it must, and changes nothing else). */
  readonly command: InterestPoolCommand | null;
}

export type InterestPoolAdopted = { readonly type: 'interest_pool_adopted'; readonly data: { readonly investor: string; readonly pool: InterestPoolState } };
export type InterestPoolShardEvent = InterestPoolEvent | InterestPoolAdopted;

/** A read answers the pool; a command what the pool's decider answers. */
export type InterestPoolShardReply = InterestPoolReply | InterestPoolState;

/** The investor's pool in the shard: a new investor's is the initial one. */
export function poolOf(state: InterestPoolShardState, investor: string): InterestPoolState {
  return state.pools.get(investor) ?? initialInterestPoolState;
}

/**
 * The adoption first (once: never over a pool the shard holds), then the pool's own
 * decision on the adopted pool. A refusal journals nothing, the adoption included: the
 * next command adopts again.
 */
export function decideInterestPoolShard(state: InterestPoolShardState, { investor, adopt, command }: InterestPoolShardCommand): readonly InterestPoolShardEvent[] | Rejection<InterestPoolRejectionCode> {
  const adopting = adopt !== null && !state.pools.has(investor);
  const adopted: InterestPoolShardEvent[] = adopting ? [{ type: 'interest_pool_adopted', data: { investor, pool: adopt } }] : [];
  if (command === null) return adopted;
  const decision = interestPoolDecider.decide(adopting ? adopt : poolOf(state, investor), command);
  if (isRejection(decision) || adopted.length === 0) return decision;
  return [...adopted, ...decision];
}

/** The shard after one event, in place. */
export function evolveInterestPoolShard(state: InterestPoolShardState, event: InterestPoolShardEvent): InterestPoolShardState {
  switch (event.type) {
    case 'interest_pool_adopted':
      assertInterestPool(event.data.pool);
      state.pools.set(event.data.investor, event.data.pool);
      return state;
    case 'interest_credited':
    case 'interest_used':
    case 'interest_reinvested':
    case 'reinvest_switched':
    case 'reinvest_held':
    case 'reinvest_released':
      state.pools.set(event.data.investor, evolveInterestPool(poolOf(state, event.data.investor), event));
      return state;
    default:
      return assertNever(event, 'interest pool shard event');
  }
}

export function assertInterestPoolShard(state: InterestPoolShardState): void {
  for (const pool of state.pools.values()) assertInterestPool(pool);
}

/** The shard as one decider; its first state depends on its partition (the actor gives it). */
export const interestPoolShardDecider: Decider<InterestPoolShardState, InterestPoolShardCommand, InterestPoolShardEvent, InterestPoolRejectionCode, InterestPoolShardReply> = {
  initialState: initialInterestPoolShardState(-1),
  decide: decideInterestPoolShard,
  evolve: evolveInterestPoolShard,
  reply(after, { investor, command }, events) {
    const pool = poolOf(after, investor);
    if (command === null) return pool;
    // The pool's reply reads only the pool's figures: the events it is given are the pool's own.
    return interestPoolDecider.reply(pool, command, events.filter((event): event is InterestPoolEvent => event.type !== 'interest_pool_adopted'));
  },
};

/** Investor ids cannot hold `@`: no investor's old actor id is a shard's. */
const shardActors = pinnedActorIds('ipool:@');

/** The shard of partition p. */
export const interestPoolShardActorIdOf = shardActors.idOf;

/** The partition a shard's id names (null for any other actor id): the shard is pinned to it. */
export const partitionNamedByInterestPoolShard = shardActors.partitionNamedBy;
