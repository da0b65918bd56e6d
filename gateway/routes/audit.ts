import type { FastifyInstance } from 'fastify';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import { HttpError } from '../errors.js';
import { errorResponse } from '../schemas.js';
import { instantOf, limitOf, paged, pageQuery } from './read-models.js';

/**
 * `GET /ops/audit` (ops key): who did what, oldest first. Each item is a run of events one
 * cause produced on one actor: who (a key's fingerprint, `bank`, `system`), the request id,
 * the client's order id, when, and the events' types.
 */
export function auditRoutes(app: FastifyInstance, queries: ReadModelQueries): void {
  app.get<{ Querystring: { actor?: string; who?: string; from?: string; to?: string; cursor?: string; limit?: string } }>(
    '/ops/audit',
    {
      schema: {
        tags: ['ops'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actor: { type: 'string', minLength: 1, maxLength: 200 },
            who: { type: 'string', minLength: 1, maxLength: 80 },
            from: { type: 'string', maxLength: 40 },
            to: { type: 'string', maxLength: 40 },
            ...pageQuery,
          },
        },
        response: { '4xx': errorResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const fromMs = instantOf(q.from, 'from');
      const toMs = instantOf(q.to, 'to');
      if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new HttpError('invalid_field', 'from is after to', 'querystring/from');
      const filter = {
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.who !== undefined ? { who: q.who } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
      };
      const page = paged(() => queries.audit(filter, q.cursor, limitOf(q.limit)));
      return {
        items: page.items.map((row) => ({
          actor: row.actor_id,
          seq: Number(row.first_seq),
          count: Number(row.count),
          at: row.at === 0n ? null : new Date(Number(row.at)).toISOString(),
          who: row.who,
          requestId: row.request_id,
          orderId: row.order_id,
          events: String(row.events) === '' ? [] : String(row.events).split(','),
        })),
        nextCursor: page.nextCursor,
        asOfPosition: page.position,
      };
    },
  );
}
