import { Decimal } from 'decimal.js';
import { assert, reject, type Rejection } from '../rejection.js';
import { scaleOf, type Currency } from './currency.js';

/** Largest amount fundcore accepts in one command, in minor units (10^18). */
export const amountMinorMax = 10n ** 18n;

/** Longest decimal string we even look at; anything longer is refused before parsing. */
const amountTextLengthMax = 40;

/**
 * decimal.js at enough significant digits for any text we accept (its default, 20, rounds a
 * 27-digit amount, which made the cross-check below throw: a 500 on a long amount).
 */
const ExactDecimal = Decimal.clone({ precision: amountTextLengthMax + 10, rounding: Decimal.ROUND_DOWN });

/** Plain decimal notation only: no sign, no exponent, no spaces, no thousands separators. */
const plainDecimal = /^-?(\d+)(?:\.(\d+))?$/;

export type AmountRejectionCode =
  | 'amount_invalid_format'
  | 'amount_too_precise'
  | 'amount_must_be_positive'
  | 'amount_too_large';

export interface ParseAmountOptions {
  /** Accept 0 (e.g. a posting of nothing). Default false. */
  readonly allowZero?: boolean;
  /** Accept negative amounts. Default false. */
  readonly allowNegative?: boolean;
}

export type ParsedAmount = { readonly ok: true; readonly minor: bigint } | ({ readonly ok: false } & Rejection<AmountRejectionCode>);

function refuse(code: AmountRejectionCode, detail: string): ParsedAmount {
  return { ok: false, ...reject(code, detail) };
}

/**
 * Parses a decimal string ("1234.56") into bigint minor units of `currency`.
 * Checks, in this order: format, precision (decimals beyond the currency's scale),
 * sign (negative / zero unless allowed), magnitude (beyond 10^18 minor units).
 */
export function parseAmount(text: unknown, currency: Currency, options: ParseAmountOptions = {}): ParsedAmount {
  return parseAmountAtScale(text, scaleOf(currency), currency, options);
}

/** parseAmount for a currency named only by its scale (a statement's, in any ISO 4217 currency). */
export function parseAmountAtScale(text: unknown, scale: number, currency: string, options: ParseAmountOptions = {}): ParsedAmount {
  if (typeof text !== 'string' || text.length === 0 || text.length > amountTextLengthMax) {
    return refuse('amount_invalid_format', 'an amount is a decimal string such as "1234.56"');
  }
  const match = plainDecimal.exec(text);
  if (match === null) {
    return refuse('amount_invalid_format', `"${text}" is not a plain decimal number (no exponent, sign or spaces)`);
  }
  const decimals = match[2]?.length ?? 0;
  if (decimals > scale) {
    return refuse('amount_too_precise', `${currency} amounts have at most ${scale} decimal places, got ${decimals}`);
  }
  const minor = toMinor(text, match[1] ?? '0', match[2] ?? '', scale);
  if (minor < 0n && options.allowNegative !== true) {
    return refuse('amount_must_be_positive', 'the amount must be greater than zero');
  }
  if (minor === 0n && options.allowZero !== true) {
    return refuse('amount_must_be_positive', 'the amount must be greater than zero');
  }
  if (minor > amountMinorMax || minor < -amountMinorMax) {
    return refuse('amount_too_large', `the amount exceeds 10^18 minor units of ${currency}`);
  }
  return { ok: true, minor };
}

/**
 * Shifts the decimal point by the scale. The format is already checked (plain digits,
 * decimals ≤ scale), so the shift is exact string arithmetic; decimal.js confirms it for
 * long inputs, where a mistake would cost the most.
 */
function toMinor(text: string, whole: string, fraction: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  const minor = negative ? -digits : digits;
  if (text.length > 15) {
    const checked = BigInt(new ExactDecimal(text).times(new ExactDecimal(10).pow(scale)).toFixed(0));
    assert(checked === minor, `amount arithmetic disagrees for ${text}`);
  }
  return minor;
}

/** Formats bigint minor units as a decimal string with exactly the currency's scale. */
export function formatAmount(minor: bigint, currency: Currency): string {
  return formatAmountAtScale(minor, scaleOf(currency));
}

/** formatAmount for a currency named only by its scale. */
export function formatAmountAtScale(minor: bigint, scale: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale === 0 ? '' : `.${digits.slice(digits.length - scale)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
