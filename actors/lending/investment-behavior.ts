import type { Nature } from '../../core/ledger/nature.js';
import type { AccountDirectoryEntry } from '../../core/ledger/account.js';
import { investmentDecider } from '../../core/lending/investment/decide-investment.js';
import type { LendingRejectionCode } from '../../core/lending/rejections.js';
import { type InvestmentCommand, type InvestmentEvent, type InvestmentState } from '../../core/lending/investment/investment.js';
import { assert, assertNever } from '../../core/rejection.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { withSettleWaits } from '../runtime/settle-waits.js';
import { investmentActorId, investmentTransferId, poolShardActorId, systemAccounts } from './ids.js';
import type { LendingDeps } from './lending-deps.js';
import { tell, transferDelivery } from './ledger-deliveries.js';
import type { InvestmentMessage, PoolMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * One investment = one actor (`inv:<id>`), and its saga: placed → the wallet debit into the
 * capital pool (ledger) → funded → its capital added to its pool shard → active. A refused
 * debit ends it failed, recorded, so a retry of the same id gets the same answer — but for
 * insufficient funds, where the retry asks the wallet again (a new transfer id per attempt).
 */
export function investmentBehavior(deps: LendingDeps): ActorBehavior<InvestmentState, InvestmentEvent> {
  // POST /v1/investments waits (bounded) for the saga: active or failed.
  return withSettleWaits(investmentActor(deps), {
    answersNow: (state) => state.investment === null || state.status === 'active' || state.status === 'failed',
    answerQuery: { type: 'get_investment' } satisfies InvestmentMessage,
    holdMs: deps.config.settleWaitMs,
  });
}

function investmentActor(deps: LendingDeps): ActorBehavior<InvestmentState, InvestmentEvent> {
  return deciderBehavior<InvestmentState, InvestmentMessage, InvestmentCommand, InvestmentEvent, LendingRejectionCode, InvestmentState>({
    type: 'inv',
    decider: investmentDecider,
    isQuery: (message) => message.type === 'get_investment',
    // The actor answers for its own existence: no service reads the journal to learn it.
    query: (state) => (state.investment === null ? { ok: false, code: 'investment_not_found', detail: 'no such investment' } : { ok: true, value: state }),
    commandOf: (message, { at, lookup }) => commandOf(message, deps, at, (id) => (lookup.get('directory', id) as AccountDirectoryEntry | undefined) ?? null),
    deliveriesOf: (actorId, event) => deliveriesOf(actorId, event, deps.config.paymentStrategies.invest),
    assertInvariants(state) {
      if (state.investment === null) return;
      assert(state.investment.amount > 0n, 'an investment has a positive amount');
      assert((state.status === 'funded' || state.status === 'active') === (state.capitalId !== null), 'a funded investment names its capital');
      assert((state.status === 'failed') === (state.failure !== null), 'a failed investment says why');
    },
  });
}

function commandOf(message: InvestmentMessage, deps: LendingDeps, at: number, directory: (id: string) => AccountDirectoryEntry | null): InvestmentCommand {
  switch (message.type) {
    case 'place_investment':
      return { type: 'place_investment', data: withFields(message.data, { expectedRate: message.data.expectedRate ?? null, at, on: deps.clock.today(), investorAccount: directory(message.data.investor) }) };
    case 'funding_accepted': {
      const attempt = message.data?.attempt;
      return { type: 'funding_accepted', data: attempt === undefined ? { at, shards: deps.config.poolShards } : { at, shards: deps.config.poolShards, attempt } };
    }
    case 'funding_refused':
      return { type: 'funding_refused', data: withFields(message.data, { at }) };
    case 'capital_recorded':
      return { type: 'capital_recorded', data: { at } };
    case 'get_investment':
      throw new Error('get_investment is a query');
    default:
      return assertNever(message, 'investment message');
  }
}

function deliveriesOf(actorId: string, event: InvestmentEvent, draw: readonly Nature[]): Delivery[] {
  switch (event.type) {
    case 'investment_placed': {
      const { investment } = event.data;
      const self = investmentActorId(investment.id);
      const attempt = event.data.attempt ?? 1;
      const funded: InvestmentMessage = { type: 'funding_accepted', data: { attempt } };
      return [
        transferDelivery(
          investmentTransferId(investment.id, attempt),
          { debit: investment.investor, credit: systemAccounts.pool, amount: investment.amount, pending: false, timeoutMs: null, memo: `investment ${investment.id}`, draw },
          {
            accepted: tell(self, funded),
            refused: (code, detail) => tell(self, { type: 'funding_refused', data: { code, detail, attempt } } satisfies InvestmentMessage),
          },
          // The wallet keeps the investment's lien from this debit until the redemption pays it back.
          { lien: investment.id },
        ),
      ];
    }
    case 'investment_funded': {
      const add: PoolMessage = { type: 'add_capital', data: { capital: event.data.capital, shard: event.data.shard } };
      const recorded: InvestmentMessage = { type: 'capital_recorded' };
      return [{ to: poolShardActorId(event.data.shard), message: add, onRefused: null, onAccepted: () => tell(actorId, recorded) }];
    }
    case 'investment_activated':
    case 'investment_failed':
      return [];
    default:
      return assertNever(event, 'investment event');
  }
}
