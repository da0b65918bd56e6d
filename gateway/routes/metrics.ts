import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FundcoreMetrics } from '../metrics/fundcore-metrics.js';

/** The route a request matched (its pattern, so labels stay few), or `unmatched`. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Times every request, and serves GET /ops/metrics (Prometheus text; `?format=json` for the ops page). */
export function metricsRoutes(app: FastifyInstance, metrics: FundcoreMetrics): void {
  // Fastify times every request itself (reply.elapsedTime); a callback hook, not an async
  // one, so answering costs no promise.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpAnswered(request.method, routeOf(request), reply.statusCode, reply.elapsedTime);
    done();
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
