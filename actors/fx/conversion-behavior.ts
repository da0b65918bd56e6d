import type { Nature } from '../../core/ledger/nature.js';
import { conversionDecider } from '../../core/fx/decide-conversion.js';
import {
  fxPositionAccount,
  payBackId,
  sourceLegId,
  targetLegId,
  type ConversionCommand,
  type ConversionEvent,
  type ConversionRequest,
  type ConversionState,
} from '../../core/fx/conversion.js';
import type { FxRejectionCode } from '../../core/fx/rejections.js';
import { assertNever } from '../../core/rejection.js';
import { tell, transferDelivery } from '../lending/ledger-deliveries.js';
import { conversionOrderNo } from '../lending/ids.js';
import type { BankOrderResultData } from '../lending/messages.js';
import { bankAnswerOf, conversionOrderDelivery } from './conversion-at-bank.js';
import type { ActorBehavior, Delivery } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { withFields } from '../../core/with-fields.js';

/** A leg's outcome, told back by the account that booked or refused it. */
interface LegAnswer {
  readonly accepted: boolean;
  readonly code: string | null;
  readonly detail: string | null;
}

export type ConversionMessage =
  | { readonly type: 'convert'; readonly data: { readonly request: ConversionRequest; readonly fromScale: number; readonly toScale: number; readonly atBank: boolean } }
  /** A conversion at the bank: its bank order's result (the order tells its origin). */
  | { readonly type: 'bank_order_result'; readonly data: BankOrderResultData }
  | { readonly type: 'source_leg_answered'; readonly data: LegAnswer }
  | { readonly type: 'target_leg_answered'; readonly data: LegAnswer }
  | { readonly type: 'get_conversion' };

export const conversionActorId = (id: string) => `fx:${id}`;

/**
 * One conversion = one actor (`fx:<id>`), a saga of two ledger legs through the platform's
 * FX position accounts: source account → `sys.fx.<source currency>`, then
 * `sys.fx.<target currency>` → target account. Each leg is an outbox delivery with an id
 * derived from the conversion's (a redelivery is a duplicate), answered back here and
 * journaled before the next step. A target that refuses gets the source leg paid back
 * (`fx.<id>.back`); nothing is left in the positions by a failed conversion. Between two
 * wallets held at the bank, the bank converts instead: one bank order (conversion-at-bank.ts).
 */
/** `convertDraw`: the natures a conversion may draw from a wallet (its payment strategy). */
export const conversionBehavior = (convertDraw: readonly Nature[]): ActorBehavior<ConversionState, ConversionEvent> => deciderBehavior<ConversionState, ConversionMessage, ConversionCommand, ConversionEvent, FxRejectionCode, ConversionState>({
  type: 'fx',
  decider: conversionDecider,
  isQuery: (message) => message.type === 'get_conversion',
  query: (state) => (state.conversion === null ? { ok: false, code: 'conversion_not_found', detail: 'no such conversion' } : { ok: true, value: state }),
  commandOf: (message, { at }) => commandOf(message, at),
  deliveriesOf: (actorId, event) => deliveriesOf(actorId, event, convertDraw),
});

function commandOf(message: ConversionMessage, at: number): ConversionCommand {
  switch (message.type) {
    case 'convert':
      return { type: 'convert', data: withFields(message.data, { at }) };
    case 'source_leg_answered':
    case 'target_leg_answered':
      return { type: message.type, data: message.data };
    case 'bank_order_result':
      return { type: 'bank_answered', data: bankAnswerOf(message.data) };
    case 'get_conversion':
      throw new Error('get_conversion is a query');
    default:
      return assertNever(message, 'conversion message');
  }
}

/** A leg as a ledger delivery whose outcome comes back to this actor as `answer`. */
function leg(actorId: string, id: string, debit: string, credit: string, amount: bigint, memo: string, answer: 'source_leg_answered' | 'target_leg_answered', draw?: readonly Nature[]): Delivery {
  const told = (data: LegAnswer) => tell(actorId, { type: answer, data } satisfies ConversionMessage);
  return transferDelivery(id, { debit, credit, amount, pending: false, timeoutMs: null, memo, ...(draw === undefined ? {} : { draw }) }, {
    accepted: told({ accepted: true, code: null, detail: null }),
    refused: (code, detail) => told({ accepted: false, code, detail }),
  });
}

function deliveriesOf(actorId: string, event: ConversionEvent, convertDraw: readonly Nature[]): Delivery[] {
  switch (event.type) {
    case 'conversion_requested': {
      const c = event.data.conversion;
      if (c.atBank === true) {
        // An order that cannot be made answers here as its refusal would: the conversion fails.
        const told = (data: LegAnswer) => tell(actorId, { type: 'bank_order_result', data: { orderNo: conversionOrderNo(c.id), outcome: data.accepted ? 'succeeded' : 'failed', code: data.code, detail: data.detail, bankTxnId: null } } satisfies ConversionMessage);
        return [conversionOrderDelivery(actorId, c, convertDraw, told)];
      }
      return [leg(actorId, sourceLegId(c.id), c.fromAccount, fxPositionAccount(c.fromCurrency), c.amount, `fx ${c.id}: ${c.fromCurrency} → ${c.toCurrency} at ${c.rate}`, 'source_leg_answered', convertDraw)];
    }
    case 'source_leg_booked': {
      const { id, toAccount, toCurrency, toAmount } = event.data;
      return [leg(actorId, targetLegId(id), fxPositionAccount(toCurrency), toAccount, toAmount, `fx ${id}`, 'target_leg_answered')];
    }
    case 'conversion_failed': {
      const back = event.data.payBack;
      if (back === null) return [];
      const content = { debit: fxPositionAccount(back.fromCurrency), credit: back.fromAccount, amount: back.amount, pending: false, timeoutMs: null, memo: `fx ${back.id}: paid back` };
      return [transferDelivery(payBackId(back.id), content, { accepted: null, refused: () => null })];
    }
    case 'conversion_completed':
      return [];
    default:
      return assertNever(event, 'conversion event');
  }
}
