import type { InterestPoolRejectionCode } from '../../core/lending/interest-pool/rejections.js';
import {
  flowOfEvent,
  interestFlowKeyOf,
  type InterestPoolCommand,
  type InterestPoolState,
  type ReinvestRule,
} from '../../core/lending/interest-pool/interest-pool.js';
import {
  assertInterestPoolShard,
  initialInterestPoolShardState,
  interestPoolShardActorIdOf,
  interestPoolShardDecider,
  partitionNamedByInterestPoolShard,
  type InterestPoolShardCommand,
  type InterestPoolShardEvent,
  type InterestPoolShardReply,
  type InterestPoolShardState,
} from '../../core/lending/interest-pool/interest-pool-shard.js';
import { shardOfSnapshot } from '../../core/lending/interest-pool/per-investor-pool.js';
import { partitionOfActor } from '../../core/ledger/partition.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { IndexLookup } from '../runtime/behavior.js';
import { assertNever } from '../../core/rejection.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { poolShardActorId, systemAccounts } from './ids.js';
import { interestReinvestTransferId, type InterestPoolMessage } from './interest-pool-messages.js';
import type { LendingDeps } from './lending-deps.js';
import { transferDelivery } from './ledger-deliveries.js';
import type { PoolMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * The interest pools of one partition's investors (`ipool:@<p>`): the sub-ledger of the
 * pooled ledger account `sys.ipool`. An investor's pool is addressed `ipool:<investor>`
 * and served by the shard of the partition that address hashes to (`cellIdOf`), so the
 * cluster routes it as before and the credits of many investors share an append. Credits
 * and uses are deduped by flow id; a reinvestment leaves through the outbox: the ledger
 * moves the money from `sys.ipool` to `sys.pool`, then the shard takes the interest
 * capital (both deduped by the capital's derived id).
 */
export function interestPoolBehavior(deps: LendingDeps, partitionCount: number): ActorBehavior<InterestPoolShardState, InterestPoolShardEvent> {
  // The node's configuration is fixed for its life: one rule object for every command.
  const rule: ReinvestRule = { thresholdMinor: deps.config.interestReinvestThresholdMinor, poolShards: deps.config.poolShards };
  return deciderBehavior<InterestPoolShardState, InterestPoolMessage, InterestPoolShardCommand, InterestPoolShardEvent, InterestPoolRejectionCode, InterestPoolShardReply>({
    type: 'ipool',
    decider: interestPoolShardDecider,
    initialStateOf: (actorId) => initialInterestPoolShardState(partitionNamedByInterestPoolShard(actorId) ?? -1),
    cellIdOf: (address) => (partitionNamedByInterestPoolShard(address) !== null ? address : interestPoolShardActorIdOf(partitionOfActor(address, partitionCount))),
    // Every read goes through the mailbox: the first message for an investor may adopt its pool.
    isQuery: () => false,
    // Never called (no message is a query); the runtime's interface asks for one.
    query: (state) => ({ ok: true, value: state }),
    commandOf: (message, { at, lookup, state }) => {
      const investor = message.data.investor;
      const adopt = state.pools.has(investor) ? null : poolLeftBehind(lookup, investor);
      const command = message.type === 'get_interest_pool' ? null : commandOf(message, deps.clock.today(), at, rule, lookup);
      return { investor, adopt, command };
    },
    indexWritesOf: (_actorId, event) => flowIndexWritesOf(event),
    deliveriesOf: (_actorId, event) => deliveriesOf(event),
    upgradeSnapshot: shardOfSnapshot,
    // A snapshot writes every pool of the shard: taken once as many events came.
    snapshotWeight: (state) => state.pools.size,
    assertInvariants(state, depth) {
      // Each pool is checked as evolve writes it; the whole shard after replay and snapshot load.
      if (depth === 'deep') assertInterestPoolShard(state);
    },
  });
}

/** What the investor's per-investor actor left, if the journal had one (persistence/journal-upgrade/interest-pools-left.ts). */
function poolLeftBehind(lookup: IndexLookup, investor: string): InterestPoolState | null {
  const left = lookup.get('interest_pools_left', investor);
  return left === undefined || left === null ? null : (left as InterestPoolState);
}

function commandOf(message: Exclude<InterestPoolMessage, { type: 'get_interest_pool' }>, on: string, at: number, rule: ReinvestRule, lookup: IndexLookup): InterestPoolCommand {
  switch (message.type) {
    case 'credit_interest': {
      // Field by field: only what the command has (a spread of the message was a hot spot of the repayment day).
      const { investor, flowId, kind, amount, ref, source } = message.data;
      return { type: 'credit_interest', data: { investor, flowId, kind, amount, ref, source, on, at, rule, knownFlowSeq: knownFlowSeqOf(lookup, message.data) } };
    }
    case 'use_for_redemption':
      return { type: 'use_for_redemption', data: withFields(message.data, { on, at, knownFlowSeq: knownFlowSeqOf(lookup, message.data) }) };
    case 'set_reinvest_switch':
      return { type: 'set_reinvest_switch', data: withFields(message.data, { at }) };
    case 'hold_reinvest':
      return { type: 'hold_reinvest', data: withFields(message.data, { at }) };
    case 'release_reinvest':
      return { type: 'release_reinvest', data: withFields(message.data, { at }) };
    case 'check_reinvest':
      return { type: 'check_reinvest', data: withFields(message.data, { on, at, rule }) };
    default:
      return assertNever(message, 'interest pool message');
  }
}

function knownFlowSeqOf(lookup: IndexLookup, data: { readonly investor: string; readonly flowId: string }): number | null {
  const seq = lookup.get('interest_flows', interestFlowKeyOf(data.investor, data.flowId));
  return typeof seq === 'number' ? seq : null;
}

/** Every flow is indexed by its id in the append that records it. */
function flowIndexWritesOf(event: InterestPoolShardEvent): IndexWrite[] {
  if (event.type === 'interest_pool_adopted') return [];
  const flow = flowOfEvent(event);
  return flow === null ? [] : [{ index: 'interest_flows', key: interestFlowKeyOf(event.data.investor, flow.flowId), value: flow.seq }];
}

function deliveriesOf(event: InterestPoolShardEvent): Delivery[] {
  switch (event.type) {
    case 'interest_reinvested': {
      const { capital, shard, investor } = event.data;
      const add: PoolMessage = { type: 'add_capital', data: { capital, shard } };
      // The money first (the pooled interest account may briefly run ahead of its credits:
      // it is opened with overdraft, see actors/node.ts), then the capital that stands for it.
      return [
        transferDelivery(
          interestReinvestTransferId(capital.id),
          { debit: systemAccounts.interestPool, credit: systemAccounts.pool, amount: capital.principal, pending: false, timeoutMs: null, memo: `interest reinvest of ${investor}` },
          { accepted: { to: poolShardActorId(shard), message: add, onRefused: null }, refused: () => null },
        ),
      ];
    }
    case 'interest_credited':
    case 'interest_used':
    case 'reinvest_switched':
    case 'reinvest_held':
    case 'reinvest_released':
    case 'interest_pool_adopted':
      return [];
    default:
      return assertNever(event, 'interest pool event');
  }
}
