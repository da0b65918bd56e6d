import { holdsFirst, orderCurrency, type BankOrder, type BankResult } from '../../core/bank/bank-order.js';
import type { BankOrderEvent } from '../../core/bank/events.js';
import { assertNever } from '../../core/rejection.js';
import { bankEndpointId, bankSettlementAccount, systemAccounts } from '../lending/ids.js';
import { postPendingDelivery, tell, transferDelivery, voidPendingDelivery } from '../lending/ledger-deliveries.js';
import type { BankOrderResultData } from '../lending/messages.js';
import type { Delivery } from '../runtime/behavior.js';
import type { BankEndpointMessage, BankOrderMessage, BankOrderStatusAnswer } from './messages.js';

/** What each bank order event obliges the node to send, at least once. */
export function bankOrderDeliveriesOf(actorId: string, event: BankOrderEvent): Delivery[] {
  const back = (message: BankOrderMessage) => tell(actorId, message);
  switch (event.type) {
    case 'order_created': {
      const { order } = event.data;
      if (!holdsFirst(order.payload)) return [submitDelivery(actorId, order)];
      // Money leaving the depository (a withdrawal, a refund, a conversion's source) is held in the wallet first.
      const { account, amount, transferId, kind, draw } = order.payload;
      const held = amount + feeOf(order.payload);
      return [
        transferDelivery(
          transferId,
          { debit: account, credit: bankSettlementAccount(orderCurrency(order.payload)), amount: held, pending: true, timeoutMs: null, memo: `${kind} ${order.orderNo}`, ...(draw === undefined ? {} : { draw }) },
          { accepted: back({ type: 'hold_placed' }), refused: (code, detail) => back({ type: 'hold_refused', data: { code, detail } }) },
        ),
      ];
    }
    case 'withdrawal_hold_placed':
    case 'order_resubmitted':
      return [submitDelivery(actorId, event.data.order)];
    case 'order_query_sent': {
      const query: BankEndpointMessage = { type: 'query', data: { orderNo: event.data.orderNo } };
      return [{ to: bankEndpointId, message: query, onRefused: null, onAccepted: (value) => queryAnswerDelivery(actorId, value as BankOrderStatusAnswer) }];
    }
    case 'order_completed':
      return [...postingsOf(actorId, event.data.order, event.data.result), ...notifyOrigin(event.data.order, event.data.result.outcome, event.data.result)];
    case 'order_refused': {
      const { order, code, detail } = event.data;
      return notifyOrigin(order, 'failed', { code, detail, bankTxnId: null });
    }
    case 'order_accepted':
    case 'order_result_conflict':
    case 'order_posting_refused':
      return [];
    default:
      return assertNever(event, 'bank order event');
  }
}

function submitDelivery(actorId: string, order: BankOrder): Delivery {
  const submit: BankEndpointMessage = { type: 'submit', data: { order } };
  return {
    to: bankEndpointId,
    message: submit,
    onAccepted: () => tell(actorId, { type: 'submission_accepted' } satisfies BankOrderMessage),
    onRefused: (code, detail) => tell(actorId, { type: 'submission_refused', data: { code, detail } } satisfies BankOrderMessage),
  };
}

/** The sweep's answer: a result completes the order; "no such order" sends it again; "processing" waits. */
function queryAnswerDelivery(actorId: string, answer: BankOrderStatusAnswer): Delivery | null {
  switch (answer.status) {
    case 'succeeded':
    case 'failed': {
      const { code, detail, bankTxnId, completedAt, currency } = answer;
      return tell(actorId, { type: 'bank_result', data: { outcome: answer.status, code, detail, bankTxnId, completedAt, via: 'query', ...(currency === undefined ? {} : { currency }) } } satisfies BankOrderMessage);
    }
    case 'not_found':
      return tell(actorId, { type: 'missing_at_bank' } satisfies BankOrderMessage);
    case 'processing':
      return null;
    default:
      return assertNever(answer.status, 'bank status');
  }
}

/** The ledger side of a result: a deposit credits the wallet; a withdrawal's hold is posted or voided. Against the settlement account of the order's currency. */
function postingsOf(actorId: string, order: BankOrder, result: BankResult): Delivery[] {
  const refused = (code: string, detail: string) => tell(actorId, { type: 'posting_refused', data: { code, detail } } satisfies BankOrderMessage);
  const { payload } = order;
  switch (payload.kind) {
    case 'deposit':
      if (result.outcome !== 'succeeded') return [];
      return [
        transferDelivery(
          payload.transferId,
          { debit: bankSettlementAccount(orderCurrency(payload)), credit: payload.account, amount: payload.amount, pending: false, timeoutMs: null, memo: `deposit ${order.orderNo}`, ...(payload.nature === undefined ? {} : { nature: payload.nature }) },
          { accepted: null, refused },
        ),
      ];
    case 'withdrawal':
    case 'refund': {
      if (result.outcome !== 'succeeded') return [voidPendingDelivery(payload.account, payload.transferId)];
      // The fee left with the amount (held together); at the bank it went to the platform's revenue account.
      const fee = feeOf(payload);
      const toRevenue = { debit: systemAccounts.bank, credit: systemAccounts.revenue, amount: fee, pending: false, timeoutMs: null, memo: `withdrawal fee ${order.orderNo}` };
      return [postPendingDelivery(payload.account, payload.transferId, refused), ...(fee > 0n ? [transferDelivery(`${payload.transferId}.fee`, toRevenue, { accepted: null, refused: () => null })] : [])];
    }
    case 'conversion':
      return conversionPostings(order, result, refused);
    case 'open_account':
    case 'disbursement':
    case 'repayment':
    case 'transfer':
      return [];
    default:
      return assertNever(payload, 'bank order payload');
  }
}

/**
 * The bank converted: the source hold is posted (its money left at the bank in its currency)
 * and the target is credited from the target currency's settlement account (the money the
 * bank paid in). The bank declined: the hold is voided, nothing moved.
 */
function conversionPostings(order: BankOrder, result: BankResult, refused: (code: string, detail: string) => Delivery): Delivery[] {
  const { payload } = order;
  if (payload.kind !== 'conversion') return [];
  if (result.outcome !== 'succeeded') return [voidPendingDelivery(payload.account, payload.transferId)];
  const credit = { debit: bankSettlementAccount(payload.toCurrency), credit: payload.toAccount, amount: payload.toAmount, pending: false, timeoutMs: null, memo: `conversion ${order.orderNo} at ${payload.rate}` };
  return [postPendingDelivery(payload.account, payload.transferId, refused), transferDelivery(payload.toTransferId, credit, { accepted: null, refused })];
}

function notifyOrigin(order: BankOrder, outcome: 'succeeded' | 'failed', result: { code: string | null; detail: string | null; bankTxnId: string | null }): Delivery[] {
  if (order.origin === null) return [];
  const data: BankOrderResultData = { orderNo: order.orderNo, outcome, code: result.code, detail: result.detail, bankTxnId: result.bankTxnId };
  return [tell(order.origin, { type: 'bank_order_result', data })];
}

/** A withdrawal's fee (0 for any other order, or none configured). */
function feeOf(payload: BankOrder['payload']): bigint {
  return payload.kind === 'withdrawal' ? (payload.fee ?? 0n) : 0n;
}
