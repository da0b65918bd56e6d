import t from 'tap';
import { decideInvestment, expectedInterestOf } from '../../../core/lending/investment/decide-investment.js';
import { isRejection } from '../../../core/rejection.js';
import { evolveInvestment } from '../../../core/lending/investment/evolve-investment.js';
import { initialInvestmentState, type InvestmentCommand, type InvestmentEvent, type Investment } from '../../../core/lending/investment/investment.js';
import { shardOfCapital } from '../../../core/lending/capital.js';
import { capitalContent, t0, today, wallet } from './fixtures.js';
import { deciderOf } from './given.js';

const given = deciderOf(decideInvestment, evolveInvestment, initialInvestmentState);

const place = (patch: Partial<Extract<InvestmentCommand, { type: 'place_investment' }>['data']> = {}): InvestmentCommand => ({
  type: 'place_investment',
  data: { id: 'i1', investor: 'alice', amount: 100_00n, termDays: 365, expectedRate: null, at: t0, on: today, investorAccount: wallet('alice'), ...patch },
});
const investment: Investment = { id: 'i1', investor: 'alice', amount: 100_00n, termDays: 365, expectedRate: null, placedOn: today, maturityDate: '2031-01-01', placedAt: t0 };
const placed: InvestmentEvent = { type: 'investment_placed', data: { investment } };
const funded: InvestmentEvent = { type: 'investment_funded', data: { capital: capitalContent('cap-i1'), shard: shardOfCapital('cap-i1', 4), at: t0 + 1 } };

t.test('place: an investment matures termDays after the business date it was placed on', async (t) => {
  given().when(place()).then(t, [placed]);
  given().when(place({ on: '2030-01-31', termDays: 30 })).emits(t, ['investment_placed']);
  t.equal(given().when(place({ on: '2030-01-31', termDays: 30 })).after.investment?.maturityDate, '2030-03-02');
});

t.test('place: rejection precedence', async (t) => {
  given(placed).when(place()).then(t, [], 'the same investment again is a duplicate');
  given(placed).when(place({ amount: 1n })).rejects(t, 'id_reused_with_different_content', '1. id reuse before anything else');
  given().when(place({ amount: 99n, termDays: 0, investorAccount: null })).rejects(t, 'investment_amount_out_of_range', '2. amount below 1.00');
  given().when(place({ amount: 100_000_000_01n })).rejects(t, 'investment_amount_out_of_range', '2. amount above the max');
  given().when(place({ termDays: 0, investorAccount: null })).rejects(t, 'investment_term_out_of_range', '3. term before the investor');
  given().when(place({ termDays: 3651 })).rejects(t, 'investment_term_out_of_range');
  given().when(place({ termDays: 1.5 })).rejects(t, 'investment_term_out_of_range', 'whole days only');
  given().when(place({ investorAccount: null })).rejects(t, 'investor_not_found', '4.');
  given().when(place({ investorAccount: wallet('alice', { kind: 'borrower_wallet', currency: 'USD' }) })).rejects(t, 'account_kind_not_allowed', '5. kind before currency');
  given().when(place({ investorAccount: wallet('alice', { subAccounts: 4, currency: 'USD' }) })).rejects(t, 'account_kind_not_allowed', '5. a hot wallet');
  given().when(place({ investorAccount: wallet('alice', { bufferCredits: true, currency: 'USD' }) })).rejects(t, 'account_kind_not_allowed', '5. a wallet that buffers its credits');
  given().when(place({ investorAccount: wallet('alice', { currency: 'USD' }) })).rejects(t, 'currencies_must_match', '6.');
  given().when(place({ amount: 100n, termDays: 1, investorAccount: wallet('alice', { closed: true }) })).emits(t, ['investment_placed'], 'bounds are inclusive; a closed wallet is for the ledger to refuse (recorded)');
});

t.test('the saga: funded names the capital and its shard; refused ends it failed; every step once', async (t) => {
  const { decision } = given(placed).when({ type: 'funding_accepted', data: { at: t0 + 1, shards: 4 } });
  t.same(decision, [funded], 'the capital carries the investment: principal, property principal, source new, its maturity');
  given(placed, funded).when({ type: 'funding_accepted', data: { at: t0 + 2, shards: 4 } }).then(t, [], 'a redelivered acceptance');
  given(placed, funded).when({ type: 'capital_recorded', data: { at: t0 + 2 } }).then(t, [{ type: 'investment_activated', data: { at: t0 + 2 } }]);
  given(placed, funded, { type: 'investment_activated', data: { at: t0 + 2 } }).when({ type: 'capital_recorded', data: { at: t0 + 3 } }).then(t, []);
  given(placed).when({ type: 'capital_recorded', data: { at: t0 } }).then(t, [], 'no capital before the money is in');
  const refused = given(placed).when({ type: 'funding_refused', data: { code: 'insufficient_funds', detail: 'x', at: t0 + 1 } });
  refused.then(t, [{ type: 'investment_failed', data: { code: 'insufficient_funds', detail: 'x', at: t0 + 1 } }]);
  t.match(refused.after, { status: 'failed', failure: { code: 'insufficient_funds' } });
  given(placed, funded).when({ type: 'funding_refused', data: { code: 'insufficient_funds', detail: 'x', at: t0 } }).then(t, [], 'a refusal after acceptance cannot happen; ignored');
  given().when({ type: 'funding_accepted', data: { at: t0, shards: 4 } }).then(t, [], 'nothing placed, nothing to do');
});

t.test('a refusal for want of funds is passing: the same investment again is placed again, today; other refusals stand', async (t) => {
  const poor: InvestmentEvent = { type: 'investment_failed', data: { code: 'insufficient_funds', detail: 'x', at: t0 + 1 } };
  const later = place({ on: '2030-02-01', at: t0 + 9 });
  const again: InvestmentEvent = { type: 'investment_placed', data: { investment: { ...investment, placedOn: '2030-02-01', maturityDate: '2031-02-01', placedAt: t0 + 9 }, attempt: 2 } };
  const retried = given(placed, poor).when(later);
  retried.then(t, [again], 'placed again from the retry date, as attempt 2');
  t.match(retried.after, { status: 'placed', failure: null, attempts: 2 });
  given(placed, poor, again).when(place()).then(t, [], 'while under way, the same again is a duplicate');
  given(placed, poor).when(place({ amount: 1n })).rejects(t, 'id_reused_with_different_content', 'other content is still a 409');
  const closed: InvestmentEvent = { type: 'investment_failed', data: { code: 'debit_account_closed', detail: 'x', at: t0 + 1 } };
  given(placed, closed).when(place()).then(t, [], 'any other refusal is recorded for good');
});

t.test('expectedRate: optional, a plain annual rate, part of the content; its expected interest is amount × rate × days / 365', async (t) => {
  given().when(place({ expectedRate: 'eight' })).rejects(t, 'annual_rate_invalid', 'not a rate');
  given().when(place({ expectedRate: '0' })).rejects(t, 'annual_rate_out_of_range');
  const placed = decideInvestment(initialInvestmentState, place({ expectedRate: '0.0800' }));
  const investment = !isRejection(placed) && placed[0]?.type === 'investment_placed' ? placed[0].data.investment : null;
  t.equal(investment?.expectedRate, '0.08', 'kept canonical');
  if (investment === null) return;
  t.equal(expectedInterestOf(investment), 8_00n, '100.00 × 8 % × 365 / 365');
  t.equal(expectedInterestOf({ ...investment, amount: 1_000_00n, expectedRate: '0.0825', termDays: 90 }), 20_34n, '1,000.00 × 8.25 % × 90 / 365 = 20.342… → 20.34');
  t.equal(expectedInterestOf({ ...investment, expectedRate: null }), 0n, 'none without a rate');
  const state = [placed].flat().filter((e) => !isRejection(e)).reduce((s, e) => evolveInvestment(s, e as never), initialInvestmentState);
  t.equal((decideInvestment(state, place({ expectedRate: '0.09' })) as { code?: string }).code, 'id_reused_with_different_content', 'another rate is other content');
  t.same(decideInvestment(state, place({ expectedRate: '0.080' })), [], 'the same rate written otherwise: the same investment');
});

t.test('given attempt 2 placed after a refusal for want of funds, when the first attempt\'s refusal comes again (redelivered after a crash), then nothing changes; its own answers count', async (t) => {
  const poor: InvestmentEvent = { type: 'investment_failed', data: { code: 'insufficient_funds', detail: 'x', at: t0 + 1 } };
  const again: InvestmentEvent = { type: 'investment_placed', data: { investment, attempt: 2 } };
  const refusedOf = (attempt?: number): InvestmentCommand => ({ type: 'funding_refused', data: { code: 'insufficient_funds', detail: 'x', at: t0 + 2, ...(attempt === undefined ? {} : { attempt }) } });
  given(placed, poor, again).when(refusedOf(1)).then(t, [], "the first attempt's refusal is stale");
  given(placed, poor, again).when({ type: 'funding_accepted', data: { at: t0 + 2, shards: 4, attempt: 1 } }).then(t, [], 'so is an answer of it that accepts');
  given(placed, poor, again).when({ type: 'funding_accepted', data: { at: t0 + 2, shards: 4, attempt: 2 } }).emits(t, ['investment_funded'], "the second attempt's acceptance funds it");
  given(placed, poor, again).when(refusedOf(2)).emits(t, ['investment_failed'], "the second attempt's refusal fails it");
  given(placed, poor, again).when(refusedOf()).emits(t, ['investment_failed'], 'an answer without its attempt (sent before they were named) counts as the current one');
  given(placed).when(refusedOf(1)).emits(t, ['investment_failed'], 'the first attempt answers the first placement');
});
