import type { InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import type { AccountLookup } from '../ledger/ledger-api.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import type { CompensationInput, FlowsApi, InterestPoolPage, RepaymentAnswer, RepaymentInput } from './flows-api.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import { parseAmount } from '../../core/money/amount.js';
import { loanActorId } from './ids.js';
import type { LoanMessage } from './messages.js';
import { interestPoolActorId, type InterestPoolMessage } from './interest-pool-messages.js';

const refuse = (code: string, detail: string) => ({ ok: false as const, code, detail });

/** Repayments, compensations and interest pools as the gateway sees them. */
export class FlowsService implements FlowsApi {
  constructor(
    private readonly bus: Bus,
    private readonly accounts: AccountLookup,
  ) {}

  async getInterestPool(investor: string, afterSeq: number, limit: number): Promise<ActorReply<InterestPoolPage>> {
    const account = await this.investorAccount(investor);
    if (!account.ok) return account;
    const reply = await this.bus.ask(interestPoolActorId(investor), { type: 'get_interest_pool', data: { investor } } satisfies InterestPoolMessage);
    if (!reply.ok) return reply;
    return { ok: true, value: { investor, pool: reply.value as InterestPoolState, afterSeq, limit } };
  }

  async setReinvestSwitch(investor: string, on: boolean): Promise<ActorReply<InterestPoolPage>> {
    const account = await this.investorAccount(investor);
    if (!account.ok) return account;
    const reply = await this.bus.ask(interestPoolActorId(investor), { type: 'set_reinvest_switch', data: { investor, on } } satisfies InterestPoolMessage);
    if (!reply.ok) return reply;
    return this.getInterestPool(investor, 0, 0);
  }

  async repay(loanId: string, input: RepaymentInput): Promise<ActorReply<RepaymentAnswer>> {
    let requested: bigint | null = null;
    if (input.amount !== null) {
      const amount = parseAmount(input.amount, 'CNY');
      if (!amount.ok) return refuse(amount.code, amount.detail);
      requested = amount.minor;
    }
    return this.request(loanId, { type: 'request_repayment', data: { id: input.id, payer: 'borrower', requested, period: null } });
  }

  async compensate(loanId: string, input: CompensationInput): Promise<ActorReply<RepaymentAnswer>> {
    return this.request(loanId, { type: 'request_repayment', data: { id: input.id, payer: 'guarantee', requested: null, period: input.period } });
  }

  async getRepayment(loanId: string, id: string): Promise<ActorReply<RepaymentAnswer>> {
    const reply = await this.bus.ask(loanActorId(loanId), { type: 'get_loan' } satisfies LoanMessage);
    if (!reply.ok) return reply;
    return answerOf(reply.value as LoanState, id);
  }

  private async investorAccount(investor: string): Promise<ActorReply<unknown>> {
    const found = await this.accounts.getAccount(investor);
    if (!found.ok && found.code === 'account_not_found') return refuse('account_not_found', `no investor account ${investor}`);
    return found;
  }

  private async request(loanId: string, message: Extract<LoanMessage, { type: 'request_repayment' }>): Promise<ActorReply<RepaymentAnswer>> {
    const reply = await this.bus.ask(loanActorId(loanId), message);
    if (!reply.ok) return reply;
    return answerOf(reply.value as LoanState, message.data.id);
  }
}

function answerOf(loan: LoanState, id: string): ActorReply<RepaymentAnswer> {
  const repayment = loan.repayments.get(id);
  if (repayment === undefined) return refuse('repayment_not_found', `no payment ${id} of this loan`);
  return { ok: true, value: { repayment, loan } };
}
