import type { Decider } from '../decider.js';
import { assertNever, reject, type Rejection } from '../rejection.js';
import type { ConversionCommand, ConversionEvent, ConversionRequest, ConversionState, PayBack } from './conversion.js';
import { initialConversionState } from './conversion.js';
import { amountMinorMax } from '../money/amount.js';
import { convertAmount, parseRate } from './fx-rate.js';
import type { FxRejectionCode } from './rejections.js';

type Decision = readonly ConversionEvent[] | Rejection<FxRejectionCode>;

/**
 * One conversion = one actor (`fx:<id>`): the request recorded with its rate and rounding,
 * then its two legs — on the ledger through the FX positions, or at the bank as one bank
 * order whose result it is told (`bank_answered`). A late or repeated answer changes nothing.
 */
export function decideConversion(state: ConversionState, command: ConversionCommand): Decision {
  switch (command.type) {
    case 'convert':
      return decideConvert(state, command.data);
    case 'source_leg_answered': {
      const c = state.conversion;
      if (state.status !== 'debiting' || c === null) return [];
      if (!command.data.accepted) return [failed(command.data, null)];
      return [{ type: 'source_leg_booked', data: { id: c.id, toAccount: c.toAccount, toCurrency: c.toCurrency, toAmount: c.toAmount } }];
    }
    case 'bank_answered':
      if (state.status !== 'at_bank') return [];
      return command.data.accepted ? [{ type: 'conversion_completed', data: {} }] : [failed(command.data, null)];
    case 'target_leg_answered': {
      const c = state.conversion;
      if (state.status !== 'crediting' || c === null) return [];
      // The target refused what the source paid: the source leg is paid back, the conversion fails.
      const payBack = { id: c.id, fromAccount: c.fromAccount, fromCurrency: c.fromCurrency, amount: c.amount };
      return command.data.accepted ? [{ type: 'conversion_completed', data: {} }] : [failed(command.data, payBack)];
    }
    default:
      return assertNever(command, 'conversion command');
  }
}

function failed(answer: { code: string | null; detail: string | null }, payBack: PayBack | null): ConversionEvent {
  return { type: 'conversion_failed', data: { code: answer.code ?? 'refused', detail: answer.detail ?? '', payBack } };
}

/**
 * convert, checked in this order:
 * 1. conversion_id_reused — the id names a conversion with other content
 * 2. the same content again → duplicate (answered with the conversion as it stands)
 * 3. conversion_same_currency — both accounts keep the same currency (that is a transfer)
 * 4. fx_rate_invalid — the rate is not a positive decimal (≤ 9 integer, ≤ 10 decimal digits)
 * 5. conversion_rounds_to_zero — the converted amount rounds to nothing
 * 6. amount_too_large — the converted amount is beyond what the ledger books (10^18 minor units)
 */
function decideConvert(state: ConversionState, data: Extract<ConversionCommand, { type: 'convert' }>['data']): Decision {
  const { request } = data;
  if (state.conversion !== null) return sameRequest(state.conversion, request) ? [] : reject('conversion_id_reused', `conversion ${request.id} was asked with other content`);
  if (request.fromCurrency === request.toCurrency) return reject('conversion_same_currency', `both accounts keep ${request.fromCurrency}: move it with a transfer`);
  const rate = parseRate(request.rate);
  if (rate === null) return reject('fx_rate_invalid', `rate ${request.rate} is not a positive decimal with at most 9 integer and 10 decimal digits`);
  const { toAmount, residual } = convertAmount(request.amount, rate, data.fromScale, data.toScale, request.rounding);
  if (toAmount <= 0n) return reject('conversion_rounds_to_zero', `${request.amount} minor units of ${request.fromCurrency} at ${request.rate} round to no ${request.toCurrency}`);
  if (toAmount > amountMinorMax) return reject('amount_too_large', `the converted amount ${toAmount} minor units of ${request.toCurrency} is beyond ${amountMinorMax}`);
  return [{ type: 'conversion_requested', data: { conversion: { ...request, toAmount, residual, requestedAt: data.at, ...(data.atBank ? { atBank: true } : {}) } } }];
}

function sameRequest(a: ConversionRequest, b: ConversionRequest): boolean {
  return a.fromAccount === b.fromAccount && a.toAccount === b.toAccount && a.amount === b.amount && a.rate === b.rate && a.rounding === b.rounding && a.fromCurrency === b.fromCurrency && a.toCurrency === b.toCurrency;
}

export function evolveConversion(state: ConversionState, event: ConversionEvent): ConversionState {
  switch (event.type) {
    case 'conversion_requested':
      return { conversion: event.data.conversion, status: event.data.conversion.atBank === true ? 'at_bank' : 'debiting', failure: null };
    case 'source_leg_booked':
      return { ...state, status: 'crediting' };
    case 'conversion_completed':
      return { ...state, status: 'completed' };
    case 'conversion_failed':
      return { ...state, status: 'failed', failure: { code: event.data.code, detail: event.data.detail } };
    default:
      return assertNever(event, 'conversion event');
  }
}

export const conversionDecider: Decider<ConversionState, ConversionCommand, ConversionEvent, FxRejectionCode, ConversionState> = {
  initialState: initialConversionState,
  decide: decideConversion,
  evolve: evolveConversion,
  reply: (after) => after,
};
