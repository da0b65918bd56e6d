import type { FastifyInstance } from 'fastify';
import type { LendingApi } from '../../actors/lending/lending-api.js';
import { refusal } from '../error-handler.js';
import { entityCommandId } from '../idempotency.js';
import { entityIdParams, investmentBody, lendingErrorResponses, redeemBody } from '../lending-schemas.js';
import { claimView, investmentCreatedView, investmentView, redemptionView } from '../lending-views.js';

interface InvestmentBody {
  id?: string;
  investor: string;
  amount: string;
  termDays: number;
  expectedRate?: string;
}

export function investmentRoutes(app: FastifyInstance, lending: LendingApi): void {
  /**
   * Waits (at most settleWaitMs) for the saga: 201 once active (its capital is in the pool),
   * the recorded refusal once failed (422; for insufficient_funds a retry of the same id asks
   * the wallet again, so it succeeds once the money is there; other refusals stand), or
   * 202 with its state while still under way — retry with the same id for the outcome.
   */
  app.post<{ Body: InvestmentBody }>(
    '/v1/investments',
    { schema: { tags: ['lending'], body: investmentBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const id = entityCommandId(request, request.body.id);
      const placed = await lending.placeInvestment({ id, investor: request.body.investor, amount: request.body.amount, termDays: request.body.termDays, ...(request.body.expectedRate === undefined ? {} : { expectedRate: request.body.expectedRate }) });
      if (!placed.ok) throw refusal(placed.code, placed.detail);
      const { state, settled } = placed.value;
      if (state.status === 'failed' && state.failure !== null) throw refusal(state.failure.code, state.failure.detail);
      if (settled && state.status === 'active') return reply.status(201).send(investmentCreatedView(state));
      return reply.status(202).send(investmentView(state));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/investments/:id',
    { schema: { tags: ['lending'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await lending.getInvestment(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      return investmentView(found.value.investment, found.value.capital);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/investments/:id/claims',
    { schema: { tags: ['lending'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await lending.getInvestmentClaims(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      return { investmentId: request.params.id, claims: found.value.map(claimView) };
    },
  );

  /**
   * Redemption at or after maturity (business clock): 202 with its state — it completes as
   * the pool takes the claims; GET …/redemption follows it. One redemption per investment:
   * asking again (any id) answers the one under way. The id defaults to `rdm-<investmentId>`.
   */
  app.post<{ Params: { id: string }; Body: { id?: string } | undefined }>(
    '/v1/investments/:id/redeem',
    { schema: { tags: ['lending'], params: entityIdParams, body: redeemBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const hasId = request.body?.id !== undefined || request.headers['idempotency-key'] !== undefined;
      const id = hasId ? entityCommandId(request, request.body?.id) : null;
      const redeemed = await lending.redeemInvestment(request.params.id, id);
      if (!redeemed.ok) throw refusal(redeemed.code, redeemed.detail);
      return reply.status(202).send(redemptionView(redeemed.value));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/investments/:id/redemption',
    { schema: { tags: ['lending'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await lending.getRedemption(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      return redemptionView(found.value);
    },
  );
}
