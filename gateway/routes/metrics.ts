import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FundcoreMetrics } from '../metrics/fundcore-metrics.js';

const timers = new WeakMap<FastifyRequest, (method: string, route: string, status: number) => void>();

/** The route a request matched (its pattern, so labels stay few), or `unmatched`. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Times every request, and serves GET /ops/metrics (Prometheus text; `?format=json` for the ops page). */
export function metricsRoutes(app: FastifyInstance, metrics: FundcoreMetrics): void {
  app.addHook('onRequest', async (request) => {
    timers.set(request, metrics.httpRequestStarted());
  });
  app.addHook('onResponse', async (request, reply) => {
    timers.get(request)?.(request.method, routeOf(request), reply.statusCode);
  });

  app.get<{ Querystring: { format?: 'json' } }>(
    '/ops/metrics',
    {
      schema: {
        tags: ['ops'],
        querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json'] } } },
      },
    },
    async (request, reply) => {
      if (request.query.format === 'json') return metrics.registry.getMetricsAsJSON();
      void reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
