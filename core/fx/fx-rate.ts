import { roundRatio } from '../lending/schedule/ratio.js';
import type { FxRounding } from './conversion.js';

const rateText = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,10})?$/;

/** A rate as an integer and a scale ("151.37" → 15137, 2); null for anything that is not a positive decimal of that shape. */
export function parseRate(text: string): { readonly units: bigint; readonly scale: number } | null {
  if (!rateText.test(text)) return null;
  const [whole, fraction = ''] = text.split('.');
  const units = BigInt(`${whole}${fraction}`);
  return units === 0n ? null : { units, scale: fraction.length };
}

/**
 * `amount` (source minor units, source scale `fromScale`) at `rate`, in target minor units
 * (scale `toScale`), rounded, with the exact residual (exact − rounded, in target minor
 * units, as a decimal string). Integer arithmetic throughout: nothing is lost but what the
 * rounding says.
 */
export function convertAmount(amount: bigint, rate: { units: bigint; scale: number }, fromScale: number, toScale: number, rounding: FxRounding): { readonly toAmount: bigint; readonly residual: string } {
  const numerator = amount * rate.units * 10n ** BigInt(toScale);
  const digits = fromScale + rate.scale;
  const denominator = 10n ** BigInt(digits);
  // The schedule's exact ratio, rounded once, as every amount fundcore computes.
  const toAmount = roundRatio({ num: numerator, den: denominator }, rounding);
  return { toAmount, residual: decimalOf(numerator - toAmount * denominator, digits) };
}

function decimalOf(value: bigint, digits: number): string {
  const sign = value < 0n ? '-' : '';
  const text = (value < 0n ? -value : value).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
