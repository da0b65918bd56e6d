import type { FastifyInstance } from 'fastify';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import type { EodReport } from '../../core/eod/eod.js';
import { formatAmount } from '../../core/money/amount.js';
import { isCurrency } from '../../core/money/currency.js';
import type { EodService } from '../../actors/eod/eod-service.js';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal } from '../error-handler.js';
import { HttpError } from '../errors.js';
import { errorResponse } from '../schemas.js';
import { money } from './read-models.js';

const dateParams = { type: 'object', required: ['date'], additionalProperties: false, properties: { date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } } } as const;

const amountIn = (currency: string, minor: bigint) => formatAmount(minor, isCurrency(currency) ? currency : 'CNY');

export function eodView(report: EodReport) {
  return {
    date: report.date,
    from: report.from,
    cutPosition: report.cutPosition,
    chainHeads: report.chainHeads ?? [],
    balanced: report.balanced,
    trialBalance: report.trialBalance.map((line) => ({ currency: line.currency, debits: amountIn(line.currency, line.debits), credits: amountIn(line.currency, line.credits) })),
    accounts: report.accounts,
    balancesDigest: report.balancesDigest,
    inFlight: report.inFlight.map((line) => ({ currency: line.currency, amount: amountIn(line.currency, line.amount) })),
    sections: JSON.parse(JSON.stringify(report.sections, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown,
    closedAt: new Date(report.closedAt).toISOString(),
  };
}

function checkedDate(date: string): string {
  if (!isBusinessDate(date)) throw new HttpError('invalid_field', 'date is YYYY-MM-DD', 'params/date');
  return date;
}

export function eodRoutes(app: FastifyInstance, eod: EodService, queries: ReadModelQueries, keys: ApiKeys): void {
  app.post<{ Params: { date: string } }>(
    '/v1/eod/:date/close',
    { preHandler: requireOps(keys), schema: { tags: ['end of day'], params: dateParams, response: { '4xx': errorResponse } } },
    async (request) => {
      const closed = await eod.close(checkedDate(request.params.date));
      if (!closed.ok) throw refusal(closed.code, closed.detail);
      return eodView(closed.value);
    },
  );

  app.get<{ Params: { date: string } }>('/v1/eod/:date', { schema: { tags: ['end of day'], params: dateParams, response: { '4xx': errorResponse } } }, async (request) => {
    const report = eod.report(checkedDate(request.params.date));
    if (report === null) throw new HttpError('eod_day_not_closed', `${request.params.date} is not closed`);
    return eodView(report);
  });

  app.get<{ Params: { date: string }; Querystring: { cursor?: string; limit?: string } }>(
    '/v1/eod/:date/balances',
    {
      schema: {
        tags: ['end of day'],
        params: dateParams,
        querystring: { type: 'object', additionalProperties: false, properties: { cursor: { type: 'string', maxLength: 200 }, limit: { type: 'string', pattern: '^[0-9]{1,3}$' } } },
        response: { '4xx': errorResponse },
      },
    },
    async (request) => {
      const date = checkedDate(request.params.date);
      const report = eod.report(date);
      if (report === null) throw new HttpError('eod_day_not_closed', `${date} is not closed`);
      if (report.date !== date) throw new HttpError('eod_day_not_closed', `${date} has no closing balances of its own: it is folded into the close of ${report.date}`);
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
      if (limit < 1 || limit > 500) throw new HttpError('invalid_field', 'limit is 1..500', 'querystring/limit');
      try {
        const page = queries.closingBalances(date, request.query.cursor, limit);
        return { date, items: page.items.map((row) => money(row, 'closing')), nextCursor: page.nextCursor };
      } catch (error) {
        if (error instanceof Error && error.name === 'InvalidCursorError') throw new HttpError('invalid_cursor', error.message, 'querystring/cursor');
        throw error;
      }
    },
  );
}
