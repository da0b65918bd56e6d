/**
 * Currencies fundcore books, with the number of decimal places of their minor unit
 * (ISO 4217 exponent). CNY is the platform's home currency.
 */
const scaleByCurrency = {
  CNY: 2,
  USD: 2,
  EUR: 2,
  HKD: 2,
  JPY: 0,
  KWD: 3,
} as const;

export type Currency = keyof typeof scaleByCurrency;

export const defaultCurrency: Currency = 'CNY';

export const currencies = Object.keys(scaleByCurrency) as Currency[];

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && Object.hasOwn(scaleByCurrency, value);
}

export function scaleOf(currency: Currency): number {
  return scaleByCurrency[currency];
}
