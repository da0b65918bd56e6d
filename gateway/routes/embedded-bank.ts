import type { FastifyInstance } from 'fastify';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { HttpError } from '../errors.js';
import { errorResponse } from '../schemas.js';

/** The bank simulator `npm start` runs in process: its statement, for a reconciliation without knowing its address. */
export interface EmbeddedBank {
  statementCamt053(date: string | null): string;
}

const statementQuery = { type: 'object', additionalProperties: false, properties: { date: { type: 'string' } } } as const;

export function embeddedBankRoutes(app: FastifyInstance, bank: EmbeddedBank): void {
  app.get<{ Querystring: { date?: string } }>(
    '/ops/bank/statement',
    {
      schema: {
        tags: ['ops'],
        summary: "The embedded bank simulator's statement (ISO 20022 camt.053), every booking or one date's",
        querystring: statementQuery,
        response: { '4xx': errorResponse },
      },
    },
    async (request, reply) => {
      const { date } = request.query;
      if (date !== undefined && !isBusinessDate(date)) throw new HttpError('invalid_field', 'date is YYYY-MM-DD', 'querystring/date');
      return reply.type('application/xml; charset=utf-8').send(bank.statementCamt053(date ?? null));
    },
  );
}
