import { bearerDigest } from './key-digests.js';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bankCallbackPath, isOpsPagePath } from './auth.js';
import { HttpError } from './errors.js';

/** Limits of the gateway per API key and overall. Checked at start-up. */
export interface RequestLimits {
  /** Requests one API key may make per window; beyond, 429 rate_limited with Retry-After. */
  readonly requestsPerKeyMax: number;
  readonly rateWindowMs: number;
  /** Requests the gateway serves at once (every key); beyond, 503 overloaded. */
  readonly requestsInFlightMax: number;
  /** Keys (API keys and, without one, addresses) whose windows are kept; the least recent beyond it are forgotten. */
  readonly rateKeysTrackedMax: number;
}

/**
 * By default one key may take about what one node serves over HTTP (measured ~4,000
 * transfers/s): the default never holds a lone client below the node's capacity. Where
 * several clients share a node, set FUNDCORE_RATE_LIMIT_PER_SECOND to one key's share.
 */
export const defaultRequestLimits: RequestLimits = {
  requestsPerKeyMax: 5_000,
  rateWindowMs: 1_000,
  requestsInFlightMax: 2_048,
  rateKeysTrackedMax: 10_000,
};

export function checkRequestLimits(limits: RequestLimits): void {
  const bad = Object.entries(limits).filter(([, value]) => !(Number.isInteger(value) && value > 0));
  if (bad.length > 0) throw new RangeError(`request limits must be positive integers: ${bad.map(([k]) => k).join(', ')}`);
}

/** Not limited: liveness, the docs, the bank's signed callbacks (it retries until acknowledged), the ops page's static files. */
function isExempt(path: string): boolean {
  return path === '/health' || path.startsWith('/docs') || path === bankCallbackPath || isOpsPagePath(path);
}

/** A refusal under a flood is an expected answer, not a bug: its stack is never read, and capturing it cost ~5 % of the CPU answering ~4,000 429s/s (profiled). */
function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '';

/** Requests are counted per key: a digest of the bearer token (never the token itself), or the address without one. */
export function rateKeyOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return `key:${bearerDigest(header.slice(7).trim()).toString('hex', 0, 16)}`;
  return `ip:${request.ip}`;
}

/**
 * Per-key rate limits (@fastify/rate-limit: a fixed window per key, 429 `rate_limited`
 * with Retry-After) and load shedding: beyond `requestsInFlightMax` requests at once the
 * gateway answers 503 `overloaded` at once instead of queueing (ops routes and /health are
 * never shed, so operators see a flood). Together with the actors' mailbox limits
 * (`mailbox_full`) and the relay's backlog limit, a flood costs the node little memory.
 */
export async function requestLimits(app: FastifyInstance, limits: RequestLimits): Promise<void> {
  checkRequestLimits(limits);
  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  const done = (request: FastifyRequest) => {
    if (counted.delete(request)) inFlight--;
  };
  // Callback hooks, not async ones: a request then costs no promise per hook.
  app.addHook('onRequest', (request, _reply, next) => {
    const path = pathOf(request);
    if (path === '/health' || path.startsWith('/ops')) return next();
    if (inFlight >= limits.requestsInFlightMax) return next(withoutStack(() => new HttpError('overloaded', `the gateway serves ${limits.requestsInFlightMax} requests at once; retry shortly`)));
    inFlight++;
    counted.add(request);
    next();
  });
  app.addHook('onResponse', (request, _reply, next) => {
    done(request);
    next();
  });
  app.addHook('onRequestAbort', (request, next) => {
    done(request);
    next();
  });

  await app.register(rateLimit, {
    global: true,
    max: limits.requestsPerKeyMax,
    timeWindow: limits.rateWindowMs,
    cache: limits.rateKeysTrackedMax,
    keyGenerator: rateKeyOf,
    allowList: (request) => isExempt(pathOf(request)),
    errorResponseBuilder: (_request, context) => withoutStack(() => new HttpError('rate_limited', `this key may make ${context.max} requests per ${limits.rateWindowMs} ms; retry in ${context.after}`)),
  });
}
