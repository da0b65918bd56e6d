import type { FastifyInstance, FastifyReply } from 'fastify';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { formatAmount } from '../../core/money/amount.js';
import { isCurrency } from '../../core/money/currency.js';
import type { DataSource } from '../../persistence/archive/archived-reads.js';
import { InvalidCursorError, pageLimitMax, type Page, type ReadModelQueries } from '../../persistence/projections/queries.js';
import { HttpError } from '../errors.js';
import { errorResponse, idParams } from '../schemas.js';

type Row = Record<string, unknown>;

export const pageQuery = {
  cursor: { type: 'string', maxLength: 200 },
  limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
} as const;

const instant = { type: 'string', maxLength: 40 } as const;
const day = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;

export function limitOf(limit: string | undefined): number {
  const n = limit === undefined ? 100 : Number(limit);
  if (n < 1 || n > pageLimitMax) throw new HttpError('invalid_field', `limit is 1..${pageLimitMax}`, 'querystring/limit');
  return n;
}

export function instantOf(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\d/.test(text)) throw new HttpError('invalid_field', `${field} is an ISO 8601 instant`, `querystring/${field}`);
  return ms;
}

function dayOf(text: string | undefined, field: string): string | undefined {
  if (text !== undefined && !isBusinessDate(text)) throw new HttpError('invalid_field', `${field} is a date YYYY-MM-DD`, `querystring/${field}`);
  return text;
}

/** Read models answer in minor units with a currency; the wire wants decimal strings. */
export function money(row: Row, ...fields: string[]): Row {
  const currency = isCurrency(row.currency) ? row.currency : 'CNY';
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? (fields.includes(key) ? formatAmount(value, currency) : Number(value)) : value;
  return out;
}

/** Where an answer came from, in a header only: the body is the same whether its rows are hot or archived. */
export const dataSourceHeader = 'fundcore-data-source';

function saySources(reply: FastifyReply, sources: readonly DataSource[]): void {
  reply.header(dataSourceHeader, sources.join(', '));
}

function pageView(page: Page<Row>, view: (row: Row) => Row) {
  return { items: page.items.map(view), nextCursor: page.nextCursor, asOfPosition: page.position };
}

export function paged<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new HttpError('invalid_cursor', error.message, 'querystring/cursor');
    throw error;
  }
}

/** The schema of a paged list query: its filters, a cursor and a limit, nothing else. */
const listQuery = (filters: Record<string, object>) => ({
  tags: ['queries'],
  querystring: { type: 'object', additionalProperties: false, properties: { ...filters, ...pageQuery } },
  response: { '4xx': errorResponse },
});

/** The filters given (a query string leaves the others undefined). */
function given<T extends Record<string, string | undefined>>(filters: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: string };
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export function readModelRoutes(app: FastifyInstance, queries: ReadModelQueries): void {
  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string; fromDay?: string; toDay?: string; cursor?: string; limit?: string } }>(
    '/v1/accounts/:id/cashflow',
    {
      schema: {
        tags: ['queries'],
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { from: instant, to: instant, fromDay: day, toDay: day, ...pageQuery } },
        response: { '4xx': errorResponse },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (!queries.accountExists(request.params.id)) throw new HttpError('account_not_found', `no account ${request.params.id}`);
      const filter = {
        ...(instantOf(q.from, 'from') !== undefined ? { fromMs: instantOf(q.from, 'from') as number } : {}),
        ...(instantOf(q.to, 'to') !== undefined ? { toMs: instantOf(q.to, 'to') as number } : {}),
        ...(dayOf(q.fromDay, 'fromDay') !== undefined ? { fromDay: q.fromDay as string } : {}),
        ...(dayOf(q.toDay, 'toDay') !== undefined ? { toDay: q.toDay as string } : {}),
      };
      if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs > filter.toMs) throw new HttpError('invalid_field', 'from is after to', 'querystring/from');
      if (filter.fromDay !== undefined && filter.toDay !== undefined && filter.fromDay > filter.toDay) throw new HttpError('invalid_field', 'fromDay is after toDay', 'querystring/fromDay');
      const page = paged(() => queries.cashflow(request.params.id, filter, q.cursor, limitOf(q.limit)));
      saySources(reply, page.sources);
      return pageView(page, (row) => ({ ...money(row, 'amount'), at: iso(row.at) }));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { at: string } }>(
    '/v1/accounts/:id/balance',
    {
      schema: {
        tags: ['queries'],
        params: idParams,
        querystring: { type: 'object', required: ['at'], additionalProperties: false, properties: { at: instant } },
        response: { '4xx': errorResponse },
      },
    },
    async (request, reply) => {
      if (!queries.accountExists(request.params.id)) throw new HttpError('account_not_found', `no account ${request.params.id}`);
      const at = instantOf(request.query.at, 'at') as number;
      const { position, balances, sources } = queries.balanceAt(request.params.id, at);
      saySources(reply, sources);
      return {
        account: request.params.id,
        at: new Date(at).toISOString(),
        balances: balances.map((b) => ({ currency: b.currency, balance: formatAmount(b.balance, isCurrency(b.currency) ? b.currency : 'CNY') })),
        asOfPosition: position,
      };
    },
  );

  app.get<{ Querystring: { orderNo?: string; account?: string; status?: string; cursor?: string; limit?: string } }>(
    '/v1/transfers',
    {
      schema: listQuery({
        orderNo: { type: 'string', maxLength: 80 },
        account: { type: 'string', maxLength: 64 },
        status: { type: 'string', enum: ['pending', 'posted', 'voided', 'reversed', 'returned'] },
      }),
    },
    async (request, reply) => {
      const { orderNo, account, status, cursor, limit } = request.query;
      const page = paged(() => queries.transfers(given({ orderNo, account, status }), cursor, limitOf(limit)));
      saySources(reply, page.sources);
      return pageView(page, (row) => ({
        ...money(row, 'amount', 'posted_amount'),
        status: row.reversed_by !== null ? 'reversed' : row.status,
        pending: row.pending === 1n,
        created_at: iso(row.created_at),
        updated_at: iso(row.updated_at),
        credited_at: iso(row.credited_at),
        creditInFlight: row.status === 'posted' && row.credited_at === null,
      }));
    },
  );

  app.get<{ Querystring: { investor?: string; loan?: string; investment?: string; status?: string; cursor?: string; limit?: string } }>(
    '/v1/claims',
    {
      schema: listQuery({
        investor: { type: 'string', maxLength: 64 },
        loan: { type: 'string', maxLength: 64 },
        investment: { type: 'string', maxLength: 64 },
        status: { type: 'string', enum: ['pre_processing', 'matching', 'matched', 'failed', 'finished'] },
      }),
    },
    async (request, reply) => {
      const { investor, loan, investment, status, cursor, limit } = request.query;
      const filter = given({ investor, loan, investment, status });
      const page = paged(() => queries.claims(filter, cursor, limitOf(limit)));
      saySources(reply, page.sources);
      return pageView(page, claimView);
    },
  );

  app.get<{ Params: { orderNo: string } }>(
    '/v1/claims/:orderNo/lineage',
    {
      schema: {
        tags: ['queries'],
        params: { type: 'object', required: ['orderNo'], additionalProperties: false, properties: { orderNo: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { '4xx': errorResponse },
      },
    },
    async (request, reply) => {
      const lineage = queries.lineage(request.params.orderNo);
      if (lineage === null) throw new HttpError('claim_not_found', `no claim ${request.params.orderNo}`);
      saySources(reply, lineage.sources);
      return { orderNo: request.params.orderNo, chain: lineage.chain.map(claimView) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { from: string; to: string } }>(
    '/v1/investors/:id/statement',
    {
      schema: {
        tags: ['queries'],
        params: idParams,
        querystring: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: day, to: day } },
        response: { '4xx': errorResponse },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      dayOf(from, 'from');
      dayOf(to, 'to');
      if (from > to) throw new HttpError('invalid_field', 'from is after to', 'querystring/from');
      if (!queries.accountExists(request.params.id)) throw new HttpError('account_not_found', `no account ${request.params.id}`);
      const statement = queries.statement(request.params.id, from, to);
      saySources(reply, statement.sources);
      const cny = (minor: unknown) => formatAmount(minor as bigint, 'CNY');
      return {
        investor: request.params.id,
        from,
        to,
        opening: cny(statement.opening),
        closing: cny(statement.closing),
        movements: (statement.movements as Row[]).map((row) => ({ ...money(row, 'amount'), at: iso(row.at) })),
        investments: (statement.investments as Row[]).map((row) => money({ ...row, currency: 'CNY' }, 'amount')),
        claims: (statement.claims as Row[]).map(claimView),
        interestPool: interestPoolView(statement.interestPool as Row),
        asOfPosition: statement.position,
      };
    },
  );
}

function claimView(row: Row) {
  return { ...money({ ...row, currency: 'CNY' }, 'amount', 'principal_outstanding'), transferred: row.transferred === 1n };
}

function interestPoolView(pool: Row) {
  const cny = (minor: unknown) => formatAmount(minor as bigint, 'CNY');
  const flows = (pool.flows as Row[]).map((flow) => ({ ...money({ ...flow, currency: 'CNY' }, 'amount', 'balance_after'), code: Number(flow.code), at: iso(flow.at) }));
  return { opening: cny(pool.opening), closing: cny(pool.closing), flows };
}
