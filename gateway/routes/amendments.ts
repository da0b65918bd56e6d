import type { FastifyInstance } from 'fastify';
import type { AmendmentApi } from '../../actors/ledger/amendment-service.js';
import type { AmendmentState } from '../../core/amendment/amendment.js';
import { requireOps, type ApiKeys } from '../auth.js';
import { refusal } from '../error-handler.js';
import { commandId } from '../idempotency.js';
import { errorResponse, transferIdParams } from '../schemas.js';

interface AmendBody {
  id?: string;
  debit?: string;
  credit?: string;
  amount?: string;
  memo?: string;
  reason: string;
}

const account = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' } as const;

const amendBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 64 },
    debit: account,
    credit: account,
    amount: { type: 'string', minLength: 1, maxLength: 40 },
    memo: { type: 'string', maxLength: 256 },
    reason: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

function amendmentView(state: AmendmentState) {
  const a = state.amendment;
  if (a === null) return null;
  return { id: a.id, original: a.original, status: state.status, reversal: state.reversalId, corrected: { id: a.id, ...a.corrected }, reason: a.reason, by: a.by, requestedAt: new Date(a.requestedAt).toISOString(), failure: state.failure };
}

/**
 * `POST /v1/transfers/:id/amend` (ops key): an order amendment — the transfer reversed and
 * the corrected one posted under the amendment's id, with the reason and the key that asked.
 * 201 once both are booked; the recorded 422 when a step was refused. `GET
 * /v1/transfers/:id/amendment` shows it.
 */
export function amendmentRoutes(app: FastifyInstance, amendments: AmendmentApi, keys: ApiKeys): void {
  app.post<{ Params: { id: string }; Body: AmendBody }>(
    '/v1/transfers/:id/amend',
    { preHandler: requireOps(keys), schema: { tags: ['ledger'], params: transferIdParams, body: amendBody, response: { '4xx': errorResponse } } },
    async (request, reply) => {
      const id = commandId(request, request.body.id);
      const { debit, credit, amount, memo, reason } = request.body;
      const answered = await amendments.amend(request.params.id, { id, reason, ...(debit !== undefined ? { debit } : {}), ...(credit !== undefined ? { credit } : {}), ...(amount !== undefined ? { amount } : {}), ...(memo !== undefined ? { memo } : {}) });
      if (!answered.ok) throw refusal(answered.code, answered.detail);
      const failure = answered.value.failure;
      if (answered.value.status === 'failed' && failure !== null) throw refusal(failure.code, `the amendment failed: ${failure.detail}`);
      return reply.status(answered.value.status === 'completed' ? 201 : 202).send(amendmentView(answered.value));
    },
  );

  app.get<{ Params: { id: string } }>('/v1/transfers/:id/amendment', { schema: { tags: ['ledger'], params: transferIdParams, response: { '4xx': errorResponse } } }, async (request) => {
    const found = await amendments.getAmendment(request.params.id);
    if (!found.ok) throw refusal(found.code, found.detail);
    return amendmentView(found.value);
  });
}
