import type { FastifyInstance } from 'fastify';
import type { ClockApi } from '../../actors/clock/clock-service.js';
import type { LendingApi } from '../../actors/lending/lending-api.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal } from '../error-handler.js';
import { entityCommandId } from '../idempotency.js';
import { entityIdParams, lendingErrorResponses, loanBody } from '../lending-schemas.js';
import { loanApprovedView, loanPublishedView, loanView, payoffView, planView } from '../lending-views.js';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { HttpError } from '../errors.js';

const payoffQuery = { type: 'object', additionalProperties: false, properties: { on: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } } } as const;

interface LoanBody {
  id?: string;
  borrower: string;
  amount: string;
  annualRate: string;
  termDays?: number;
  termMonths?: number;
  method: string;
  product?: string;
}

export function loanRoutes(app: FastifyInstance, lending: LendingApi, keys: ApiKeys, clock: ClockApi): void {
  app.post<{ Body: LoanBody }>(
    '/v1/loans',
    { schema: { tags: ['lending'], body: loanBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const body = request.body;
      const id = entityCommandId(request, body.id);
      const published = await lending.publishLoan({
        id,
        borrower: body.borrower,
        amount: body.amount,
        annualRate: body.annualRate,
        termDays: body.termDays ?? null,
        termMonths: body.termMonths ?? null,
        method: body.method,
        product: body.product ?? null,
      });
      if (!published.ok) throw refusal(published.code, published.detail);
      return reply.status(201).send(loanPublishedView(published.value));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/loans/:id',
    { schema: { tags: ['lending'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await lending.getLoan(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      return loanView(found.value);
    },
  );

  /** Full-funding approval (满标审核): ops only; the same approval again answers the same. */
  app.post<{ Params: { id: string } }>(
    '/v1/loans/:id/approve',
    { preHandler: requireOps(keys), schema: { tags: ['lending'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const approved = await lending.approveLoan(request.params.id);
      if (!approved.ok) throw refusal(approved.code, approved.detail);
      return loanApprovedView(approved.value);
    },
  );

  /** The pre-closure quote: a repayment of `amount` on `on` (default the business date) settles the loan. */
  app.get<{ Params: { id: string }; Querystring: { on?: string } }>(
    '/v1/loans/:id/payoff',
    { schema: { tags: ['lending'], params: entityIdParams, querystring: payoffQuery, response: lendingErrorResponses } },
    async (request) => {
      const on = request.query.on ?? clock.view().date;
      if (!isBusinessDate(on)) throw new HttpError('invalid_field', 'on is a date YYYY-MM-DD', 'querystring/on');
      const quote = await lending.getPayoff(request.params.id, on);
      if (!quote.ok) throw refusal(quote.code, quote.detail);
      return payoffView(request.params.id, quote.value);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/loans/:id/schedule',
    { schema: { tags: ['lending'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const plan = await lending.getPlan(request.params.id);
      if (!plan.ok) throw refusal(plan.code, plan.detail);
      return planView(plan.value, clock.view().date);
    },
  );
}
