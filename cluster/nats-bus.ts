import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../actors/runtime/errors.js';
import type { Bus } from '../actors/runtime/relay.js';
import { answeredOrOwnerLost, type LeaseWatch } from './lease-watch.js';
import { natsFailure } from './nats-errors.js';
import { commandSubject, partitionOfActor } from './partitions.js';
import { commandIdHeader, decode, encode, resultOf, type ClusterCommand, type WireReply } from './wire.js';

export interface NatsBusOptions {
  readonly nc: NatsConnection;
  readonly subjectPrefix: string;
  readonly partitionCount: number;
  /** The actors of partitions this node serves: asked in process. */
  readonly local: Bus;
  readonly isLocal: (partition: number) => boolean;
  /** The default wait for a reply (the runtime's askTimeoutMs). */
  readonly askTimeoutMs: number;
  /** Ends an ask whose partition's owner died meanwhile (partition_unavailable) instead of waiting out its timeout. */
  readonly leaseWatch?: LeaseWatch;
}

/**
 * The bus of a cluster node: an actor on a partition this node serves is asked in
 * process; any other over NATS, as an `actor_ask` request on its partition's subject,
 * answered by the node that serves it. Failures are runtime errors (retryable): nobody
 * serves the partition → partition_unavailable; no answer in time → ask_timeout. The relay
 * retries them, and receivers dedupe, so deliveries stay at least once.
 */
export class NatsBus implements Bus {
  constructor(private readonly options: NatsBusOptions) {}

  async ask(actorId: string, message: unknown, timeoutMs: number = this.options.askTimeoutMs): Promise<ActorReply> {
    const { nc, subjectPrefix, partitionCount, local, isLocal } = this.options;
    const partition = partitionOfActor(actorId, partitionCount);
    if (isLocal(partition)) return local.ask(actorId, message, timeoutMs);
    const command: ClusterCommand = { op: 'actor_ask', actorId, message, timeoutMs };
    const h = headers();
    h.set(commandIdHeader, actorId);
    let reply: WireReply;
    try {
      // A little longer than the remote ask, so its own timeout answers first.
      const request = nc.request(commandSubject(subjectPrefix, partition), encode(command), { timeout: timeoutMs + 1_000, headers: h });
      const msg = await answeredOrOwnerLost(request, partition, this.options.leaseWatch ?? null);
      reply = decode<WireReply>(msg.data);
    } catch (error) {
      if (error instanceof ActorRuntimeError) throw error;
      throw natsFailure(error, `partition ${partition} (${actorId})`);
    }
    const result = resultOf(reply);
    if (result === null || typeof result !== 'object' || !('ok' in result)) throw new ActorRuntimeError('internal_error', `malformed reply from ${actorId}`);
    return result as ActorReply;
  }
}
