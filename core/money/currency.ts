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
  GBP: 2,
  CHF: 2,
  SGD: 2,
  AUD: 2,
  CAD: 2,
  KRW: 0,
  TWD: 2,
  MOP: 2,
  BHD: 3,
  OMR: 3,
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

/**
 * The currencies a node books (FUNDCORE_CURRENCIES): any of the table above, each with its
 * ISO 4217 minor unit. The platform's home currency is always one.
 */
export function parseCurrencies(text: string): Currency[] | string {
  const codes = text.split(',').map((code) => code.trim()).filter((code) => code !== '');
  const unknown = codes.filter((code) => !isCurrency(code));
  if (unknown.length > 0) return `unknown currencies ${unknown.join(', ')} (known: ${currencies.join(', ')})`;
  return [...new Set([defaultCurrency, ...(codes as Currency[])])];
}
