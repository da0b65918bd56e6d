import { roundRatio } from '../lending/schedule/ratio.js';
import { parseAmount } from '../money/amount.js';
import type { Currency } from '../money/currency.js';

/** How a percentage fee is rounded to the minor unit. */
export const feeRoundings = ['half_even', 'half_up', 'down', 'up'] as const;
export type FeeRounding = (typeof feeRoundings)[number];

/**
 * A fee (清分规则) as configured, in minor units: a percentage of what it is charged on
 * (`rate`, a decimal fraction: "0.10" = 10 %) and/or a fixed amount, then held within
 * [min, max] and never above what it is charged on. Kept by what it applies to (a loan's
 * product, a withdrawal's order) when that is created: a new configuration touches only
 * what comes after.
 */
export interface FeeRule {
  /** Units and scale of the rate ("0.10" → 10, 2); null: no percentage. */
  readonly rate: { readonly units: bigint; readonly scale: number; readonly text: string } | null;
  readonly fixedMinor: bigint;
  readonly minMinor: bigint;
  readonly maxMinor: bigint | null;
  readonly rounding: FeeRounding;
}

/** The fee on `base` (minor units): never negative, never more than `base`. */
export function feeOf(rule: FeeRule, base: bigint): bigint {
  if (base <= 0n) return 0n;
  let fee = rule.fixedMinor;
  if (rule.rate !== null) fee += rounded(base * rule.rate.units, 10n ** BigInt(rule.rate.scale), rule.rounding);
  if (fee < rule.minMinor) fee = rule.minMinor;
  if (rule.maxMinor !== null && fee > rule.maxMinor) fee = rule.maxMinor;
  return fee > base ? base : fee;
}

/** The exact ratio rounded once (the schedule's rounding; `up` is the ceiling, which fees alone use). */
function rounded(numerator: bigint, denominator: bigint, rounding: FeeRounding): bigint {
  if (rounding !== 'up') return roundRatio({ num: numerator, den: denominator }, rounding);
  return numerator % denominator === 0n ? numerator / denominator : numerator / denominator + 1n;
}

const rateText = /^(0|[1-9][0-9]{0,2})(\.[0-9]{1,8})?$/;

/** A fee rule from configuration (`{rate?, fixed?, min?, max?, rounding?}`), or what is wrong with it. */
export function parseFeeRule(value: unknown, currency: Currency, where: string): FeeRule | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${where}: a fee is an object {rate?, fixed?, min?, max?, rounding?}`;
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !['rate', 'fixed', 'min', 'max', 'rounding'].includes(key));
  if (unknown.length > 0) return `${where}: unknown field ${unknown.join(', ')}`;
  const amount = (key: string): bigint | null | string => {
    if (fields[key] === undefined || fields[key] === null) return null;
    const parsed = parseAmount(fields[key], currency, { allowZero: true });
    return parsed.ok ? parsed.minor : `${where}.${key}: ${parsed.detail}`;
  };
  const [fixed, min, max] = [amount('fixed'), amount('min'), amount('max')];
  for (const v of [fixed, min, max]) if (typeof v === 'string') return v;
  const rate = fields.rate;
  if (rate !== undefined && (typeof rate !== 'string' || !rateText.test(rate))) return `${where}.rate: a decimal fraction such as "0.10" (10 %), at most 8 decimals`;
  if (rate === undefined && fixed === null) return `${where}: a fee needs a rate, a fixed amount, or both`;
  const rounding = fields.rounding ?? 'half_even';
  if (!(feeRoundings as readonly unknown[]).includes(rounding)) return `${where}.rounding: one of ${feeRoundings.join(', ')}`;
  if (max !== null && min !== null && (max as bigint) < (min as bigint)) return `${where}: max is below min`;
  const [whole, fraction = ''] = typeof rate === 'string' ? rate.split('.') : ['0'];
  return {
    rate: typeof rate === 'string' ? { units: BigInt(`${whole}${fraction}`), scale: fraction.length, text: rate } : null,
    fixedMinor: (fixed as bigint | null) ?? 0n,
    minMinor: (min as bigint | null) ?? 0n,
    maxMinor: max as bigint | null,
    rounding: rounding as FeeRounding,
  };
}
