import { assert, assertNever } from '../../rejection.js';
import type { InvestmentEvent, InvestmentState } from './investment.js';
import { withFields } from '../../with-fields.js';

export function evolveInvestment(state: InvestmentState, event: InvestmentEvent): InvestmentState {
  switch (event.type) {
    case 'investment_placed':
      assert(state.investment === null || state.status === 'failed', 'an investment is placed once, or again after a refusal');
      return withFields(state, { investment: event.data.investment, status: 'placed' as const, failure: null, attempts: event.data.attempt ?? 1 });
    case 'investment_funded':
      assert(state.status === 'placed', 'only a placed investment is funded');
      return { ...state, status: 'funded', capitalId: event.data.capital.id, shard: event.data.shard, fundedAt: event.data.at };
    case 'investment_activated':
      assert(state.status === 'funded', 'only a funded investment is activated');
      return { ...state, status: 'active', activatedAt: event.data.at };
    case 'investment_failed':
      assert(state.status === 'placed', 'only a placed investment fails');
      return { ...state, status: 'failed', failure: { code: event.data.code, detail: event.data.detail } };
    default:
      return assertNever(event, 'investment event');
  }
}
