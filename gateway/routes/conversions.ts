import type { FastifyInstance } from 'fastify';
import type { FxApi } from '../../actors/fx/fx-service.js';
import { fxRoundings, type ConversionState, type FxRounding } from '../../core/fx/conversion.js';
import { formatAmount } from '../../core/money/amount.js';
import { conversionOrderNo } from '../../actors/lending/ids.js';
import { refusal } from '../error-handler.js';
import { entityCommandId } from '../idempotency.js';
import { entityIdParams, lendingErrorResponses } from '../lending-schemas.js';

interface ConversionBody {
  id?: string;
  from: string;
  to: string;
  amount: string;
  rate: string;
  rounding?: FxRounding;
}

const account = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' } as const;

export const conversionBody = {
  type: 'object',
  required: ['from', 'to', 'amount', 'rate'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 64 },
    from: account,
    to: account,
    amount: { type: 'string', minLength: 1, maxLength: 40, description: 'decimal string in the source account\'s currency' },
    rate: { type: 'string', minLength: 1, maxLength: 24, description: 'target currency units per source unit, e.g. "151.37"' },
    rounding: { type: 'string', enum: [...fxRoundings] },
  },
} as const;

/** A conversion on the wire: amounts in their currencies' decimal strings, the residual in target minor units. */
export function conversionView(state: ConversionState) {
  const c = state.conversion;
  if (c === null) return null;
  return {
    id: c.id,
    status: state.status,
    from: { account: c.fromAccount, currency: c.fromCurrency, amount: formatAmount(c.amount, c.fromCurrency) },
    to: { account: c.toAccount, currency: c.toCurrency, amount: formatAmount(c.toAmount, c.toCurrency) },
    rate: c.rate,
    rounding: c.rounding,
    residualMinor: c.residual,
    // Who converted: the bank (between two wallets held there; its order follows under this number) or the platform on its ledger.
    atBank: c.atBank === true,
    orderNo: c.atBank === true ? conversionOrderNo(c.id) : null,
    failure: state.failure,
    requestedAt: new Date(c.requestedAt).toISOString(),
  };
}

/**
 * `POST /v1/conversions`: money of one currency into an account of another, at a stated
 * rate — two linked transfers, through the FX positions, or at the bank between two wallets
 * held there (one bank order: the source held until the bank converts). 202 with the conversion (its legs
 * follow through the outbox; the same id again answers it as it stands); `GET
 * /v1/conversions/:id` follows it to `completed` or `failed`.
 */
export function conversionRoutes(app: FastifyInstance, fx: FxApi): void {
  app.post<{ Body: ConversionBody }>('/v1/conversions', { schema: { tags: ['transfers'], body: conversionBody, response: lendingErrorResponses } }, async (request, reply) => {
    const id = entityCommandId(request, request.body.id);
    const { from, to, amount, rate, rounding = 'half_even' } = request.body;
    const answered = await fx.convert({ id, from, to, amount, rate, rounding });
    if (!answered.ok) throw refusal(answered.code, answered.detail);
    return reply.status(202).send(conversionView(answered.value));
  });

  app.get<{ Params: { id: string } }>('/v1/conversions/:id', { schema: { tags: ['transfers'], params: entityIdParams, response: lendingErrorResponses } }, async (request) => {
    const found = await fx.getConversion(request.params.id);
    if (!found.ok) throw refusal(found.code, found.detail);
    return conversionView(found.value);
  });
}
