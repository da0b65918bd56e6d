import { headers, type NatsConnection } from '@nats-io/transport-node';
import { isRuntimeError } from '../actors/runtime/errors.js';
import { answeredOrOwnerLost, type LeaseWatch } from './lease-watch.js';
import { natsFailure } from './nats-errors.js';
import { commandIdHeader, decode, resultOf, type WireReply } from './wire.js';

/** How long an ask waits out a partition nobody serves (a node starting, a lease moving). */
export interface RoutingLimits {
  /** How long an ask keeps being retried while its partition is unowned, before partition_unavailable; 0: no retry. */
  readonly routeDeadlineMs: number;
  /** First wait between two tries; doubled each time up to `routeRetryDelayMaxMs`. */
  readonly routeRetryDelayFirstMs: number;
  readonly routeRetryDelayMaxMs: number;
}

export const defaultRoutingLimits: RoutingLimits = { routeDeadlineMs: 5_000, routeRetryDelayFirstMs: 10, routeRetryDelayMaxMs: 500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A bus's NATS requests: each raced against its partition's owner being lost (the lease
 * bucket says so: partition_unavailable at once instead of a timeout), and retried while
 * nobody serves the partition, until `routeDeadlineMs`. Failures are runtime errors.
 */
export class NatsRequests {
  constructor(
    private readonly nc: NatsConnection,
    private readonly routing: RoutingLimits,
    private readonly leaseWatch: LeaseWatch | null,
    /** Told of every request that failed (metrics), with the failure's code. */
    private readonly onFailed: ((code: string) => void) | undefined,
  ) {}

  /** The server's largest message, once connected. */
  get payloadMax(): number {
    return this.nc.info?.max_payload ?? Infinity;
  }

  /** The reply's result; `label` names what was asked in errors and in the request's header. */
  send(subject: string, partition: number, label: string, payload: Uint8Array, timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + this.routing.routeDeadlineMs;
    const h = headers();
    h.set(commandIdHeader, label);
    const once = (): Promise<unknown> => {
      try {
        const sent = this.nc.request(subject, payload, { timeout: timeoutMs, headers: h });
        return answeredOrOwnerLost(sent, partition, this.leaseWatch).then((msg) => resultOf(decode<WireReply>(msg.data)));
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
          const failure = isRuntimeError(error) ? error : natsFailure(error, `partition ${partition} (${label})`);
          this.onFailed?.(failure.code);
          const ownerLost = this.leaseWatch?.isOwnerLost(partition) ?? false;
          if (failure.code !== 'partition_unavailable' || ownerLost || Date.now() >= deadline) throw failure;
          await sleep(Math.min(this.routing.routeRetryDelayFirstMs * 2 ** Math.min(tries, 16), this.routing.routeRetryDelayMaxMs, Math.max(0, deadline - Date.now())));
          attempt = once();
        }
      }
    };
    return retried(once());
  }
}
