import { currentCause, type Cause } from '../actors/runtime/cause.js';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { ActorInspection } from '../actors/runtime/actor-system.js';
import type { ActorReply } from '../actors/runtime/behavior.js';
import { ActorRuntimeError, isRuntimeError } from '../actors/runtime/errors.js';
import type { Bus } from '../actors/runtime/relay.js';
import { answeredOrOwnerLost, type LeaseWatch } from './lease-watch.js';
import { natsFailure } from './nats-errors.js';
import { commandSubject, partitionOfActor } from './partitions.js';
import { commandIdHeader, decode, encode, resultOf, type ClusterCommand, type WireReply } from './wire.js';

/** How long an ask waits out a partition nobody serves (a node starting, a lease moving). */
export interface RoutingLimits {
  /** How long an ask keeps being retried while its partition is unowned, before partition_unavailable; 0: no retry. */
  readonly routeDeadlineMs: number;
  /** First wait between two tries; doubled each time up to `routeRetryDelayMaxMs`. */
  readonly routeRetryDelayFirstMs: number;
  readonly routeRetryDelayMaxMs: number;
}

export const defaultRoutingLimits: RoutingLimits = { routeDeadlineMs: 5_000, routeRetryDelayFirstMs: 10, routeRetryDelayMaxMs: 500 };

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
  /** Retries while a partition is unowned (a gateway's asks); none by default (a node's relay retries itself). */
  readonly routing?: Partial<RoutingLimits>;
  /** Told of every NATS request that failed (metrics), with the failure's code. */
  readonly onRequestFailed?: (code: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The bus of a cluster: an actor on a partition this process serves is asked in process;
 * any other over NATS, as an `actor_ask` request on its partition's subject, answered by
 * the node that serves it. Failures are runtime errors (retryable): nobody serves the
 * partition → partition_unavailable (retried until `routeDeadlineMs` while nobody serves
 * it, unless its owner's lease has lapsed: it is down, not moving); no answer in time →
 * ask_timeout (its outcome is unknown: never retried here). Receivers dedupe, so
 * deliveries stay at least once.
 */
export class NatsBus implements Bus {
  private readonly routing: RoutingLimits;

  constructor(private readonly options: NatsBusOptions) {
    this.routing = { ...defaultRoutingLimits, routeDeadlineMs: 0, ...options.routing };
  }

  /** The first request is sent before this returns a promise (callers rely on the order of their asks). */
  ask(actorId: string, message: unknown, timeoutMs: number = this.options.askTimeoutMs, cause: Cause = currentCause()): Promise<ActorReply> {
    const { partitionCount, local, isLocal } = this.options;
    const partition = partitionOfActor(actorId, partitionCount);
    if (isLocal(partition)) return local.ask(actorId, message, timeoutMs, cause);
    const command: ClusterCommand = { op: 'actor_ask', actorId, message, timeoutMs, cause };
    // A little longer than the remote ask, so its own timeout answers first.
    return this.request(partition, actorId, encode(command), timeoutMs + 1_000).then((result) => {
      if (result === null || typeof result !== 'object' || !('ok' in result)) throw new ActorRuntimeError('internal_error', `malformed reply from ${actorId}`);
      return result as ActorReply;
    });
  }

  /** What the node serving the actor's partition knows of it (ops). */
  async inspect(actorId: string): Promise<ActorInspection | undefined> {
    const command: ClusterCommand = { op: 'inspect_actor', actorId };
    const inspection = await this.request(partitionOfActor(actorId, this.options.partitionCount), actorId, encode(command), this.options.askTimeoutMs);
    return (inspection ?? undefined) as ActorInspection | undefined;
  }

  private request(partition: number, actorId: string, payload: Uint8Array, timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + this.routing.routeDeadlineMs;
    const h = headers();
    h.set(commandIdHeader, actorId);
    const once = (): Promise<unknown> => {
      try {
        const sent = this.options.nc.request(commandSubject(this.options.subjectPrefix, partition), payload, { timeout: timeoutMs, headers: h });
        return answeredOrOwnerLost(sent, partition, this.options.leaseWatch ?? null).then((msg) => resultOf(decode<WireReply>(msg.data)));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const retried = async (first: Promise<unknown>): Promise<unknown> => {
      let attempt = first;
      for (let tries = 0; ; tries++) {
        try {
          return await attempt;
        } catch (error) {
          const failure = isRuntimeError(error) ? error : natsFailure(error, `partition ${partition} (${actorId})`);
          this.options.onRequestFailed?.(failure.code);
          const ownerLost = this.options.leaseWatch?.isOwnerLost(partition) ?? false;
          if (failure.code !== 'partition_unavailable' || ownerLost || Date.now() >= deadline) throw failure;
          await sleep(Math.min(this.routing.routeRetryDelayFirstMs * 2 ** Math.min(tries, 16), this.routing.routeRetryDelayMaxMs, Math.max(0, deadline - Date.now())));
          attempt = once();
        }
      }
    };
    return retried(once());
  }
}

/**
 * The bus of a process that serves no partition (a gateway): every ask goes over NATS, and
 * waits out a partition nobody serves for up to `routing.routeDeadlineMs`.
 */
export function gatewayBus(options: Omit<NatsBusOptions, 'local' | 'isLocal'>): NatsBus {
  const noLocalActors: Bus = { ask: () => Promise.reject(new ActorRuntimeError('partition_unavailable', 'a gateway serves no partition')) };
  return new NatsBus({ ...options, local: noLocalActors, isLocal: () => false, routing: { ...defaultRoutingLimits, ...options.routing } });
}
