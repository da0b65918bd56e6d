import type { FastifyInstance } from 'fastify';
import type { AccountDirectoryEntry } from '../../core/ledger/account.js';
import type { LedgerApi } from '../../actors/ledger/ledger-api.js';
import type { EodReport } from '../../core/eod/eod.js';
import type { ReconciliationService } from '../../actors/reconciliation/reconciliation-service.js';
import type { JournalReader } from '../../persistence/journal.js';
import { errorResponse } from '../schemas.js';
import { accountView } from '../views.js';
import { eodView } from './eod.js';

/** What the ops page reads of one embedded node beyond the actors: hot accounts and the latest reports. */
export interface OpsViewSources {
  readonly journal: JournalReader;
  /** The last closed day's report, from the read model (EodService). */
  readonly eod: { latestReport(): Promise<EodReport | null> };
  readonly ledger: LedgerApi;
  readonly reconciliations: ReconciliationService;
}

export const opsViewLimits = {
  /** Directory entries looked at for hot accounts (a node with more accounts shows the hot ones among the first). */
  directoryScanMax: 100_000,
  hotAccountsMax: 50,
  /** Log entries looked back through for the latest reconciliation. */
  recentLogEntriesMax: 20_000,
} as const;

function hotAccountIds(journal: JournalReader, count: number): string[] {
  const ids: string[] = [];
  let scanned = 0;
  for (const { value } of journal.scanIndex('directory')) {
    if (++scanned > opsViewLimits.directoryScanMax || ids.length >= count) break;
    const entry = value as AccountDirectoryEntry;
    if (entry.subAccounts > 1) ids.push(entry.id);
  }
  return ids;
}

function latestReconciliationId(journal: JournalReader): string | null {
  const last = journal.lastLogPosition();
  let id: string | null = null;
  for (const entry of journal.readLog(Math.max(1, last - opsViewLimits.recentLogEntriesMax + 1))) {
    if (entry.actorId.startsWith('recon:')) id = entry.actorId.slice('recon:'.length);
  }
  return id;
}

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
      const ids = hotAccountIds(sources.journal, Number(request.query.limit ?? 20));
      const accounts = await Promise.all(ids.map((id) => sources.ledger.getAccount(id)));
      return { items: accounts.flatMap((reply) => (reply.ok ? [accountView(reply.value)] : [])) };
    },
  );

  app.get('/ops/reports/latest', { schema: { tags: ['ops'] } }, async () => {
    const eod = await sources.eod.latestReport();
    const reconciliationId = latestReconciliationId(sources.journal);
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
