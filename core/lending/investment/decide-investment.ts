import { addDays } from '../../calendar/business-date.js';
import { assertNever, reject, type Rejection } from '../../rejection.js';
import { shardOfCapital } from '../capital.js';
import { lendingLimits } from '../limits.js';
import type { LendingRejectionCode } from '../rejections.js';
import { capitalContentOf, initialInvestmentState, type Investment, type InvestmentCommand, type InvestmentEvent, type InvestmentState } from './investment.js';
import { evolveInvestment } from './evolve-investment.js';
import type { Decider } from '../../decider.js';
import { parseAnnualRate } from '../loan/rate.js';
import { ratioOfDecimal, roundRatio } from '../schedule/ratio.js';

export type InvestmentDecision = readonly InvestmentEvent[] | Rejection<LendingRejectionCode>;

const duplicate: readonly InvestmentEvent[] = Object.freeze([]);

export function decideInvestment(state: InvestmentState, command: InvestmentCommand): InvestmentDecision {
  switch (command.type) {
    case 'place_investment':
      return decidePlace(state, command);
    case 'funding_accepted': {
      if (state.investment === null || state.status !== 'placed' || isStale(state, command.data.attempt)) return duplicate;
      const capital = capitalContentOf(state.investment);
      return [{ type: 'investment_funded', data: { capital, shard: shardOfCapital(capital.id, command.data.shards), at: command.data.at } }];
    }
    case 'funding_refused': {
      if (state.investment === null || state.status !== 'placed' || isStale(state, command.data.attempt)) return duplicate;
      const { code, detail, at } = command.data;
      return [{ type: 'investment_failed', data: { code, detail, at } }];
    }
    case 'capital_recorded':
      if (state.status !== 'funded') return duplicate;
      return [{ type: 'investment_activated', data: { at: command.data.at } }];
    default:
      return assertNever(command, 'investment command');
  }
}

/**
 * An answer to an earlier debit attempt than the current one: after a refusal for want of
 * funds the investment is placed again under a new transfer id, and the earlier refusal,
 * redelivered after a crash, must not fail the attempt whose debit went through (its money
 * would stay in the pool, and the wallet's lien on it would never go).
 */
function isStale(state: InvestmentState, attempt: number | undefined): boolean {
  return attempt !== undefined && attempt !== (state.attempts ?? 1);
}

/**
 * place_investment, checked in this order (nothing is recorded for a refusal here; a refusal
 * of the wallet debit later is recorded as a failed investment, so a retry gets it again —
 * except insufficient_funds, a passing condition: the same investment again is placed again,
 * today, at most investmentAttemptsMax times):
 * 1. an investment with this id: other investor, amount or term → id_reused_with_different_content;
 *    failed for insufficient_funds → placed again; else duplicate
 * 2. investment_amount_out_of_range, 3. investment_term_out_of_range,
 * 3a. annual_rate_invalid / annual_rate_out_of_range (expectedRate, when given)
 * 4. investor_not_found, 5. account_kind_not_allowed (not an investor wallet, a hot one, or
 *    one that buffers its credits: its lien must see each credit as it comes),
 * 6. currencies_must_match (the pool books CNY)
 */
/** The rate as stored (canonical), for comparing a retry's content; an unreadable one compares as itself. */
function canonicalRate(text: string | null): string | null {
  if (text === null) return null;
  const parsed = parseAnnualRate(text);
  return parsed.ok ? parsed.rate : text;
}

/** What an investment expects to earn over its term at its expected rate (ACT/365), 0 without one: kept in the interest pool at redemption. */
export function expectedInterestOf(investment: Investment): bigint {
  if (investment.expectedRate === undefined || investment.expectedRate === null) return 0n;
  const rate = ratioOfDecimal(investment.expectedRate);
  return roundRatio({ num: investment.amount * rate.num * BigInt(investment.termDays), den: rate.den * 365n }, 'half_even');
}

function decidePlace(state: InvestmentState, { data }: Extract<InvestmentCommand, { type: 'place_investment' }>): InvestmentDecision {
  const existing = state.investment;
  if (existing !== null) {
    const same = existing.investor === data.investor && existing.amount === data.amount && existing.termDays === data.termDays && (existing.expectedRate ?? null) === canonicalRate(data.expectedRate);
    if (!same) return reject('id_reused_with_different_content', `investment ${data.id} exists with other content`);
    const attempt = (state.attempts ?? 1) + 1;
    if (state.failure?.code !== 'insufficient_funds' || attempt > lendingLimits.investmentAttemptsMax) return duplicate;
    const again = { ...existing, placedOn: data.on, maturityDate: addDays(data.on, existing.termDays), placedAt: data.at };
    return [{ type: 'investment_placed', data: { investment: again, attempt } }];
  }
  if (data.amount < lendingLimits.investmentAmountMinMinor || data.amount > lendingLimits.investmentAmountMaxMinor) {
    return reject('investment_amount_out_of_range', 'an investment is between 1.00 and 100,000,000.00');
  }
  if (!Number.isInteger(data.termDays) || data.termDays < lendingLimits.investmentTermDaysMin || data.termDays > lendingLimits.investmentTermDaysMax) {
    return reject('investment_term_out_of_range', `termDays is between ${lendingLimits.investmentTermDaysMin} and ${lendingLimits.investmentTermDaysMax}`);
  }
  const rate = data.expectedRate === null ? null : parseAnnualRate(data.expectedRate);
  if (rate !== null && !rate.ok) return reject(rate.code, `expectedRate: ${rate.detail}`);
  const account = data.investorAccount;
  if (account === null) return reject('investor_not_found', `no account ${data.investor}`);
  if (account.kind !== 'investor_wallet') return reject('account_kind_not_allowed', `${data.investor} is a ${account.kind}, not an investor_wallet`);
  if (account.subAccounts > 1) return reject('account_kind_not_allowed', `${data.investor} is a hot account (sub-accounts); an investor wallet is a plain account`);
  if (account.bufferCredits) return reject('account_kind_not_allowed', `${data.investor} buffers its credits; an investor wallet posts them as they come`);
  if (account.currency !== 'CNY') return reject('currencies_must_match', `${data.investor} books ${account.currency}; the capital pool books CNY`);
  const investment = {
    id: data.id,
    investor: data.investor,
    amount: data.amount,
    termDays: data.termDays,
    expectedRate: rate === null ? null : rate.rate,
    placedOn: data.on,
    maturityDate: addDays(data.on, data.termDays),
    placedAt: data.at,
  };
  return [{ type: 'investment_placed', data: { investment } }];
}

/** An investment as one decider: an accepted command answers the investment after it. */
export const investmentDecider: Decider<InvestmentState, InvestmentCommand, InvestmentEvent, LendingRejectionCode, InvestmentState> = {
  initialState: initialInvestmentState,
  decide: decideInvestment,
  evolve: evolveInvestment,
  reply: (state) => state,
};
