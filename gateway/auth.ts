import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { opsOnlyMark } from './openapi.js';
import { HttpError } from './errors.js';
import { bearerDigest } from './key-digests.js';

export interface ApiKeys {
  /** For client routes (/v1/*). */
  readonly apiKey: string;
  /** For ops routes (/ops/*); it is also accepted on client routes. */
  readonly opsKey: string;
  /** More client keys (one per client application): each has its own rate limit. */
  readonly moreApiKeys?: readonly string[];
}

export type KeyRole = 'client' | 'ops';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The keys' digests, computed once per key set (every request compares against them). */
const digestsOf = new WeakMap<ApiKeys, { ops: Buffer; clients: Buffer[] }>();

function keyDigests(keys: ApiKeys): { ops: Buffer; clients: Buffer[] } {
  let digests = digestsOf.get(keys);
  if (digests === undefined) digestsOf.set(keys, (digests = { ops: digest(keys.opsKey), clients: [keys.apiKey, ...(keys.moreApiKeys ?? [])].map(digest) }));
  return digests;
}

export function roleOf(request: FastifyRequest, keys: ApiKeys): KeyRole | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
  // Constant-time comparison of digests, so neither content nor length leaks.
  const given = bearerDigest(header.slice('Bearer '.length).trim());
  const { ops, clients } = keyDigests(keys);
  if (timingSafeEqual(given, ops)) return 'ops';
  let client = false;
  for (const expected of clients) client = timingSafeEqual(given, expected) || client;
  return client ? 'client' : null;
}

/** Routes the bank calls: authenticated by their HMAC signature, not by an API key. */
export const bankCallbackPath = '/v1/bank/callbacks';

/**
 * The ops page's static files carry no data: the page asks the ops routes for everything,
 * with the ops key the operator gives it (kept in the tab, sent as a bearer token).
 */
export function isOpsPagePath(path: string): boolean {
  return path === '/ops/ui' || path.startsWith('/ops/ui/');
}

/** The role each request authenticated with, as the auth hook found it (read again by the audit trail, not computed twice). */
const authenticated = new WeakMap<FastifyRequest, KeyRole>();

/** The role the request's key has; null for a public route or no valid key. */
export function authenticatedRoleOf(request: FastifyRequest): KeyRole | null {
  return authenticated.get(request) ?? null;
}

/**
 * Public routes need no key; /ops/* needs the ops key; everything else a client or ops key.
 * A callback hook, not an async one: it runs on every request, and then costs no promise.
 */
export function authHook(keys: ApiKeys) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const path = request.url.split('?')[0] ?? '';
    if (path === '/health' || path.startsWith('/docs') || path === bankCallbackPath || isOpsPagePath(path)) return done();
    const role = roleOf(request, keys);
    if (role === null) return done(new HttpError('unauthorized', 'send Authorization: Bearer <key>'));
    authenticated.set(request, role);
    if (path.startsWith('/ops') && role !== 'ops') return done(new HttpError('forbidden', 'this route needs the ops key'));
    done();
  };
}

/** A /v1 route only operators may call (full-funding approval): the ops key. */
export function requireOps(keys: ApiKeys) {
  const check = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (roleOf(request, keys) !== 'ops') throw new HttpError('forbidden', 'this action needs the ops key');
  };
  // The OpenAPI description reads the mark: this route's security is the ops key.
  return Object.assign(check, { [opsOnlyMark]: true });
}
