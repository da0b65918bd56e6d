import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import type { LedgerApi, TransferInput } from '../../actors/ledger/ledger-api.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import type { TransferRecord } from '../../core/ledger/transfer.js';
import { errorBody, refusal, validationError } from '../error-handler.js';
import { HttpError } from '../errors.js';
import { commandId } from '../idempotency.js';
import {
  batchBody,
  errorResponse,
  gatewayLimits,
  transferIdParams,
  postPendingBody,
  reverseBody,
  transferBody,
  transferCreatedResponse,
  transferResponse,
  transferUpdatedResponse,
} from '../schemas.js';
import { transferCreatedView, transferUpdatedView, transferView } from '../views.js';

interface TransferBody {
  id?: string;
  debit: string;
  credit: string;
  amount: string;
  pending?: boolean;
  timeoutMs?: number;
  memo?: string | null;
  nature?: string;
}

function inputOf(id: string, body: TransferBody): TransferInput {
  return {
    id,
    debit: body.debit,
    credit: body.credit,
    amount: body.amount,
    pending: body.pending ?? false,
    timeoutMs: body.timeoutMs ?? null,
    memo: body.memo ?? null,
    ...(body.nature === undefined ? {} : { nature: body.nature }),
  };
}

function created(reply: ActorReply<TransferRecord>) {
  if (!reply.ok) throw refusal(reply.code, reply.detail);
  return transferCreatedView(reply.value);
}

function updated(reply: ActorReply<TransferRecord>) {
  if (!reply.ok) throw refusal(reply.code, reply.detail);
  return transferUpdatedView(reply.value);
}

/** Batch items are validated one by one with the single-transfer schema (same options as Fastify's). */
const validateItem = new Ajv({ removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false }).compile(transferBody);

function batchItemResult(id: string | null, reply: ActorReply<TransferRecord> | HttpError) {
  if (reply instanceof HttpError) return { id, status: reply.status, ...errorBody(reply) };
  try {
    return { id, status: 201, transfer: created(reply) };
  } catch (error) {
    const httpError = error as HttpError;
    return { id, status: httpError.status, ...errorBody(httpError) };
  }
}

export function transferRoutes(app: FastifyInstance, ledger: LedgerApi): void {
  app.post<{ Body: TransferBody }>(
    '/v1/transfers',
    { schema: { tags: ['transfers'], body: transferBody, response: { 201: transferCreatedResponse, '4xx': errorResponse } } },
    async (request, reply) => {
      const id = commandId(request, request.body.id);
      const view = created(await ledger.createTransfer(inputOf(id, request.body)));
      return reply.status(201).send(view);
    },
  );

  app.post<{ Body: { transfers: unknown[] } }>(
    '/v1/transfers/batch',
    { bodyLimit: gatewayLimits.batchBodyLimitBytes, schema: { tags: ['transfers'], body: batchBody } },
    async (request) => {
      const items = request.body.transfers;
      const inputs: TransferInput[] = [];
      const slots: (number | HttpError)[] = [];
      for (const item of items) {
        const id = typeof (item as { id?: unknown }).id === 'string' ? ((item as { id: string }).id) : null;
        if (!validateItem(item)) slots.push(validationError(validateItem.errors?.[0], 'transfer'));
        else if (id === null) slots.push(new HttpError('missing_id', 'every transfer of a batch needs an id'));
        else slots.push(inputs.push(inputOf(id, item as TransferBody)) - 1);
      }
      const replies = await ledger.createTransfers(inputs);
      const results = items.map((item, i) => {
        const slot = slots[i] as number | HttpError;
        const id = typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : null;
        return batchItemResult(id, slot instanceof HttpError ? slot : (replies[slot] as ActorReply<TransferRecord>));
      });
      return { results };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/transfers/:id',
    { schema: { tags: ['transfers'], params: transferIdParams, response: { 200: transferResponse, '4xx': errorResponse } } },
    async (request) => {
      const status = await ledger.getTransfer(request.params.id);
      if (!status.ok) throw refusal(status.code, status.detail);
      return transferView(status.value);
    },
  );

  app.post<{ Params: { id: string }; Body: { amount?: string } | null }>(
    '/v1/transfers/:id/post',
    { schema: { tags: ['transfers'], params: transferIdParams, body: postPendingBody, response: { 200: transferUpdatedResponse, '4xx': errorResponse } } },
    async (request) => updated(await ledger.postPending(request.params.id, request.body?.amount ?? null)),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/transfers/:id/void',
    { schema: { tags: ['transfers'], params: transferIdParams, response: { 200: transferUpdatedResponse, '4xx': errorResponse } } },
    async (request) => updated(await ledger.voidPending(request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: { memo?: string | null } | null }>(
    '/v1/transfers/:id/reverse',
    { schema: { tags: ['transfers'], params: transferIdParams, body: reverseBody, response: { 201: transferCreatedResponse, '4xx': errorResponse } } },
    async (request, reply) => {
      const view = created(await ledger.reverseTransfer(request.params.id, request.body?.memo ?? null));
      return reply.status(201).send(view);
    },
  );
}
