import { NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { ActorRuntimeError } from '../actors/runtime/errors.js';

/** True when nobody serves the subject (no subscriber): the partition is unowned right now. */
export function isNoResponders(error: unknown): boolean {
  if (error instanceof NoRespondersError) return true;
  if (error instanceof RequestError) return error.isNoResponders();
  return false;
}

/**
 * A NATS request's failure as the runtime error a caller handles: nobody serves it
 * (partition_unavailable, it never ran), no answer in time (ask_timeout, outcome unknown),
 * the connection down or closing (partition_unavailable: nothing reached a node, or the
 * outcome is unknown; either way a retry with the same id is safe).
 */
export function natsFailure(error: unknown, what: string): ActorRuntimeError {
  if (isNoResponders(error)) return new ActorRuntimeError('partition_unavailable', `no node serves ${what} right now`, { cause: error });
  if (error instanceof TimeoutError || (error instanceof RequestError && error.cause instanceof TimeoutError)) {
    return new ActorRuntimeError('ask_timeout', `${what} did not answer in time; the outcome is unknown, retry with the same id`, { cause: error });
  }
  return new ActorRuntimeError('partition_unavailable', `${what} cannot be reached: ${(error as Error).message}`, { cause: error });
}
