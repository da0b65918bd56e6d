import type { FastifyInstance } from 'fastify';
import { formatAmountAtScale } from '../../core/money/amount.js';
import { minorUnitExponentOf } from '../../core/money/iso4217.js';
import type { ReconciliationReport, ReportedEntry } from '../../core/reconciliation/report.js';
import type { ReconciliationService } from '../../actors/reconciliation/reconciliation-service.js';
import type { CsvOptions } from '../../actors/reconciliation/parse-csv.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal } from '../error-handler.js';
import { commandId } from '../idempotency.js';
import { errorResponse, idParams } from '../schemas.js';

/** Statements are text; a month of a busy account's camt.053 is a few MiB. */
const statementBodyLimitBytes = 16 * 1024 * 1024;

const columnMap = {
  type: 'object',
  required: ['reference', 'amount', 'date'],
  additionalProperties: false,
  properties: Object.fromEntries(['reference', 'instruction', 'account', 'amount', 'date', 'direction', 'currency', 'status', 'bankReference', 'description'].map((k) => [k, { type: 'string', minLength: 1, maxLength: 64 }])),
} as const;

const balance = { type: 'object', required: ['amount', 'date'], additionalProperties: false, properties: { amount: { type: 'string', maxLength: 40 }, date: { type: 'string', maxLength: 10 } } } as const;

const reconcileBody = {
  type: 'object',
  required: ['format', 'content'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' },
    format: { type: 'string', enum: ['auto', 'camt.053', 'camt.054', 'mt940', 'csv', 'bai2'] },
    content: { type: 'string', minLength: 1 },
    dateWindowDays: { type: 'integer', minimum: 0, maximum: 31 },
    csv: {
      type: 'object',
      required: ['columns', 'currency'],
      additionalProperties: false,
      properties: {
        columns: columnMap,
        currency: { type: 'string', maxLength: 3 },
        delimiter: { type: 'string', minLength: 1, maxLength: 1 },
        decimalSeparator: { type: 'string', enum: ['.', ','] },
        account: { type: 'string', maxLength: 64 },
        opening: balance,
        closing: balance,
      },
    },
  },
} as const;

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
  return { ...(jsonSafe(entry) as object), amount: decimalOf(entry.amountMinor, entry.currency), transactions };
}

export function reconciliationView(report: ReconciliationReport, repairs: ReadonlyMap<number, unknown>) {
  return {
    id: report.id,
    format: report.format,
    trusted: report.trusted,
    summary: report.summary,
    statements: jsonSafe(report.statements),
    findings: report.findings.map((finding) => ({
      index: finding.index,
      kind: finding.kind,
      rule: finding.rule,
      entry: finding.entry === null ? null : entryView(finding.entry),
      orders: finding.orders.map((order) => ({ key: order.key, orderNo: order.orderNo, account: order.account, amount: decimalOf(order.amountMinor, order.currency), currency: order.currency, direction: order.direction, date: order.date, status: order.status })),
      drift:
        finding.drift === null
          ? null
          : { account: finding.drift.account, date: finding.drift.date, statement: decimalOf(finding.drift.statementMinor, 'CNY'), expected: decimalOf(finding.drift.expectedMinor, 'CNY'), difference: decimalOf(finding.drift.differenceMinor, 'CNY') },
      repair: repairs.get(finding.index) ?? null,
    })),
    createdAt: new Date(report.createdAt).toISOString(),
  };
}

export function reconciliationRoutes(app: FastifyInstance, reconciliations: ReconciliationService, keys: ApiKeys): void {
  app.post<{ Body: { id?: string; format: 'auto' | 'camt.053' | 'camt.054' | 'mt940' | 'csv' | 'bai2'; content: string; dateWindowDays?: number; csv?: CsvOptions } }>(
    '/v1/reconciliations',
    { bodyLimit: statementBodyLimitBytes, preHandler: requireOps(keys), schema: { tags: ['reconciliation'], body: reconcileBody, response: { '4xx': errorResponse } } },
    async (request, reply) => {
      const { format, content, dateWindowDays, csv } = request.body;
      const id = commandId(request, request.body.id);
      const reconciled = await reconciliations.reconcile({ id, format, content, ...(csv !== undefined ? { csv } : {}), ...(dateWindowDays !== undefined ? { dateWindowDays } : {}) });
      if (!reconciled.ok) throw refusal(reconciled.code, reconciled.detail);
      const stored = await reconciliations.get(id);
      return reply.status(201).send(reconciliationView(reconciled.value, stored.ok ? stored.value.repairs : new Map()));
    },
  );

  app.get<{ Params: { id: string } }>('/v1/reconciliations/:id', { preHandler: requireOps(keys), schema: { tags: ['reconciliation'], params: idParams, response: { '4xx': errorResponse } } }, async (request) => {
    const found = await reconciliations.get(request.params.id);
    if (!found.ok) throw refusal(found.code, found.detail);
    const report = found.value.report;
    if (report === null) throw refusal('reconciliation_not_found', `no reconciliation ${request.params.id}`);
    return reconciliationView(report, found.value.repairs);
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
