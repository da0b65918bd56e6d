import { currencyField, type BankOrderPayload } from '../../core/bank/bank-order.js';
import { sourceLegId, targetLegId, type Conversion } from '../../core/fx/conversion.js';
import { drawField, type Nature } from '../../core/ledger/nature.js';
import type { BankOrderResultData } from '../lending/messages.js';
import { bankOrderActorId, conversionOrderNo } from '../lending/ids.js';
import type { BankOrderMessage } from '../bank/messages.js';
import type { Delivery } from '../runtime/behavior.js';

/**
 * A conversion between two wallets held at the bank depository is the bank's to make: one
 * bank order (`fx-<id>`) that holds the source amount in its wallet, asks the bank to take
 * it in the source currency and pay the target in the other, and on the bank's result posts
 * the hold and credits the target from the target currency's settlement account (or voids
 * the hold). The legs keep the conversion's transfer ids; the order tells the conversion
 * (its origin) how it ended. The draw is the conversion strategy's, fixed with the order;
 * that strategy can only be withdrawable money (core/ledger/payment-strategy.ts), so an order
 * asked again after a restart under another configuration is still the same order.
 */
export function conversionOrderPayload(c: Conversion, convertDraw: readonly Nature[]): BankOrderPayload {
  return {
    kind: 'conversion',
    account: c.fromAccount,
    amount: c.amount,
    transferId: sourceLegId(c.id),
    ...currencyField(c.fromCurrency),
    toAccount: c.toAccount,
    toAmount: c.toAmount,
    toCurrency: c.toCurrency,
    toTransferId: targetLegId(c.id),
    rate: c.rate,
    ...drawField(convertDraw),
  };
}

/** The bank order's creation, asked at least once; refused (it cannot be made), the conversion fails. */
export function conversionOrderDelivery(actorId: string, c: Conversion, convertDraw: readonly Nature[], answered: (data: { accepted: boolean; code: string | null; detail: string | null }) => Delivery): Delivery {
  const orderNo = conversionOrderNo(c.id);
  const create: BankOrderMessage = { type: 'create_order', data: { orderNo, payload: conversionOrderPayload(c, convertDraw), origin: actorId } };
  return { to: bankOrderActorId(orderNo), message: create, onAccepted: () => null, onRefused: (code, detail) => answered({ accepted: false, code, detail }) };
}

/** The order's result, as its origin hears it (the hold refused, or the bank's outcome). */
export function bankAnswerOf(data: BankOrderResultData): { accepted: boolean; code: string | null; detail: string | null } {
  return { accepted: data.outcome === 'succeeded', code: data.code, detail: data.detail };
}
