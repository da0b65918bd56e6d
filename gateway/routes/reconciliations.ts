import type { FastifyInstance } from 'fastify';
import { formatAmountAtScale } from '../../core/money/amount.js';
import { minorUnitExponentOf } from '../../core/money/iso4217.js';
import type { ReportedEntry, ReportedFinding, ReportedStatement } from '../../core/reconciliation/report.js';
import type { BalanceDrift } from '../../core/reconciliation/match.js';
import type { Reconciliation, ReconciliationService, StatementRequestGate } from '../../actors/reconciliation/reconciliation-service.js';
import type { ReportPart } from '../../actors/reconciliation/report-chunks.js';
import { statementRequestSchema, type RequestProblem } from '../../actors/reconciliation/statement-request.js';
import { decodeCursor, encodeCursor } from '../../persistence/projections/queries.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal, validationError } from '../error-handler.js';
import { HttpError } from '../errors.js';
import { commandId } from '../idempotency.js';
import { errorResponse, idParams } from '../schemas.js';
import { limitOf, pageQuery } from './read-models.js';

/** Statements are text; a month of a busy account's camt.053 is a few MiB. */
const statementBodyLimitBytes = 16 * 1024 * 1024;

const repairBody = {
  type: 'object',
  required: ['finding', 'action'],
  additionalProperties: false,
  properties: {
    finding: { type: 'integer', minimum: 0 },
    action: { type: 'string', enum: ['supplement', 'reverse'] },
    account: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' },
  },
} as const;

const jsonSafe = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

/** Minor units as a decimal string in the currency's ISO 4217 exponent (JPY 0, CNY 2, KWD 3). */
const decimalOf = (minor: bigint, currency: string) => formatAmountAtScale(minor, minorUnitExponentOf(currency) ?? 2);

function entryView(entry: ReportedEntry) {
  const transactions = entry.transactions.map((tx) => ({ reference: tx.reference, instruction: tx.instruction, remittance: tx.remittance, amount: tx.amountMinor === null ? null : decimalOf(tx.amountMinor, entry.currency) }));
  // Its one bigint as a string, by hand: a page holds 500 entries, a JSON round trip each cost more than the rest of it.
  return { ...entry, amountMinor: entry.amountMinor.toString(), amount: decimalOf(entry.amountMinor, entry.currency), transactions };
}

/** Items of each list in a report's answer; the rest are read in pages (…/statements, …/findings). */
const firstPageItemsMax = 100;

type RepairsOf = ReadonlyMap<number, unknown>;

function statementView(statement: ReportedStatement) {
  return jsonSafe(statement);
}

function findingView(finding: ReportedFinding, repairs: RepairsOf) {
  return {
    index: finding.index,
    kind: finding.kind,
    rule: finding.rule,
    entry: finding.entry === null ? null : entryView(finding.entry),
    orders: finding.orders.map((order) => ({ key: order.key, orderNo: order.orderNo, account: order.account, amount: decimalOf(order.amountMinor, order.currency), currency: order.currency, direction: order.direction, date: order.date, status: order.status })),
    drift:
      finding.drift === null
        ? null
        : driftView(finding.drift),
    repair: repairs.get(finding.index) ?? null,
  };
}

/** A drift in its statement's currency (CNY in a report made before drifts had one). */
function driftView(drift: BalanceDrift) {
  const currency = drift.currency ?? 'CNY';
  return { account: drift.account, date: drift.date, currency, statement: decimalOf(drift.statementMinor, currency), expected: decimalOf(drift.expectedMinor, currency), difference: decimalOf(drift.differenceMinor, currency) };
}

/** Opaque: the list and the index of the next item. */
const cursorOf = (part: ReportPart, next: number | null) => (next === null ? null : encodeCursor([part, next]));

function indexOf(part: ReportPart, cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const key = decodeCursor(cursor);
  const [named, index] = key ?? [];
  if (key?.length !== 2 || named !== part || typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) throw new HttpError('invalid_cursor', 'the cursor is not one this query gave', 'querystring/cursor');
  return index;
}

/** A report: its header and the first page of each list, with where the next pages start. */
export function reconciliationView(reconciliations: ReconciliationService, { header, state }: Reconciliation) {
  const statements = reconciliations.statements(header.id, state, 0, firstPageItemsMax);
  const findings = reconciliations.findings(header.id, state, 0, firstPageItemsMax);
  return {
    id: header.id,
    format: header.format,
    trusted: header.trusted,
    summary: header.summary,
    statementCount: header.statementCount,
    findingCount: header.findingCount,
    statements: statements.items.map(statementView),
    statementsNextCursor: cursorOf('statements', statements.next),
    findings: findings.items.map((finding) => findingView(finding, state.repairs)),
    findingsNextCursor: cursorOf('findings', findings.next),
    createdAt: new Date(header.createdAt).toISOString(),
  };
}

/** A body that is not a statement request, refused as the gateway refuses any body (error-handler.ts). */
function refusedBody(problem: RequestProblem): never {
  if (problem.kind === 'malformed') throw new HttpError('malformed_json', 'the body is not valid JSON');
  if (problem.kind === 'empty') throw new HttpError('empty_body', 'this route needs a JSON body');
  throw validationError(problem.issue ?? undefined, 'body');
}

/**
 * POST /v1/reconciliations takes its body as bytes (its own JSON parser, in a scope of its
 * own): the statement worker reads and checks them (statement-request.ts), so the node's
 * thread never holds a 15 MiB statement as a string. The schema is still the route's, for
 * the OpenAPI description; the gateway's validator is not run on bytes.
 */
function statementRoute(app: FastifyInstance, reconciliations: ReconciliationService, keys: ApiKeys): void {
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: statementBodyLimitBytes }, (_request, body, done) => done(null, body));
    scope.post(
      '/v1/reconciliations',
      {
        bodyLimit: statementBodyLimitBytes,
        preHandler: requireOps(keys),
        schema: { tags: ['reconciliation'], body: statementRequestSchema, response: { '4xx': errorResponse } },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const gate: StatementRequestGate = { idOf: (fields) => commandId(request, fields.id), refuse: refusedBody };
        const body = request.body as Buffer | undefined;
        if (body === undefined || body.length === 0) refusedBody({ kind: 'empty' });
        const reconciled = await reconciliations.reconcile(body, gate);
        if (!reconciled.ok) throw refusal(reconciled.code, reconciled.detail);
        return reply.status(201).send(reconciliationView(reconciliations, reconciled.value));
      },
    );
  });
}

export function reconciliationRoutes(app: FastifyInstance, reconciliations: ReconciliationService, keys: ApiKeys): void {
  statementRoute(app, reconciliations, keys);

  const found = async (id: string): Promise<Reconciliation> => {
    const reconciliation = await reconciliations.get(id);
    if (!reconciliation.ok) throw refusal(reconciliation.code, reconciliation.detail);
    return reconciliation.value;
  };

  app.get<{ Params: { id: string } }>('/v1/reconciliations/:id', { preHandler: requireOps(keys), schema: { tags: ['reconciliation'], params: idParams, response: { '4xx': errorResponse } } }, async (request) =>
    reconciliationView(reconciliations, await found(request.params.id)),
  );

  const pageSchema = { tags: ['reconciliation'], params: idParams, querystring: { type: 'object', additionalProperties: false, properties: pageQuery }, response: { '4xx': errorResponse } };

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit?: string } }>('/v1/reconciliations/:id/statements', { preHandler: requireOps(keys), schema: pageSchema }, async (request) => {
    const from = indexOf('statements', request.query.cursor);
    const limit = limitOf(request.query.limit);
    const { header, state } = await found(request.params.id);
    const page = reconciliations.statements(header.id, state, from, limit);
    return { items: page.items.map(statementView), nextCursor: cursorOf('statements', page.next) };
  });

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit?: string } }>('/v1/reconciliations/:id/findings', { preHandler: requireOps(keys), schema: pageSchema }, async (request) => {
    const from = indexOf('findings', request.query.cursor);
    const limit = limitOf(request.query.limit);
    const { header, state } = await found(request.params.id);
    const page = reconciliations.findings(header.id, state, from, limit);
    return { items: page.items.map((finding) => findingView(finding, state.repairs)), nextCursor: cursorOf('findings', page.next) };
  });

  app.post<{ Params: { id: string }; Body: { finding: number; action: 'supplement' | 'reverse'; account?: string } }>(
    '/v1/reconciliations/:id/repairs',
    { preHandler: requireOps(keys), schema: { tags: ['reconciliation'], params: idParams, body: repairBody, response: { '4xx': errorResponse } } },
    async (request, reply) => {
      const { finding, action, account } = request.body;
      const repaired = await reconciliations.repair(request.params.id, { finding, action, ...(account !== undefined ? { account } : {}) });
      if (!repaired.ok) throw refusal(repaired.code, repaired.detail);
      return reply.status(201).send({ ...repaired.value, at: new Date(repaired.value.at).toISOString() });
    },
  );
}
