import type { FastifyInstance } from 'fastify';
import type { ClockApi } from '../../actors/clock/clock-service.js';
import type { LendingApi } from '../../actors/lending/lending-api.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal } from '../error-handler.js';
import { entityCommandId } from '../idempotency.js';
import { entityIdParams, lendingErrorResponses, loanBody } from '../lending-schemas.js';
import { loanApprovedView, loanPublishedView, loanView, planView } from '../lending-views.js';

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
