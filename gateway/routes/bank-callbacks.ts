import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import type { BankApi } from '../../actors/bank/bank-api.js';
import { checkSignature } from '../../actors/bank/signature.js';
import { signatureHeader, timestampHeader, type BankCallbackWire } from '../../actors/bank/wire.js';
import { bankCallbackPath } from '../auth.js';
import { refusal } from '../error-handler.js';
import { HttpError } from '../errors.js';
import { bankCallbackBody } from '../lending-schemas.js';

export interface CallbackOptions {
  /** The secret shared with the bank (FUNDCORE_BANK_SECRET). */
  readonly secret: string;
  /** How far a callback's timestamp may be from now, either way. */
  readonly timestampToleranceMs: number;
  readonly now: () => number;
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * POST /v1/bank/callbacks: the bank's results, signed. In its own scope, the JSON parser
 * sees the raw body: the signature (HMAC-SHA256 of `<timestamp>.<raw body>`) and the
 * timestamp's freshness are checked before the body is even parsed — a bad one is a 401 and
 * nothing changes. The answer (200) goes out only once the result is journaled; a
 * duplicate is acknowledged the same way, so the bank stops retrying.
 */
export async function bankCallbackRoutes(app: FastifyInstance, bank: BankApi, options: CallbackOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const raw = body as string;
      const check = checkSignature(
        options.secret,
        { timestamp: headerOf(request.headers[timestampHeader]), signature: headerOf(request.headers[signatureHeader]) },
        raw,
        options.now(),
        options.timestampToleranceMs,
      );
      if (check === 'signature_invalid') return done(new HttpError('callback_signature_invalid', 'the callback signature does not verify'), undefined);
      if (check === 'timestamp_stale') return done(new HttpError('callback_timestamp_stale', 'the callback timestamp is too far from now'), undefined);
      if (raw === '') return done(null, null);
      try {
        done(null, secureJson.parse(raw, undefined, { protoAction: 'error', constructorAction: 'error' }));
      } catch {
        done(new HttpError('malformed_json', 'the body is not valid JSON'), undefined);
      }
    });
    scope.post<{ Body: BankCallbackWire }>(
      bankCallbackPath,
      { schema: { tags: ['bank'], body: bankCallbackBody } },
      async (request) => {
        const body = request.body;
        const handled = await bank.handleCallback({
          orderNo: body.orderNo,
          kind: body.kind,
          status: body.status,
          code: body.code ?? null,
          detail: body.detail ?? null,
          bankTxnId: body.bankTxnId ?? null,
          completedAt: body.completedAt,
          ...(body.currency === undefined ? {} : { currency: body.currency }),
        });
        if (!handled.ok) throw refusal(handled.code, handled.detail);
        return { acknowledged: true, duplicate: handled.value.duplicate };
      },
    );
  });
}
