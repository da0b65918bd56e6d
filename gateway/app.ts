import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { describeRoute, openapiTags, securitySchemes } from './openapi.js';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { AccessLog } from './access-log.js';
import secureJson from 'secure-json-parse';
import type { BankApi } from '../actors/bank/bank-api.js';
import type { ClockApi } from '../actors/clock/clock-service.js';
import type { LendingApi } from '../actors/lending/lending-api.js';
import type { FlowsApi } from '../actors/lending/flows-api.js';
import type { LedgerApi } from '../actors/ledger/ledger-api.js';
import { authHook, type ApiKeys } from './auth.js';
import { causeHook, requestIdOf } from './request-cause.js';
import { archiveRoutes } from './routes/archive.js';
import { auditRoutes } from './routes/audit.js';
import { errorHandler } from './error-handler.js';
import { HttpError } from './errors.js';
import { accountRoutes } from './routes/accounts.js';
import { bankCallbackRoutes, type CallbackOptions } from './routes/bank-callbacks.js';
import { bankRoutes } from './routes/bank.js';
import { clockRoutes } from './routes/clock.js';
import { investmentRoutes } from './routes/investments.js';
import { interestPoolRoutes } from './routes/interest-pools.js';
import { repaymentRoutes } from './routes/repayments.js';
import { loanRoutes } from './routes/loans.js';
import { opsRoutes, type OpsApi } from './routes/ops.js';
import { transferRoutes } from './routes/transfers.js';
import { conversionRoutes } from './routes/conversions.js';
import { amendmentRoutes } from './routes/amendments.js';
import { eodRoutes } from './routes/eod.js';
import { readModelRoutes } from './routes/read-models.js';
import { reconciliationRoutes } from './routes/reconciliations.js';
import type { EodService } from '../actors/eod/eod-service.js';
import type { ReconciliationService } from '../actors/reconciliation/reconciliation-service.js';
import type { ReadModelQueries } from '../persistence/projections/queries.js';
import type { ArchiveService } from '../actors/archive/archive-service.js';
import type { FxApi } from '../actors/fx/fx-service.js';
import type { AmendmentApi } from '../actors/ledger/amendment-service.js';
import type { ReadSide } from '../persistence/projections/read-side.js';
import { gatewayLimits } from './schemas.js';
import type { FundcoreMetrics } from './metrics/fundcore-metrics.js';
import { metricsRoutes } from './routes/metrics.js';
import { opsUiRoutes } from './routes/ops-ui.js';
import { opsViewRoutes, type OpsViewSources } from './routes/ops-views.js';
import { defaultRequestLimits, requestLimits, type RequestLimits } from './request-limits.js';

/** Lending (investments, loans, the bank depository, the business clock): embedded mode. */
export interface LendingGateway {
  readonly lending: LendingApi;
  /** Repayments, compensations, interest pools. */
  readonly flows: FlowsApi;
  readonly bank: BankApi;
  readonly clock: ClockApi;
  readonly callbacks: CallbackOptions;
}

/** Read models, end of day and reconciliation, over a read side (the node's log embedded, the cluster's stream on a cluster gateway). */
export interface RecordsGateway {
  readonly readSide: ReadSide;
  readonly queries: ReadModelQueries;
  readonly eod: EodService;
  readonly reconciliations: ReconciliationService;
  readonly archiving: ArchiveService;
}

/** The ledger is always served; lending and records only where a node serves them (the cluster gateway serves the ledger). */
export interface GatewayOptions {
  readonly ledger: LedgerApi;
  /** Conversions between currencies (where a node's actors are reached). */
  readonly fx?: FxApi;
  /** Order amendments (ops key). */
  readonly amendments?: AmendmentApi;
  readonly lending?: LendingGateway;
  readonly records?: RecordsGateway;
  readonly ops: OpsApi;
  /** Hot accounts and the latest reports for the ops page (embedded mode). */
  readonly opsViews?: OpsViewSources;
  /** Served at GET /ops/metrics; every request is timed. */
  readonly metrics: FundcoreMetrics;
  readonly keys: ApiKeys;
  /** Rate limits per key and load shedding; defaults where not given. */
  readonly requestLimits?: Partial<RequestLimits>;
  readonly logger?: FastifyServerOptions['logger'];
}

/**
 * The HTTP gateway: thin. It validates, authenticates, names commands and maps answers to
 * statuses; every decision is the ledger's.
 */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Per-request lines at debug level (gateway/access-log.ts).
    logController: new AccessLog(),
    // The client's X-Request-Id when it gives a usable one: its id in our logs and audit trail.
    genReqId: requestIdOf,
    bodyLimit: gatewayLimits.bodyLimitBytes,
    routerOptions: { maxParamLength: gatewayLimits.pathParamLengthMax },
    // The router's own refusals (a malformed URL, a parameter over the limit) leave in our error format too.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    return503OnClosing: true,
    // Unknown fields are refused, not dropped; a number is never coerced into an amount string.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });
  app.setErrorHandler(errorHandler);
  // An empty JSON body reads as null: routes whose body is optional (post, void, reverse)
  // take it; the others refuse it as empty_body. Prototype poisoning is refused as malformed.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, null);
    try {
      done(null, secureJson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(new HttpError('malformed_json', 'the body is not valid JSON'), undefined);
    }
  });
  app.setNotFoundHandler(async (request) => {
    throw new HttpError('route_not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'fundcore', version: '1', description: 'The money core of a P2P lending platform.' },
      components: { securitySchemes },
      tags: [...openapiTags],
    },
    transform: describeRoute,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  metricsRoutes(app, options.metrics);
  await requestLimits(app, { ...defaultRequestLimits, ...options.requestLimits });
  app.addHook('onRequest', authHook(options.keys));
  app.addHook('preHandler', causeHook());
  accountRoutes(app, options.ledger);
  transferRoutes(app, options.ledger);
  if (options.fx !== undefined) conversionRoutes(app, options.fx);
  if (options.amendments !== undefined) amendmentRoutes(app, options.amendments, options.keys);
  opsRoutes(app, options.ops);
  if (options.opsViews !== undefined) opsViewRoutes(app, options.opsViews);
  await opsUiRoutes(app);
  if (options.lending !== undefined) {
    const { lending, flows, bank, clock, callbacks } = options.lending;
    investmentRoutes(app, lending);
    // A pool's flows are read from the read models: served where they are.
    if (options.records !== undefined) interestPoolRoutes(app, flows, options.records);
    repaymentRoutes(app, flows, options.keys);
    loanRoutes(app, lending, options.keys, clock);
    bankRoutes(app, bank);
    await bankCallbackRoutes(app, bank, callbacks);
    clockRoutes(app, clock);
  }
  if (options.records !== undefined) {
    const { readSide, queries, eod, reconciliations, archiving } = options.records;
    await app.register(async (scope) => {
      // Read your writes: what was acknowledged before a query is in its answer. (A close
      // catches up itself, all the way: it is not made to wait twice.)
      scope.addHook('preHandler', async (request) => {
        if (request.method === 'GET') await readSide.catchUp();
      });
      readModelRoutes(scope, queries);
      auditRoutes(scope, queries);
      archiveRoutes(scope, archiving);
      eodRoutes(scope, eod, queries, options.keys);
    });
    reconciliationRoutes(app, reconciliations, options.keys);
  }
  return app;
}

