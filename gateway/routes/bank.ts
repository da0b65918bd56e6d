import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BankApi } from '../../actors/bank/bank-api.js';
import type { SagaAnswer } from '../../actors/lending/lending-api.js';
import type { ActorReply } from '../../actors/runtime/behavior.js';
import type { BankOrder } from '../../core/bank/bank-order.js';
import type { Currency } from '../../core/money/currency.js';
import { refusal } from '../error-handler.js';
import { entityCommandId } from '../idempotency.js';
import { accountParams, depositBody, depositoryAccountBody, entityIdParams, lendingErrorResponses, moneyOrderBody, refundBody } from '../lending-schemas.js';
import { bankOrderCreatedView, bankOrderView, depositRefundsView } from '../lending-views.js';

interface MoneyOrderBody {
  id?: string;
  account: string;
  amount: string;
  /** The wallet's currency, when the client states it (checked against the wallet). */
  currency?: Currency;
}

/** Depository accounts, deposits and withdrawals: bank orders whose results come later. */
export function bankRoutes(app: FastifyInstance, bank: BankApi): void {
  app.post<{ Body: { id?: string; account: string } }>(
    '/v1/depository-accounts',
    { schema: { tags: ['bank'], body: depositoryAccountBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const id = entityCommandId(request, request.body.id);
      const created = await bank.openDepositoryAccount({ id, account: request.body.account });
      if (!created.ok) throw refusal(created.code, created.detail);
      return reply.status(201).send(bankOrderCreatedView(id, created.value));
    },
  );

  app.get<{ Params: { account: string } }>(
    '/v1/depository-accounts/:account',
    { schema: { tags: ['bank'], params: accountParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await bank.getDepositoryAccount(request.params.account);
      if (!found.ok) throw refusal(found.code, found.detail);
      return found.value;
    },
  );

  app.post<{ Body: MoneyOrderBody & { nature?: string } }>(
    '/v1/deposits',
    { schema: { tags: ['bank'], body: depositBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const id = entityCommandId(request, request.body.id);
      const { nature } = request.body;
      const created = await bank.deposit({ id, ...moneyOrderOf(request.body), ...(nature === undefined ? {} : { nature }) });
      if (!created.ok) throw refusal(created.code, created.detail);
      return reply.status(201).send(bankOrderCreatedView(id, created.value));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/deposits/:id',
    { schema: { tags: ['bank'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await bank.getDeposit(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      const book = await bank.getDepositRefunds(request.params.id);
      if (!book.ok) throw refusal(book.code, book.detail);
      return { ...bankOrderView(request.params.id, found.value), refunds: depositRefundsView(book.value, found.value) };
    },
  );

  /** 201 once the amount is held and the order is out; the recorded refusal (422 insufficient_funds); 202 while the hold is under way. */
  app.post<{ Body: MoneyOrderBody }>(
    '/v1/withdrawals',
    { schema: { tags: ['bank'], body: moneyOrderBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const id = entityCommandId(request, request.body.id);
      return heldOrderAnswer(reply, id, await bank.withdraw({ id, ...moneyOrderOf(request.body) }));
    },
  );

  /**
   * Refund along the original path (原路退回): as a withdrawal, to the card or channel the
   * deposit came from, at most what it brought in less its earlier refunds.
   */
  app.post<{ Body: { id?: string; deposit: string; amount: string } }>(
    '/v1/refunds',
    { schema: { tags: ['bank'], body: refundBody, response: lendingErrorResponses } },
    async (request, reply) => {
      const id = entityCommandId(request, request.body.id);
      return heldOrderAnswer(reply, id, await bank.refund({ id, deposit: request.body.deposit, amount: request.body.amount }));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/refunds/:id',
    { schema: { tags: ['bank'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await bank.getRefund(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      return bankOrderView(request.params.id, found.value);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/withdrawals/:id',
    { schema: { tags: ['bank'], params: entityIdParams, response: lendingErrorResponses } },
    async (request) => {
      const found = await bank.getWithdrawal(request.params.id);
      if (!found.ok) throw refusal(found.code, found.detail);
      return bankOrderView(request.params.id, found.value);
    },
  );
}

/** A deposit's or withdrawal's fields (the currency only when stated). */
function moneyOrderOf(body: MoneyOrderBody) {
  return { account: body.account, amount: body.amount, ...(body.currency === undefined ? {} : { currency: body.currency }) };
}

/** An order that holds the wallet's money first (a withdrawal, a refund): 201 once held and out, the recorded refusal, 202 while the hold is under way. */
function heldOrderAnswer(reply: FastifyReply, id: string, created: ActorReply<SagaAnswer<BankOrder>>) {
  if (!created.ok) throw refusal(created.code, created.detail);
  const { state, settled } = created.value;
  if (state.status === 'refused' && state.refusal !== null) throw refusal(state.refusal.code, state.refusal.detail);
  if (!settled) return reply.status(202).send(bankOrderView(id, state));
  return reply.status(201).send(bankOrderCreatedView(id, state));
}
