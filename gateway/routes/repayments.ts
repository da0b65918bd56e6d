import type { FastifyInstance } from 'fastify';
import type { FlowsApi, RepaymentAnswer } from '../../actors/lending/flows-api.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal } from '../error-handler.js';
import { repaymentView } from '../flows-views.js';
import { entityCommandId } from '../idempotency.js';
import { entityIdParams, lendingErrorResponses } from '../lending-schemas.js';

const entityId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,47}$' } as const;
/** The body may be absent: an Idempotency-Key header alone names a payment of what is due. */
const repaymentBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { id: entityId, amount: { type: 'string', minLength: 1, maxLength: 40, description: 'decimal string; omitted: the amount due' } },
} as const;
const compensationBody = { type: 'object', required: ['period'], additionalProperties: false, properties: { id: entityId, period: { type: 'integer', minimum: 1, maximum: 1_095 } } } as const;
const repaymentParams = { type: 'object', required: ['id', 'repaymentId'], additionalProperties: false, properties: { id: entityId, repaymentId: entityId } } as const;

/**
 * 201 once the bank confirmed the payment and the split posted, 202 while it is under way
 * (GET it, or repeat the POST with the same id, for the outcome), 422 repayment_failed when
 * the payer's money could not be held or the bank declined (the period stays unpaid).
 */
function answer(reply: { status: (code: number) => { send: (body: unknown) => unknown } }, answered: ActorReply<RepaymentAnswer>) {
  if (!answered.ok) throw refusal(answered.code, answered.detail);
  const { repayment, loan } = answered.value;
  if (repayment.stage === 'failed') throw refusal('repayment_failed', `${repayment.failure?.code ?? 'failed'}: ${repayment.failure?.detail ?? ''}`);
  return reply.status(repayment.stage === 'succeeded' ? 201 : 202).send(repaymentView(repayment, loan));
}

export function repaymentRoutes(app: FastifyInstance, flows: FlowsApi, keys: ApiKeys): void {
  app.post<{ Params: { id: string }; Body: { id?: string; amount?: string } | null }>(
    '/v1/loans/:id/repayments',
    { schema: { tags: ['lending'], params: entityIdParams, body: repaymentBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const body = request.body ?? {};
      const id = entityCommandId(request, body.id);
      return answer(reply, await flows.repay(request.params.id, { id, amount: body.amount ?? null }));
    },
  );

  /** The guarantee pays an overdue period on the borrower's behalf (代偿): ops only. */
  app.post<{ Params: { id: string }; Body: { id?: string; period: number } }>(
    '/v1/loans/:id/compensations',
    { preHandler: requireOps(keys), schema: { tags: ['lending'], params: entityIdParams, body: compensationBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const id = entityCommandId(request, request.body.id);
      return answer(reply, await flows.compensate(request.params.id, { id, period: request.body.period }));
    },
  );

  app.get<{ Params: { id: string; repaymentId: string } }>(
    '/v1/loans/:id/repayments/:repaymentId',
    { schema: { tags: ['lending'], params: repaymentParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await flows.getRepayment(request.params.id, request.params.repaymentId);
      if (!found.ok) throw refusal(found.code, found.detail);
      return repaymentView(found.value.repayment, found.value.loan);
    },
  );
}
