import type { Cause } from '../../core/audit/cause.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../../actors/runtime/errors.js';
import type { Bus } from '../../actors/runtime/relay.js';

/** A bus that can be cut: deliveries fail (as across a dead link) until it is restored. */
export class CuttableBus implements Bus {
  target: Bus | null = null;
  cut = false;
  ask(actorId: string, message: unknown, timeoutMs?: number, cause?: Cause): Promise<ActorReply> {
    if (this.cut || this.target === null) return Promise.reject(new ActorRuntimeError('actor_unavailable', 'link cut'));
    return this.target.ask(actorId, message, timeoutMs, cause);
  }
}
