import type { FastifyInstance } from 'fastify';
import type { FlowsApi, InterestPoolPage } from '../../actors/lending/flows-api.js';
import { refusal } from '../error-handler.js';
import { lendingErrorResponses } from '../lending-schemas.js';
import { interestPoolView } from '../flows-views.js';
import type { ReadModelQueries } from '../../persistence/projections/queries.js';
import type { ReadSide } from '../../persistence/projections/read-side.js';

/** Where a pool's flows are read: the read models (a pool's actor keeps only its figures). */
export interface InterestFlowSource {
  readonly readSide: ReadSide;
  readonly queries: ReadModelQueries;
}

const investorParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' } } } as const;
/** Flows are paged by their sequence number: `after` the last one seen, at most `limit` (1..500, default 100). */
const flowsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { after: { type: 'string', pattern: '^[0-9]{1,9}$' }, limit: { type: 'string', pattern: '^[0-9]{1,3}$' } },
} as const;
const switchBody = { type: 'object', required: ['on'], additionalProperties: false, properties: { id: { type: 'string', maxLength: 64 }, on: { type: 'boolean' } } } as const;

export const interestFlowsPageMax = 500;

export function interestPoolRoutes(app: FastifyInstance, flows: FlowsApi, source: InterestFlowSource): void {
  /** The page's flows, up to the pool's last as its actor answered (read your writes: the read side catches up first). */
  const flowRowsOf = async (page: InterestPoolPage) => {
    if (page.limit === 0 || page.afterSeq >= page.pool.flowCount) return [];
    await source.readSide.catchUp();
    return source.queries.interestFlows(page.investor, page.afterSeq, page.pool.flowCount, page.limit);
  };

  app.get<{ Params: { id: string }; Querystring: { after?: string; limit?: string } }>(
    '/v1/investors/:id/interest-pool',
    { schema: { tags: ['lending'], params: investorParams, querystring: flowsQuery, response: lendingErrorResponses } },
    async (request) => {
      const limit = Number(request.query.limit ?? '100');
      if (limit < 1 || limit > interestFlowsPageMax) throw refusal('invalid_field', `limit is 1..${interestFlowsPageMax}`);
      const found = await flows.getInterestPool(request.params.id, Number(request.query.after ?? '0'), limit);
      if (!found.ok) throw refusal(found.code, found.detail);
      return interestPoolView(found.value, await flowRowsOf(found.value));
    },
  );

  /** Turns the investor's reinvestment on or off; setting it as it is changes nothing. */
  app.post<{ Params: { id: string }; Body: { id?: string; on: boolean } }>(
    '/v1/investors/:id/interest-pool/reinvest-switch',
    { schema: { tags: ['lending'], params: investorParams, body: switchBody, response: lendingErrorResponses } },
    async (request) => {
      const switched = await flows.setReinvestSwitch(request.params.id, request.body.on);
      if (!switched.ok) throw refusal(switched.code, switched.detail);
      return interestPoolView(switched.value, []);
    },
  );
}
