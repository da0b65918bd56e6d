import type { AccountMessage } from '../../actors/account/messages.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../../actors/runtime/errors.js';
import type { Bus } from '../../actors/runtime/relay.js';
import type { Cause } from '../../core/audit/cause.js';

/**
 * A bus on which credits to some accounts are late: asked while cut, they fail as across a
 * link that is down (the relay tries them again); every other ask goes through at once. So a
 * debit of such an account can arrive before the credit that funds it, as across nodes.
 */
export class LateCreditsBus implements Bus {
  creditsCut = 0;

  /** `cutCreditsTo`: the account actors whose credits fail while listed (shared, so a restarted node's bus sees the same cut). */
  constructor(
    private readonly target: () => Bus | undefined,
    readonly cutCreditsTo: Set<string> = new Set(),
  ) {}

  ask(actorId: string, message: unknown, timeoutMs?: number, cause?: Cause): Promise<ActorReply> {
    const target = this.target();
    const cut = this.cutCreditsTo.has(actorId) && (message as AccountMessage).type === 'credit_transfer';
    if (cut) this.creditsCut++;
    if (target === undefined || cut) return Promise.reject(new ActorRuntimeError('actor_unavailable', 'link cut'));
    return target.ask(actorId, message, timeoutMs, cause);
  }
}
