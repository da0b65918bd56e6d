import { Decimal } from 'decimal.js';
import { reject, type Rejection } from '../../rejection.js';
import { lendingLimits } from '../limits.js';

const plainDecimal = /^\d+(?:\.(\d+))?$/;

export type ParsedRate = { readonly ok: true; readonly rate: string } | ({ readonly ok: false } & Rejection<'annual_rate_invalid' | 'annual_rate_out_of_range'>);

/**
 * An annual rate as a decimal string ("0.0825" = 8.25 % a year): plain notation, at most
 * 6 decimals, in (0, 0.36]. Returns its canonical form (no trailing zeros), so "0.08250"
 * and "0.0825" name the same loan content.
 */
export function parseAnnualRate(text: string): ParsedRate {
  const match = plainDecimal.exec(text);
  if (text.length > 20 || match === null) return { ok: false, ...reject('annual_rate_invalid', `"${text}" is not a plain decimal rate such as "0.0825"`) };
  if ((match[1]?.length ?? 0) > lendingLimits.annualRateDecimalsMax) {
    return { ok: false, ...reject('annual_rate_invalid', `a rate has at most ${lendingLimits.annualRateDecimalsMax} decimals`) };
  }
  const rate = new Decimal(text);
  if (rate.lte(0) || rate.gt(lendingLimits.annualRateMax)) {
    return { ok: false, ...reject('annual_rate_out_of_range', `an annual rate is above 0 and at most ${lendingLimits.annualRateMax}`) };
  }
  return { ok: true, rate: rate.toFixed() };
}
