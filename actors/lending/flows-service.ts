import type { InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import type { JournalReader } from '../../persistence/journal.js';
import { accountActorId } from '../account/messages.js';
import type { ActorReply } from '../runtime/behavior.js';
import type { Bus } from '../runtime/relay.js';
import type { FlowsApi, InterestPoolPage } from './flows-api.js';
import { interestPoolActorId, type InterestPoolMessage } from './interest-pool-messages.js';

const refuse = (code: string, detail: string) => ({ ok: false as const, code, detail });

/** Repayments, compensations and interest pools as the gateway sees them. */
export class FlowsService implements FlowsApi {
  constructor(
    private readonly bus: Bus,
    private readonly journal: JournalReader,
  ) {}

  async getInterestPool(investor: string, afterSeq: number, limit: number): Promise<ActorReply<InterestPoolPage>> {
    if (this.journal.headSeq(accountActorId(investor)) === 0) return refuse('account_not_found', `no investor account ${investor}`);
    const reply = await this.bus.ask(interestPoolActorId(investor), { type: 'get_interest_pool' } satisfies InterestPoolMessage);
    if (!reply.ok) return reply;
    return { ok: true, value: { investor, pool: reply.value as InterestPoolState, afterSeq, limit } };
  }

  async setReinvestSwitch(investor: string, on: boolean): Promise<ActorReply<InterestPoolPage>> {
    if (this.journal.headSeq(accountActorId(investor)) === 0) return refuse('account_not_found', `no investor account ${investor}`);
    const reply = await this.bus.ask(interestPoolActorId(investor), { type: 'set_reinvest_switch', data: { investor, on } } satisfies InterestPoolMessage);
    if (!reply.ok) return reply;
    return this.getInterestPool(investor, 0, 0);
  }
}
