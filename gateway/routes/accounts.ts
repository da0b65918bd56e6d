import type { FastifyInstance } from 'fastify';
import { defaultCurrency, type Currency } from '../../core/money/currency.js';
import type { AccountKind } from '../../core/ledger/account.js';
import type { LedgerApi } from '../../actors/ledger/ledger-api.js';
import { refusal } from '../error-handler.js';
import { commandId } from '../idempotency.js';
import { accountCreatedResponse, accountResponse, errorResponse, idParams, openAccountBody } from '../schemas.js';
import { accountCreatedView, accountView } from '../views.js';

interface OpenAccountBody {
  id?: string;
  kind: AccountKind;
  currency?: Currency;
  overdraft?: boolean;
  subAccounts?: number;
  bufferCredits?: boolean;
}

export function accountRoutes(app: FastifyInstance, ledger: LedgerApi): void {
  app.post<{ Body: OpenAccountBody }>(
    '/v1/accounts',
    { schema: { tags: ['accounts'], body: openAccountBody, response: { 201: accountCreatedResponse, '4xx': errorResponse } } },
    async (request, reply) => {
      const body = request.body;
      const id = commandId(request, body.id);
      const opened = await ledger.openAccount({
        id,
        kind: body.kind,
        currency: body.currency ?? defaultCurrency,
        overdraft: body.overdraft ?? false,
        subAccounts: body.subAccounts ?? 1,
        bufferCredits: body.bufferCredits ?? false,
      });
      if (!opened.ok) throw refusal(opened.code, opened.detail);
      return reply.status(201).send(accountCreatedView(opened.value));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], params: idParams, response: { 200: accountResponse, '4xx': errorResponse } } },
    async (request) => {
      const account = await ledger.getAccount(request.params.id);
      if (!account.ok) throw refusal(account.code, account.detail);
      return accountView(account.value);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/accounts/:id/close',
    { schema: { tags: ['accounts'], params: idParams, response: { 200: accountResponse, 202: accountResponse, '4xx': errorResponse } } },
    async (request, reply) => {
      const closed = await ledger.closeAccount(request.params.id);
      if (!closed.ok) throw refusal(closed.code, closed.detail);
      const account = await ledger.getAccount(request.params.id);
      if (!account.ok) throw refusal(account.code, account.detail);
      // 202: a hot account's close is still under way (its parts sealed); the same request again waits for it.
      return reply.status(closed.value.closedAt === null ? 202 : 200).send(accountView(account.value));
    },
  );
}
