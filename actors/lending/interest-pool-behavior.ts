import { interestPoolDecider, type InterestPoolReply } from '../../core/lending/interest-pool/decide-interest-pool.js';
import { assertInterestPool } from '../../core/lending/interest-pool/evolve-interest-pool.js';
import type { InterestPoolRejectionCode } from '../../core/lending/interest-pool/rejections.js';
import {
  flowOfEvent,
  interestFlowKeyOf,
  type InterestPoolCommand,
  type InterestPoolEvent,
  type InterestPoolState,
  type ReinvestRule,
} from '../../core/lending/interest-pool/interest-pool.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { IndexLookup } from '../runtime/behavior.js';
import { assert, assertNever } from '../../core/rejection.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { poolShardActorId, systemAccounts } from './ids.js';
import { interestReinvestTransferId, type InterestPoolMessage } from './interest-pool-messages.js';
import type { LendingDeps } from './lending-deps.js';
import { transferDelivery } from './ledger-deliveries.js';
import type { PoolMessage } from './messages.js';

/**
 * One investor's interest pool (`ipool:<investor>`): the sub-ledger of the pooled ledger
 * account `sys.ipool`. Credits and uses are deduped by flow id; a reinvestment leaves through
 * the outbox: the ledger moves the money from `sys.ipool` to `sys.pool`, then the shard takes
 * the interest capital (both deduped by the capital's derived id).
 */
export function interestPoolBehavior(deps: LendingDeps): ActorBehavior<InterestPoolState, InterestPoolEvent> {
  // The node's configuration is fixed for its life: one rule object for every command.
  const rule: ReinvestRule = { thresholdMinor: deps.config.interestReinvestThresholdMinor, poolShards: deps.config.poolShards };
  return deciderBehavior<InterestPoolState, InterestPoolMessage, InterestPoolCommand, InterestPoolEvent, InterestPoolRejectionCode, InterestPoolReply>({
    type: 'ipool',
    decider: interestPoolDecider,
    isQuery: (message) => message.type === 'get_interest_pool',
    query: (state) => ({ ok: true, value: state }),
    commandOf: (message, { at, lookup }) => commandOf(message, deps.clock.today(), at, rule, lookup),
    indexWritesOf: (_actorId, event) => flowIndexWritesOf(event),
    deliveriesOf: (_actorId, event) => deliveriesOf(event),
    upgradeSnapshot: withoutFlowList,
    assertInvariants(state, depth) {
      assert(state.balance >= 0n, 'an interest pool never goes below zero');
      if (depth === 'deep') assertInterestPool(state);
    },
  });
}

function commandOf(message: InterestPoolMessage, on: string, at: number, rule: ReinvestRule, lookup: IndexLookup): InterestPoolCommand {
  switch (message.type) {
    case 'credit_interest': {
      // Field by field: only what the command has (a spread of the message was a hot spot of the repayment day).
      const { investor, flowId, kind, amount, ref, source } = message.data;
      return { type: 'credit_interest', data: { investor, flowId, kind, amount, ref, source, on, at, rule, knownFlowSeq: knownFlowSeqOf(lookup, message.data) } };
    }
    case 'use_for_redemption':
      return { type: 'use_for_redemption', data: { ...message.data, on, at, knownFlowSeq: knownFlowSeqOf(lookup, message.data) } };
    case 'set_reinvest_switch':
      return { type: 'set_reinvest_switch', data: { ...message.data, at } };
    case 'hold_reinvest':
      return { type: 'hold_reinvest', data: { ...message.data, at } };
    case 'release_reinvest':
      return { type: 'release_reinvest', data: { ...message.data, at } };
    case 'check_reinvest':
      return { type: 'check_reinvest', data: { ...message.data, on, at, rule } };
    case 'get_interest_pool':
      throw new Error('get_interest_pool is a query');
    default:
      return assertNever(message, 'interest pool message');
  }
}

function knownFlowSeqOf(lookup: IndexLookup, data: { readonly investor: string; readonly flowId: string }): number | null {
  const seq = lookup.get('interest_flows', interestFlowKeyOf(data.investor, data.flowId));
  return typeof seq === 'number' ? seq : null;
}

/** Every flow is indexed by its id in the append that records it. */
function flowIndexWritesOf(event: InterestPoolEvent): IndexWrite[] {
  const flow = flowOfEvent(event);
  return flow === null ? [] : [{ index: 'interest_flows', key: interestFlowKeyOf(event.data.investor, flow.flowId), value: flow.seq }];
}

/**
 * A snapshot written while the pool kept its flows (`flows`, `flowSeqById`): the count is
 * their number, and the list is dropped. Their ids were put to the flow-id index when the
 * node first started on this version (persistence/journal-upgrade/interest-flow-index.ts).
 */
function withoutFlowList(state: InterestPoolState): InterestPoolState {
  const legacy = state as InterestPoolState & { flows?: readonly unknown[]; flowSeqById?: unknown };
  if (legacy.flows === undefined) return state;
  const { flows, flowSeqById: _ids, ...rest } = legacy;
  return { ...rest, flowCount: flows.length };
}

function deliveriesOf(event: InterestPoolEvent): Delivery[] {
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
      return [];
    default:
      return assertNever(event, 'interest pool event');
  }
}
