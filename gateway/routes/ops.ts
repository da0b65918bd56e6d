import type { FastifyInstance } from 'fastify';
import type { ActorInspection } from '../../actors/runtime/actor-system.js';
import type { NodeHealth } from '../../actors/node.js';
import { HttpError } from '../errors.js';
import { errorResponse } from '../schemas.js';
import { toJsonSafe } from '../views.js';

/** What operators may see of the node. */
export interface OpsApi {
  /** In cluster mode the gateway asks the node that owns the actor: hence the promise. */
  inspectActor(actorId: string): ActorInspection | undefined | Promise<ActorInspection | undefined>;
  health(): NodeHealth | object;
}

const actorIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 3, maxLength: 200 } },
} as const;

export function opsRoutes(app: FastifyInstance, ops: OpsApi): void {
  app.get('/health', { schema: { tags: ['ops'] } }, async () => ops.health());

  app.get<{ Params: { id: string } }>(
    '/ops/actors/:id',
    { schema: { tags: ['ops'], params: actorIdParams, response: { '4xx': errorResponse } } },
    async (request) => {
      const inspection = await ops.inspectActor(request.params.id);
      if (inspection === undefined) throw new HttpError('actor_not_found', `no actor ${request.params.id}`);
      return toJsonSafe({
        ...inspection,
        wakeAt: inspection.wakeAt === null ? null : new Date(inspection.wakeAt).toISOString(),
        lastActivityAt: inspection.lastActivityAt === null ? null : new Date(inspection.lastActivityAt).toISOString(),
      });
    },
  );
}
