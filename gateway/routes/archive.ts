import type { FastifyInstance } from 'fastify';
import type { ArchiveService } from '../../actors/archive/archive-service.js';
import { errorResponse } from '../schemas.js';

/**
 * `POST /ops/archive` (ops key): archive now what has ended and is older than the
 * configured age, and remove what retention lets go — what the node's schedule does every
 * ARCHIVE_EVERY_MINUTES. Answers what moved (rows per table and month) and what went.
 */
export function archiveRoutes(app: FastifyInstance, archiving: ArchiveService): void {
  app.post(
    '/ops/archive',
    { schema: { tags: ['ops'], body: { type: 'object', additionalProperties: false, properties: {} }, response: { '4xx': errorResponse } } },
    async () => {
      const report = await archiving.runNow();
      return {
        today: report.today,
        archivedBefore: report.plan.endedBefore,
        moved: report.archived?.moved ?? [],
        removedBefore: report.plan.removeBefore?.day ?? null,
        removedMonths: report.removed?.months ?? [],
        removedAuditRows: report.removed?.auditRows ?? 0,
        config: archiving.config,
      };
    },
  );
}
