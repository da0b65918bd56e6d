import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { runWithCause, type RequestCause } from '../actors/runtime/cause.js';
import { authenticatedRoleOf, bankCallbackPath } from './auth.js';
import { bearerDigest } from './key-digests.js';

/** A client's request id, kept when it is one we can log and search by; otherwise one is made up. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the client's `X-Request-Id`, or a new UUID (fastify's own counter restarts with the process). */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const header = request.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && requestIdPattern.test(given) ? given : randomUUID();
}

/**
 * Who a request is, for the audit trail: `ops:<fingerprint>` or `client:<fingerprint>` —
 * 12 hex digits of the key's SHA-256, which names the key without revealing it — or `bank`
 * for the bank's signed callbacks.
 */
export function requestCauseOf(request: FastifyRequest): RequestCause {
  const path = request.url.split('?')[0] ?? '';
  return { who: path === bankCallbackPath ? 'bank' : (keyIdentityOf(request) ?? 'anonymous'), requestId: request.id, orderId: null };
}

function keyIdentityOf(request: FastifyRequest): string | null {
  const role = authenticatedRoleOf(request);
  if (role === null) return null;
  const token = (request.headers.authorization as string).slice('Bearer '.length).trim();
  return `${role}:${bearerDigest(token).toString('hex', 0, 6)}`;
}

/**
 * The route's handler runs with the request's cause: every ask it makes, however deep in the
 * services, carries it to the actors, whose events keep it. A preHandler (not onRequest):
 * the body is parsed by then, and the handler is called from this hook's continuation.
 */
export function causeHook() {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    runWithCause(requestCauseOf(request), done);
  };
}
