import type { FastifySchema, RouteOptions } from 'fastify';
import { areaDescriptions, routeAreas, routeSummaries } from './openapi-routes.js';
import { errorResponse } from './schemas.js';

/** Marks a preHandler that asks for the ops key on a /v1 route, so the description can say so. */
export const opsOnlyMark = Symbol('fundcore.opsOnly');

/** Routes that need no key: health, the bank's signed callbacks, the ops page's static files, the docs. */
const publicPaths = [/^\/health$/, /^\/v1\/bank\/callbacks$/, /^\/ops\/ui(\/|$)/, /^\/docs(\/|$)/];

export const securitySchemes = {
  apiKey: { type: 'http', scheme: 'bearer', description: 'A client key (FUNDCORE_API_KEY or one of FUNDCORE_API_KEYS)' },
  opsKey: { type: 'http', scheme: 'bearer', description: 'The ops key (FUNDCORE_OPS_KEY); it is accepted on client routes too' },
} as const;

export const openapiTags = areaDescriptions;

type Security = readonly Record<string, readonly string[]>[];

function needsOps(route: RouteOptions | undefined): boolean {
  const handlers = route?.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  return handlers.some((handler) => (handler as unknown as Record<symbol, unknown>)[opsOnlyMark] === true);
}

export function securityOf(url: string, route?: RouteOptions): Security {
  if (publicPaths.some((pattern) => pattern.test(url))) return [];
  if (url.startsWith('/ops') || needsOps(route)) return [{ opsKey: [] }];
  return [{ apiKey: [] }, { opsKey: [] }];
}

function areaOf(method: string, url: string): string {
  return routeAreas.find(([pattern]) => pattern.test(`${method} ${url}`))?.[1] ?? 'other';
}

/** Where a route's own schema says nothing of its success: a JSON object (docs/api.md describes it). */
const successBody = { description: 'Success: see docs/api.md', type: 'object', additionalProperties: true };

const errorBody = { ...errorResponse, description: 'A refusal: a stable snake_case code (see docs/errors.md) and a message', required: ['error'] };
const overloadBody = { ...errorResponse, description: 'Overloaded (mailbox_full, overloaded, ask_timeout, journal_failed): retry with the same id' };

/**
 * @fastify/swagger's transform: the description of one route, without touching the schemas Fastify validates
 * and serializes with — a summary, its area, who may call it, and the error body on every 4xx and 503.
 */
export function describeRoute({ schema, url, route }: { schema: FastifySchema | undefined; url: string; route?: RouteOptions }): { schema: FastifySchema; url: string } {
  const method = String(Array.isArray(route?.method) ? route?.method[0] : (route?.method ?? 'GET')).toUpperCase();
  const own = (schema ?? {}) as Record<string, unknown>;
  const response = { ...((own.response as Record<string, unknown> | undefined) ?? {}) };
  const clientErrors = Object.keys(response).find((status) => status.toLowerCase() === '4xx') ?? '4xx';
  response[clientErrors] = { ...((response[clientErrors] as object | undefined) ?? {}), ...errorBody };
  response['503'] = overloadBody;
  if (!Object.keys(response).some((status) => status.startsWith('2'))) response['2xx'] = successBody;
  const summary = (own.summary as string | undefined) ?? routeSummaries[`${method} ${url}`] ?? `${method} ${url}`;
  return { url, schema: { ...own, summary, tags: [areaOf(method, url)], security: securityOf(url, route), response } };
}
