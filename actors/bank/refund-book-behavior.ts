import { refundBookDecider, type RefundBookCommand, type RefundBookEvent, type RefundBookRejectionCode, type RefundBookState } from '../../core/bank/refund-book.js';
import { assertNever } from '../../core/rejection.js';
import type { BankOrderResultData } from '../lending/messages.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';

export type RefundBookMessage =
  | { readonly type: 'reserve_refund'; readonly data: Extract<RefundBookCommand, { type: 'reserve_refund' }>['data'] }
  /** A refund's bank order ended (told by the order, the book being its origin). */
  | { readonly type: 'bank_order_result'; readonly data: BankOrderResultData }
  | { readonly type: 'get_refund_book' };

/** The refunds of one deposit: `rfb:<deposit id>`. */
export const refundBookActorId = (depositId: string) => `rfb:${depositId}`;

export const refundBookBehavior: ActorBehavior<RefundBookState, RefundBookEvent> = deciderBehavior<RefundBookState, RefundBookMessage, RefundBookCommand, RefundBookEvent, RefundBookRejectionCode, RefundBookState>({
  type: 'rfb',
  decider: refundBookDecider,
  isQuery: (message) => message.type === 'get_refund_book',
  query: (state) => ({ ok: true, value: state }),
  commandOf: (message) => {
    switch (message.type) {
      case 'reserve_refund':
        return { type: 'reserve_refund', data: message.data };
      case 'bank_order_result':
        return { type: 'refund_settled', data: { orderNo: message.data.orderNo, outcome: message.data.outcome } };
      case 'get_refund_book':
        throw new Error('get_refund_book is a query');
      default:
        return assertNever(message, 'refund book message');
    }
  },
});
