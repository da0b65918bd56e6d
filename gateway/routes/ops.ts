import type { FastifyInstance } from 'fastify';
import type { ActorInspection, ActorListing, ActorListQuery } from '../../actors/runtime/actor-system.js';
import type { NodeHealth } from '../../actors/node.js';
import { HttpError } from '../errors.js';
import { errorResponse } from '../schemas.js';
import { toJsonSafe } from '../views.js';

/** What operators may see of the node. */
export interface OpsApi {
  /** In cluster mode the gateway asks the node that owns the actor: hence the promise. */
  inspectActor(actorId: string): ActorInspection | undefined | Promise<ActorInspection | undefined>;
  health(): NodeHealth | object;
  /** A page of actors, live and passivated, in id order (in a cluster: every node's, merged). */
  listActors?(query: ActorListQuery): ActorListing[] | Promise<ActorListing[]>;
  /** The live actors with the deepest mailboxes. */
  busiestActors?(count: number, type?: string): ActorListing[] | Promise<ActorListing[]>;
}

/** Rows of one page of GET /ops/actors, and the most `busiest` may ask for. */
export const opsLimits = { actorsPageMax: 500, actorsPageDefault: 100, busiestMax: 500 } as const;

const actorIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 3, maxLength: 200 } },
} as const;

const actorListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'actor type: acct, loan, inv, pool, bank, …' },
    busiest: { type: 'string', pattern: '^[0-9]{1,3}$', description: 'the N live actors with the deepest mailboxes (no paging)' },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
    cursor: { type: 'string', minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' },
  },
} as const;

interface ActorListParams {
  type?: string;
  busiest?: string;
  limit?: string;
  cursor?: string;
}

function countOf(text: string | undefined, fallback: number, max: number, field: string): number {
  const n = text === undefined ? fallback : Number(text);
  if (n < 1 || n > max) throw new HttpError('invalid_field', `${field} is 1..${max}`, `querystring/${field}`);
  return n;
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function listingView(row: ActorListing) {
  return { ...row, lastActivityAt: isoOrNull(row.lastActivityAt) };
}

export function opsRoutes(app: FastifyInstance, ops: OpsApi): void {
  app.get('/health', { schema: { tags: ['ops'] } }, async () => ops.health());

  const { listActors, busiestActors } = ops;
  if (listActors !== undefined && busiestActors !== undefined) {
    app.get<{ Querystring: ActorListParams }>(
      '/ops/actors',
      { schema: { tags: ['ops'], querystring: actorListQuery, response: { '4xx': errorResponse } } },
      async (request) => {
        const { type, busiest, limit, cursor } = request.query;
        if (busiest !== undefined) {
          if (cursor !== undefined) throw new HttpError('invalid_field', 'busiest is one list, not paged: no cursor', 'querystring/cursor');
          const count = countOf(busiest, 10, opsLimits.busiestMax, 'busiest');
          return { items: (await busiestActors.call(ops, count, type)).map(listingView), nextCursor: null };
        }
        const pageSize = countOf(limit, opsLimits.actorsPageDefault, opsLimits.actorsPageMax, 'limit');
        const rows = await listActors.call(ops, { limit: pageSize, ...(type !== undefined ? { type } : {}), ...(cursor !== undefined ? { after: cursor } : {}) });
        const last = rows[rows.length - 1];
        return { items: rows.map(listingView), nextCursor: rows.length === pageSize && last !== undefined ? last.id : null };
      },
    );
  }

  app.get<{ Params: { id: string } }>(
    '/ops/actors/:id',
    { schema: { tags: ['ops'], params: actorIdParams, response: { '4xx': errorResponse } } },
    async (request) => {
      const inspection = await ops.inspectActor(request.params.id);
      if (inspection === undefined) throw new HttpError('actor_not_found', `no actor ${request.params.id}`);
      return toJsonSafe({ ...inspection, wakeAt: isoOrNull(inspection.wakeAt), lastActivityAt: isoOrNull(inspection.lastActivityAt) });
    },
  );
}
