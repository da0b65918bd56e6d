import { assert, assertNever } from '../../rejection.js';
import type { RoundingMode } from './product.js';

/**
 * An exact non-negative rational num / den (den > 0). The schedule computes every amount as
 * one exact ratio of integers (balance × rate × days / (rate scale × 360), the annuity
 * P·R·(D+R)^n / (D·((D+R)^n − D^n)), …) and rounds once, where the amount is fixed: no
 * intermediate rounding, so a true half is always seen as a half.
 */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const decimalText = /^(\d+)(?:\.(\d+))?$/;

/** A plain decimal string ("0.0825") as the ratio 825 / 10000. */
export function ratioOfDecimal(text: string): Ratio {
  const match = decimalText.exec(text);
  assert(match !== null, `a rate is a plain decimal string, got ${text}`);
  const decimals = match[2] ?? '';
  return { num: BigInt(`${match[1]}${decimals}`), den: 10n ** BigInt(decimals.length) };
}

/** num / den rounded with `mode` to a multiple of `multiple` (in the same units). */
export function roundRatio({ num, den }: Ratio, mode: RoundingMode, multiple = 1n): bigint {
  assert(num >= 0n && den > 0n && multiple > 0n, 'rounding a non-negative ratio to a positive multiple');
  const divisor = den * multiple;
  const quotient = num / divisor;
  const twiceRest = (num % divisor) * 2n;
  switch (mode) {
    case 'down':
      return quotient * multiple;
    case 'half_up':
      return (twiceRest >= divisor ? quotient + 1n : quotient) * multiple;
    case 'half_even':
      return (twiceRest > divisor || (twiceRest === divisor && quotient % 2n === 1n) ? quotient + 1n : quotient) * multiple;
    default:
      return assertNever(mode, 'rounding mode');
  }
}
