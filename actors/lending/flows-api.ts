import type { InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import type { ActorReply } from '../runtime/behavior.js';

/** A page of an investor's interest pool: the pool, and its flows after `afterSeq`. */
export interface InterestPoolPage {
  readonly investor: string;
  readonly pool: InterestPoolState;
  readonly afterSeq: number;
  readonly limit: number;
}

/** What the gateway may ask of repayments, compensations and interest pools. Refusals come back as `{ ok: false, code }`. */
export interface FlowsApi {
  getInterestPool(investor: string, afterSeq: number, limit: number): Promise<ActorReply<InterestPoolPage>>;
  setReinvestSwitch(investor: string, on: boolean): Promise<ActorReply<InterestPoolPage>>;
}
