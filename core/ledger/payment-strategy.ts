import { isNature, type Nature } from './nature.js';

/**
 * Payment strategies (支付策略): per operation that debits a wallet, the natures of money it
 * may draw and in which order. Configuration (FUNDCORE_PAYMENT_STRATEGIES), so a new use of
 * money is a setting, not code. The natures' own meaning bounds any configuration: refund-only
 * money leaves only by a refund along its original path, and spend-only money only by being
 * spent — were either drawn by an investment, a withdrawal or a conversion, it would come back
 * as withdrawable money (principal, cash, another currency).
 */
export const paymentOperations = ['invest', 'withdraw', 'refund', 'spend', 'repay', 'convert'] as const;

export type PaymentOperation = (typeof paymentOperations)[number];

export type PaymentStrategies = Readonly<Record<PaymentOperation, readonly Nature[]>>;

/** The seed's rules: only withdrawable money buys investments and is withdrawn; a consumer quota is spent first. */
export const defaultPaymentStrategies: PaymentStrategies = {
  invest: ['withdrawable'],
  withdraw: ['withdrawable'],
  refund: ['refund_only', 'withdrawable'],
  spend: ['spend_only', 'withdrawable'],
  repay: ['withdrawable'],
  convert: ['withdrawable'],
};

/** The one operation each nature but withdrawable may leave a wallet by. */
const onlyOperationOf: Readonly<Partial<Record<Nature, PaymentOperation>>> = { refund_only: 'refund', spend_only: 'spend' };

function isPaymentOperation(value: string): value is PaymentOperation {
  return (paymentOperations as readonly string[]).includes(value);
}

/**
 * `invest=withdrawable;spend=spend_only,withdrawable` — the operations named replace their
 * defaults, the others keep them. A problem is returned as a sentence naming it.
 */
export function parsePaymentStrategies(text: string): PaymentStrategies | string {
  const strategies: Record<PaymentOperation, readonly Nature[]> = { ...defaultPaymentStrategies };
  const seen = new Set<string>();
  for (const entry of text.split(';').map((part) => part.trim()).filter((part) => part !== '')) {
    const [operation = '', list = '', ...extra] = entry.split('=').map((part) => part.trim());
    if (!isPaymentOperation(operation)) return `"${operation}" is not an operation (${paymentOperations.join(', ')})`;
    if (extra.length > 0 || list === '') return `${operation}: write ${operation}=nature,nature`;
    if (seen.has(operation)) return `${operation} is named twice`;
    seen.add(operation);
    const listed = list.split(',').map((part) => part.trim());
    const unknown = listed.find((nature) => !isNature(nature));
    if (unknown !== undefined) return `${operation}: "${unknown}" is not a nature (withdrawable, refund_only, spend_only)`;
    const order = listed as Nature[];
    if (new Set(order).size !== order.length) return `${operation}: a nature is listed twice`;
    const misused = order.find((nature) => (onlyOperationOf[nature] ?? operation) !== operation);
    if (misused !== undefined) return `${operation} may not draw ${misused} money: it leaves a wallet only by ${onlyOperationOf[misused]}`;
    strategies[operation] = order;
  }
  return strategies;
}
