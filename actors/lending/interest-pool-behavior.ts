import { decideInterestPool } from '../../core/lending/interest-pool/decide-interest-pool.js';
import { assertInterestPool, evolveInterestPool } from '../../core/lending/interest-pool/evolve-interest-pool.js';
import { initialInterestPoolState, type InterestPoolCommand, type InterestPoolEvent, type InterestPoolState, type ReinvestRule } from '../../core/lending/interest-pool/interest-pool.js';
import { assert, assertNever, isRejection } from '../../core/rejection.js';
import type { ActorBehavior, Delivery, Handled } from '../runtime/behavior.js';
import { poolShardActorId, systemAccounts } from './ids.js';
import { interestReinvestTransferId, type InterestPoolMessage, type InterestPoolReply } from './interest-pool-messages.js';
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
  const rule = (): ReinvestRule => ({ thresholdMinor: deps.config.interestReinvestThresholdMinor, poolShards: deps.config.poolShards });
  return {
    type: 'ipool',
    initialState: () => initialInterestPoolState,
    isQuery: (message) => (message as InterestPoolMessage).type === 'get_interest_pool',
    query: (state) => ({ ok: true, value: state }),
    handle(state, message, _lookup, at): Handled<InterestPoolEvent> {
      const command = commandOf(message as InterestPoolMessage, deps.clock.today(), at, rule());
      const decision = decideInterestPool(state, command);
      if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
      const after = decision.reduce(evolveInterestPool, state);
      const reply: InterestPoolReply = { investor: command.data.investor, balance: after.balance, reinvestOn: after.reinvestOn, flows: after.flows.length };
      return { events: decision, reply: { ok: true, value: reply } };
    },
    evolve: evolveInterestPool,
    indexWritesOf: () => [],
    deliveriesOf: (_actorId, event) => deliveriesOf(event),
    wakeAt: () => null,
    wakeMessage: () => null,
    assertInvariants(state, depth) {
      assert(state.balance >= 0n, 'an interest pool never goes below zero');
      if (depth === 'deep') assertInterestPool(state);
    },
  };
}

function commandOf(message: InterestPoolMessage, on: string, at: number, rule: ReinvestRule): InterestPoolCommand {
  switch (message.type) {
    case 'credit_interest':
      return { type: 'credit_interest', data: { ...message.data, on, at, rule } };
    case 'use_for_redemption':
      return { type: 'use_for_redemption', data: { ...message.data, on, at } };
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
