import { fullyMatchedCapital, type Capital, type CapitalReading } from '../../core/lending/capital.js';
import type { Claim } from '../../core/lending/claim.js';
import { capitalContentOf, type InvestmentState } from '../../core/lending/investment/investment.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import type { RepaymentPlan } from '../../core/lending/plan/plan.js';
import type { RedemptionState } from '../../core/lending/redemption/redemption.js';
import { parseAmount } from '../../core/money/amount.js';
import type { BusinessDate } from '../../core/calendar/business-date.js';
import { payoffQuoteOf, type PayoffQuote } from '../../core/lending/repayment/payoff.js';
import { isRejection } from '../../core/rejection.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import { awaitSettledMessage } from '../runtime/settle-waits.js';
import { indexActorId, type IndexListing, type IndexMessage } from '../index/messages.js';
import { investmentActorId, loanActorId, planActorId, poolShardActorId, redemptionActorId } from './ids.js';
import type { InvestmentDetail, InvestmentInput, LendingApi, LoanInput, SagaAnswer } from './lending-api.js';
import type { LendingConfig } from './lending-config.js';
import type { InvestmentMessage, LoanMessage, PlanMessage, PoolMessage, RedemptionMessage } from './messages.js';

const refuse = (code: string, detail: string) => ({ ok: false as const, code, detail });

/** A claim a redemption must move: still funding its loan. */
const liveClaimStatuses: readonly Claim['status'][] = ['matched', 'matching', 'pre_processing'];

function isSettledInvestment(state: InvestmentState): boolean {
  return state.status === 'active' || state.status === 'failed';
}

/**
 * The lending processes as the gateway sees them: parses amounts, asks the actors, and for
 * an investment waits (at most `settleWaitMs`) for its saga to settle.
 */
export class LendingService implements LendingApi {
  constructor(
    private readonly bus: Bus,
    private readonly config: LendingConfig,
  ) {}

  /** Places the investment, then waits (at most settleWaitMs, held by its actor) for the saga to settle. */
  async placeInvestment(input: InvestmentInput): Promise<ActorReply<SagaAnswer<InvestmentState>>> {
    const amount = parseAmount(input.amount, 'CNY');
    if (!amount.ok) return refuse(amount.code, amount.detail);
    const actorId = investmentActorId(input.id);
    const message: InvestmentMessage = { type: 'place_investment', data: { id: input.id, investor: input.investor, amount: amount.minor, termDays: input.termDays, expectedRate: input.expectedRate ?? null } };
    const reply = await this.bus.ask(actorId, message);
    if (!reply.ok) return reply;
    let state = reply.value as InvestmentState;
    if (!isSettledInvestment(state)) {
      const waited = await this.bus.ask(actorId, awaitSettledMessage);
      if (!waited.ok) return waited;
      state = waited.value as InvestmentState;
    }
    return { ok: true, value: { state, settled: isSettledInvestment(state) } };
  }

  async getInvestment(id: string): Promise<ActorReply<InvestmentDetail>> {
    const found = await this.askInvestment(id);
    if (!found.ok) return found;
    const investment = found.value;
    let capital: CapitalReading | null = null;
    if (investment.capitalId !== null && investment.shard !== null && investment.status === 'active' && investment.investment !== null) {
      const message: PoolMessage = { type: 'get_capital', data: { capitalId: investment.capitalId } };
      const reply = await this.bus.ask(poolShardActorId(investment.shard), message);
      if (reply.ok) capital = reply.value as Capital;
      // A shard keeps only what it can still reserve or pull back: an active investment's capital it no longer holds was fully matched.
      else if (reply.code === 'capital_not_found') capital = fullyMatchedCapital(capitalContentOf(investment.investment));
    }
    return { ok: true, value: { investment, capital } };
  }

  /** Every claim the investment ever held, by order number: the loans come from its index group, each claim from its loan. */
  async getInvestmentClaims(id: string): Promise<ActorReply<readonly Claim[]>> {
    const found = await this.askInvestment(id);
    if (!found.ok) return found;
    const claims = await this.claimsOf(id);
    if (!claims.ok) return claims;
    return { ok: true, value: [...claims.value].sort((a, b) => (a.orderNo < b.orderNo ? -1 : a.orderNo > b.orderNo ? 1 : 0)) };
  }

  async publishLoan(input: LoanInput): Promise<ActorReply<LoanState>> {
    const amount = parseAmount(input.amount, 'CNY');
    if (!amount.ok) return refuse(amount.code, amount.detail);
    const { id, borrower, annualRate, termDays, termMonths, method } = input;
    const message: LoanMessage = { type: 'publish_loan', data: { id, borrower, amount: amount.minor, annualRate, termDays, termMonths, method, product: input.product ?? null } };
    return (await this.bus.ask(loanActorId(id), message)) as ActorReply<LoanState>;
  }

  async getLoan(id: string): Promise<ActorReply<LoanState>> {
    return (await this.bus.ask(loanActorId(id), { type: 'get_loan' } satisfies LoanMessage)) as ActorReply<LoanState>;
  }

  async approveLoan(id: string): Promise<ActorReply<LoanState>> {
    return (await this.bus.ask(loanActorId(id), { type: 'approve_loan' } satisfies LoanMessage)) as ActorReply<LoanState>;
  }

  async getPlan(loanId: string): Promise<ActorReply<RepaymentPlan>> {
    const loan = await this.getLoan(loanId);
    if (!loan.ok) return loan;
    const plan = await this.bus.ask(planActorId(loanId), { type: 'get_plan' } satisfies PlanMessage);
    if (!plan.ok && plan.code === 'plan_not_found') return refuse('plan_not_found', `loan ${loanId} has no repayment plan yet (it comes with the approval)`);
    return plan as ActorReply<RepaymentPlan>;
  }

  async getPayoff(loanId: string, on: BusinessDate): Promise<ActorReply<PayoffQuote>> {
    const loan = await this.getLoan(loanId);
    if (!loan.ok) return loan;
    const quote = payoffQuoteOf(loan.value, on);
    return isRejection(quote) ? refuse(quote.code, quote.detail) : { ok: true, value: quote };
  }

  /**
   * The redemption saga needs the investment (its actor's state) and the loans holding its
   * live claims (asked of the loans its index group names); they are handed to the saga with
   * the command, so its decider stays pure. Its first round asks every pool shard.
   */
  async redeemInvestment(investmentId: string, id: string | null): Promise<ActorReply<RedemptionState>> {
    const found = await this.askInvestment(investmentId);
    if (!found.ok) return found;
    const claims = await this.claimsOf(investmentId);
    if (!claims.ok) return claims;
    const loans = new Set(claims.value.filter((claim) => liveClaimStatuses.includes(claim.status)).map((claim) => claim.loanId));
    const capitalShards = Array.from({ length: this.config.poolShards }, (_, shard) => shard);
    const message: RedemptionMessage = { type: 'redeem', data: { id: id ?? `rdm-${investmentId}`, investment: found.value, loans: [...loans], capitalShards } };
    return (await this.bus.ask(redemptionActorId(investmentId), message)) as ActorReply<RedemptionState>;
  }

  async getRedemption(investmentId: string): Promise<ActorReply<RedemptionState>> {
    const found = await this.askInvestment(investmentId);
    if (!found.ok) return found;
    const redemption = await this.bus.ask(redemptionActorId(investmentId), { type: 'get_redemption' } satisfies RedemptionMessage);
    if (!redemption.ok && redemption.code === 'redemption_not_found') return refuse('redemption_not_found', `investment ${investmentId} has no redemption`);
    return redemption as ActorReply<RedemptionState>;
  }

  /** The investment as its actor answers: investment_not_found from the actor itself when there is none. */
  private async askInvestment(id: string): Promise<ActorReply<InvestmentState>> {
    const reply = await this.bus.ask(investmentActorId(id), { type: 'get_investment' } satisfies InvestmentMessage);
    if (!reply.ok && reply.code === 'investment_not_found') return refuse('investment_not_found', `no investment ${id}`);
    return reply as ActorReply<InvestmentState>;
  }

  /** The investment's claims as their loans hold them now. */
  private async claimsOf(investmentId: string): Promise<ActorReply<Claim[]>> {
    const group = await this.bus.ask(indexActorId('claims', investmentId), { type: 'list_entries' } satisfies IndexMessage);
    if (!group.ok) return group;
    const claims: Claim[] = [];
    for (const { key: loanId } of (group.value as IndexListing).entries) {
      const loan = await this.getLoan(loanId);
      if (!loan.ok) return loan;
      for (const claim of loan.value.claims) if (claim.investmentId === investmentId) claims.push(claim);
    }
    return { ok: true, value: claims };
  }
}
