import type { FastifyInstance } from 'fastify';
import type { LedgerApi } from '../../actors/ledger/ledger-api.js';
import type { EodService } from '../../actors/eod/eod-service.js';
import type { ReconciliationService } from '../../actors/reconciliation/reconciliation-service.js';
import { hotAccountIds, latestReconciliationId } from '../../persistence/projections/ops-queries.js';
import type { ReadSide } from '../../persistence/projections/read-side.js';
import { errorResponse } from '../schemas.js';
import { accountView } from '../views.js';
import { eodView } from './eod.js';

/** What the ops page reads beyond the actors: hot accounts and the latest reports, from the read models (the same in both modes). */
export interface OpsViewSources {
  readonly readSide: ReadSide;
  readonly ledger: LedgerApi;
  /** The last closed day's report, from the read model. */
  readonly eod: Pick<EodService, 'latestReport'>;
  readonly reconciliations: ReconciliationService;
}

export const opsViewLimits = {
  hotAccountsMax: 50,
} as const;

/** GET /ops/accounts/hot and GET /ops/reports/latest: what the ops page shows besides actors and metrics. */
export function opsViewRoutes(app: FastifyInstance, sources: OpsViewSources): void {
  app.get<{ Querystring: { limit?: string } }>(
    '/ops/accounts/hot',
    {
      schema: {
        tags: ['ops'],
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'string', pattern: '^([1-9]|[1-4][0-9]|50)$' } } },
        response: { '4xx': errorResponse },
      },
    },
    async (request) => {
      await sources.readSide.catchUp();
      const ids = hotAccountIds(sources.readSide.model.db, Number(request.query.limit ?? 20));
      const accounts = await Promise.all(ids.map((id) => sources.ledger.getAccount(id)));
      return { items: accounts.flatMap((reply) => (reply.ok ? [accountView(reply.value)] : [])) };
    },
  );

  app.get('/ops/reports/latest', { schema: { tags: ['ops'] } }, async () => {
    await sources.readSide.catchUp();
    const eod = await sources.eod.latestReport();
    const reconciliationId = latestReconciliationId(sources.readSide.model.db);
    const found = reconciliationId === null ? null : await sources.reconciliations.get(reconciliationId);
    const report = found !== null && found.ok ? found.value.header : null;
    return {
      eod: eod === null ? null : eodView(eod),
      reconciliation:
        report === null
          ? null
          : {
              id: report.id,
              format: report.format,
              trusted: report.trusted,
              statements: report.statementCount,
              findings: report.findingCount,
              summary: report.summary,
              createdAt: new Date(report.createdAt).toISOString(),
            },
    };
  });
}
