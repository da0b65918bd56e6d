import { AsyncLocalStorage } from 'node:async_hooks';
import { systemCause, type Cause } from '../../core/audit/cause.js';

export { addToRuns, causeAt, sameCause, systemCause, type Cause, type CauseRun } from '../../core/audit/cause.js';
/** The request being served, as its asks see it; the route fills in the order id once it knows it. */
export interface RequestCause {
  who: string;
  requestId: string | null;
  orderId: string | null;
}

const requestCauses = new AsyncLocalStorage<RequestCause>();

/** Runs `work` (a request's handling) with this cause: every ask it makes, however deep, carries it. */
export function runWithCause<T>(cause: RequestCause, work: () => T): T {
  return requestCauses.run(cause, work);
}

/** The cause of the request being served, or `system` outside any request (timers, start-up). */
export function currentCause(): Cause {
  const cause = requestCauses.getStore();
  return cause === undefined ? systemCause : { who: cause.who, requestId: cause.requestId, orderId: cause.orderId };
}

/** The request being served, as it is now (a copy: the route may still name its order); undefined outside any request. */
export function captureRequestCause(): RequestCause | undefined {
  const cause = requestCauses.getStore();
  return cause === undefined ? undefined : { who: cause.who, requestId: cause.requestId, orderId: cause.orderId };
}

/**
 * Runs `work` as part of a request captured earlier, or outside any request (undefined):
 * for work that one request queued and another turn carries out (the turn's batch of
 * single transfers), whose asks must name the request that asked for them.
 */
export function runAsCaptured<T>(cause: RequestCause | undefined, work: () => T): T {
  if (cause !== undefined) return requestCauses.run(cause, work);
  // Already outside any request (fundcore's own work, a turn's batch): nothing to leave.
  return requestCauses.getStore() === undefined ? work() : requestCauses.exit(work);
}

/** Names the request's order (the command's id) once the route has read it. */
export function noteOrderId(orderId: string): void {
  const cause = requestCauses.getStore();
  if (cause !== undefined) cause.orderId = orderId;
}
