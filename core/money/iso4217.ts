/**
 * ISO 4217 currency codes in use, with the exponent of their minor unit: what a bank
 * statement may be written in, whether or not fundcore books it (core/money/currency.ts).
 * Source: the ISO 4217 list one (current currency and funds), maintained by SIX on behalf of
 * ISO. Codes not listed with another exponent have 2.
 */
const exponentOther: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

const exponentTwo = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW ' +
  'CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS ' +
  'INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN ' +
  'NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC ' +
  'SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG'
).split(' ');

const exponentByCode: ReadonlyMap<string, number> = new Map([...exponentTwo.map((code) => [code, 2] as const), ...Object.entries(exponentOther)]);

/** The number of decimal places of the currency's minor unit, or null for no ISO 4217 code. */
export function minorUnitExponentOf(code: unknown): number | null {
  return typeof code === 'string' ? (exponentByCode.get(code) ?? null) : null;
}
