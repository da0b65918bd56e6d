import { orderCurrency, type BankOrder } from '../../core/bank/bank-order.js';
import { assertNever } from '../../core/rejection.js';
import type { ActorReply } from '../runtime/behavior.js';
import { ActorRuntimeError } from '../runtime/errors.js';
import { askEach, type Bus, type BusAsk } from '../runtime/relay.js';
import { BankUnavailableError, type BankDepository, type BankSubmitAnswer } from './bank-port.js';
import type { BankEndpointMessage } from './messages.js';

/**
 * The bank adapter as the outbox reaches it: a bus address (`bankapi:…`) beside the actors.
 * Deliveries of bank orders come here at least once; the bank dedupes by order number. A
 * refusal of the request is a refusal reply (the order fails); an unreachable bank is a
 * runtime failure, so the relay tries again later.
 */
export class BankEndpoint {
  constructor(private readonly bank: BankDepository) {}

  async ask(message: unknown): Promise<ActorReply> {
    const m = message as BankEndpointMessage;
    try {
      switch (m.type) {
        case 'submit': {
          const answer = await this.submit(m.data.order);
          return answer.accepted ? { ok: true, value: { accepted: true } } : { ok: false, code: answer.code, detail: answer.detail };
        }
        case 'query':
          return { ok: true, value: await this.bank.query(m.data.orderNo) };
        default:
          return assertNever(m, 'bank endpoint message');
      }
    } catch (error) {
      if (error instanceof BankUnavailableError) throw new ActorRuntimeError('actor_unavailable', error.message, { cause: error });
      throw error;
    }
  }

  private submit(order: BankOrder): Promise<BankSubmitAnswer> {
    const header = { orderNo: order.orderNo, businessDate: order.businessDate, currency: orderCurrency(order.payload) };
    const { payload } = order;
    switch (payload.kind) {
      case 'open_account':
        return this.bank.openAccount(header, { account: payload.account });
      case 'deposit':
        return this.bank.deposit(header, { account: payload.account, amount: payload.amount });
      case 'withdrawal':
        return this.bank.withdraw(header, { account: payload.account, amount: payload.amount, ...(payload.fee !== undefined && payload.feeAccount !== undefined ? { fee: payload.fee, feeAccount: payload.feeAccount } : {}) });
      case 'refund':
        return this.bank.refund(header, { account: payload.account, amount: payload.amount, original: payload.original });
      case 'conversion':
        return this.bank.convert(header, { account: payload.account, amount: payload.amount, toAccount: payload.toAccount, toAmount: payload.toAmount, toCurrency: payload.toCurrency, rate: payload.rate });
      case 'disbursement':
        return this.bank.disburse(header, { items: payload.items });
      case 'repayment':
        return this.bank.repay(header, { items: payload.items });
      case 'transfer':
        return this.bank.transfer(header, { items: payload.items });
      default:
        return assertNever(payload, 'bank order payload');
    }
  }
}

const isBankAddress = (actorId: string) => actorId.startsWith('bankapi:');

/** The node's bus: the bank adapter under `bankapi:`, every other address to `actors` (many asks to them together). */
export function routingBus(actors: () => Bus, bank: BankEndpoint): Bus {
  return {
    ask: (actorId, message, timeoutMs, cause) => (isBankAddress(actorId) ? bank.ask(message) : actors().ask(actorId, message, timeoutMs, cause)),
    askMany: (asks, timeoutMs) => {
      // The relay's usual batch holds no bank order: handed on as it is.
      if (!asks.some((ask) => isBankAddress(ask.actorId))) return askEach(actors(), asks, timeoutMs);
      const toActors: BusAsk[] = asks.filter((ask) => !isBankAddress(ask.actorId));
      const fromActors = askEach(actors(), toActors, timeoutMs);
      let next = 0;
      return asks.map((ask) => (isBankAddress(ask.actorId) ? bank.ask(ask.message) : (fromActors[next++] as Promise<ActorReply>)));
    },
  };
}
