import fc from 'fast-check';
import t from 'tap';
import { initialConversionState, type ConversionCommand, type ConversionEvent, type ConversionRequest, type ConversionState } from '../../../core/fx/conversion.js';
import { conversionDecider, decideConversion, evolveConversion } from '../../../core/fx/decide-conversion.js';
import { convertAmount, parseRate } from '../../../core/fx/fx-rate.js';
import { isRejection } from '../../../core/rejection.js';

const usdToJpy: ConversionRequest = { id: 'c1', fromAccount: 'ann-usd', fromCurrency: 'USD', toAccount: 'ann-jpy', toCurrency: 'JPY', amount: 100_00n, rate: '151.37', rounding: 'half_even' };
const convert = (request: ConversionRequest, fromScale = 2, toScale = 0, atBank = false): ConversionCommand => ({ type: 'convert', data: { request, fromScale, toScale, at: 1_000, atBank } });
const atBank = (request: ConversionRequest) => convert(request, 2, 0, true);
const bankAnswer = (accepted: boolean, code: string | null = null): ConversionCommand => ({ type: 'bank_answered', data: { accepted, code, detail: code } });
const answer = (type: 'source_leg_answered' | 'target_leg_answered', accepted: boolean, code: string | null = null): ConversionCommand => ({ type, data: { accepted, code, detail: code } });

function given(...commands: ConversionCommand[]): ConversionState {
  return commands.reduce((state, command) => {
    const decision = decideConversion(state, command);
    if (isRejection(decision)) throw new Error(decision.code);
    return decision.reduce(evolveConversion, state);
  }, initialConversionState);
}

const rejection = (state: ConversionState, command: ConversionCommand) => {
  const decision = decideConversion(state, command);
  return isRejection(decision) ? decision.code : null;
};

t.test('convert: given nothing, when 100.00 USD at 151.37, then 15,137 JPY are asked for, the residual exact', async (t) => {
  const events = decideConversion(initialConversionState, convert(usdToJpy)) as ConversionEvent[];
  t.match(events, [{ type: 'conversion_requested', data: { conversion: { toAmount: 15_137n, residual: '0.0000', requestedAt: 1_000 } } }]);
  // 12.34 USD at 151.37 = 1,867.9058 JPY → 1,868 (half-even), residual −0.0942
  const odd = decideConversion(initialConversionState, convert({ ...usdToJpy, amount: 12_34n })) as ConversionEvent[];
  t.match(odd, [{ data: { conversion: { toAmount: 1_868n, residual: '-0.0942' } } }]);
});

t.test('convert refusals, in their order', async (t) => {
  const started = given(convert(usdToJpy));
  // 1. the id with other content
  t.equal(rejection(started, convert({ ...usdToJpy, amount: 1n, fromCurrency: 'USD', toCurrency: 'USD' })), 'conversion_id_reused');
  // 2. the same content: a duplicate (no event), answered with the conversion
  t.same(decideConversion(started, convert(usdToJpy)), []);
  // 3. the same currency on both sides, 4. a rate that is no positive decimal, 5. nothing after rounding
  t.equal(rejection(initialConversionState, convert({ ...usdToJpy, toCurrency: 'USD', rate: 'x' })), 'conversion_same_currency');
  for (const rate of ['0', '0.000', '-1', '1e3', '1,5', '1234567890', '1.12345678901', '']) t.equal(rejection(initialConversionState, convert({ ...usdToJpy, rate })), 'fx_rate_invalid', rate);
  t.equal(rejection(initialConversionState, convert({ ...usdToJpy, fromAccount: 'a-jpy', fromCurrency: 'JPY', toCurrency: 'USD', amount: 1n, rate: '0.0040' }, 0, 2)), 'conversion_rounds_to_zero');
  // 6. beyond what the ledger books: 10^16 USD cents at 999,999 JPY a dollar
  t.equal(rejection(initialConversionState, convert({ ...usdToJpy, amount: 10n ** 16n, rate: '999999' })), 'amount_too_large');
});

t.test('the legs: booked source then target → completed; a refused source → failed, nothing to pay back; a refused target → failed, the source paid back', async (t) => {
  const started = given(convert(usdToJpy));
  t.match(decideConversion(started, answer('source_leg_answered', true)), [{ type: 'source_leg_booked', data: { toAccount: 'ann-jpy', toCurrency: 'JPY', toAmount: 15_137n } }]);
  t.match(given(convert(usdToJpy), answer('source_leg_answered', true), answer('target_leg_answered', true)), { status: 'completed', failure: null });
  t.match(decideConversion(started, answer('source_leg_answered', false, 'insufficient_funds')), [{ type: 'conversion_failed', data: { code: 'insufficient_funds', payBack: null } }]);
  const crediting = given(convert(usdToJpy), answer('source_leg_answered', true));
  t.match(decideConversion(crediting, answer('target_leg_answered', false, 'account_closed')), [{ type: 'conversion_failed', data: { payBack: { fromAccount: 'ann-usd', fromCurrency: 'USD', amount: 100_00n } } }]);
  // An answer told twice (a redelivery) changes nothing
  t.same(decideConversion(crediting, answer('source_leg_answered', true)), []);
  t.same(decideConversion(given(convert(usdToJpy), answer('source_leg_answered', true), answer('target_leg_answered', true)), answer('target_leg_answered', false)), []);
  t.equal(conversionDecider.reply(crediting, answer('source_leg_answered', true), []), crediting);
});

t.test('at the bank: given two wallets held there, when converted, then the conversion waits for its bank order, completes or fails on its answer, once', async (t) => {
  // When: the request is recorded as the bank's to make
  t.match(decideConversion(initialConversionState, atBank(usdToJpy)), [{ type: 'conversion_requested', data: { conversion: { atBank: true, toAmount: 15_137n } } }]);
  const waiting = given(atBank(usdToJpy));
  t.equal(waiting.status, 'at_bank');
  t.notOk('atBank' in (given(convert(usdToJpy)).conversion ?? {}), 'a ledger conversion records no atBank (as before conversions could be at the bank)');
  // Then: the bank converted → completed; the hold or the bank refused → failed, nothing to pay back (the hold is voided by its order)
  t.match(given(atBank(usdToJpy), bankAnswer(true)), { status: 'completed', failure: null });
  t.match(decideConversion(waiting, bankAnswer(false, 'insufficient_funds')), [{ type: 'conversion_failed', data: { code: 'insufficient_funds', payBack: null } }]);
  t.match(given(atBank(usdToJpy), bankAnswer(false, 'bank_declined')), { status: 'failed', failure: { code: 'bank_declined' } });
  // A leg answer has no place at the bank, and an answer told twice or late changes nothing
  t.same(decideConversion(waiting, answer('source_leg_answered', true)), []);
  t.same(decideConversion(given(atBank(usdToJpy), bankAnswer(true)), bankAnswer(false)), []);
  t.same(decideConversion(given(convert(usdToJpy)), bankAnswer(true)), [], 'a ledger conversion ignores a bank answer');
  // The same request again (at the bank or not) is the same conversion: the first decision stands
  t.same(decideConversion(waiting, convert(usdToJpy)), []);
});

t.test('property: rounded + residual is exactly the amount at the rate; the residual is within the rounding\'s bound', async () => {
  const rateArb = fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 9_999 })).filter(([w, f]) => w + f > 0).map(([w, f]) => `${w}.${String(f).padStart(4, '0')}`);
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), rateArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('half_even', 'half_up', 'down'), (amount, rateText, fromScale, toScale, rounding) => {
      const rate = parseRate(rateText);
      if (rate === null) return false;
      const { toAmount, residual } = convertAmount(amount, rate, fromScale, toScale, rounding as 'half_even');
      const digits = fromScale + rate.scale;
      const residualUnits = BigInt(residual.replace('.', ''));
      // exact target minor units × 10^digits = amount × rate units × 10^toScale
      const exact = amount * rate.units * 10n ** BigInt(toScale);
      const half = 10n ** BigInt(digits);
      const within = rounding === 'down' ? residualUnits >= 0n && residualUnits < half : 2n * (residualUnits < 0n ? -residualUnits : residualUnits) <= half;
      return toAmount * half + residualUnits === exact && within;
    }),
  );
});
