import { Decimal } from 'decimal.js';
import type { RoundingMode } from './product.js';

/**
 * The schedule's own Decimal: 50 significant digits, so (1 + i)^n over 60 periods and amounts
 * up to 10^18 minor units keep every digit that can reach a cent.
 */
export const ScheduleDecimal = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
export type ScheduleDecimal = InstanceType<typeof ScheduleDecimal>;

const decimalRoundingOf: Record<RoundingMode, Decimal.Rounding> = {
  half_even: Decimal.ROUND_HALF_EVEN,
  half_up: Decimal.ROUND_HALF_UP,
  down: Decimal.ROUND_DOWN,
};

/** `value` (in minor units) rounded to a multiple of `multipleMinor` minor units with `mode`. */
export function roundMinor(value: Decimal, mode: RoundingMode, multipleMinor = 1n): bigint {
  const units = new ScheduleDecimal(value).div(multipleMinor.toString()).toDecimalPlaces(0, decimalRoundingOf[mode]);
  return BigInt(units.toFixed(0)) * multipleMinor;
}
