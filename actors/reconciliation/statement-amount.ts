import { isBusinessDate } from '../../core/calendar/business-date.js';
import { parseAmountAtScale } from '../../core/money/amount.js';
import { minorUnitExponentOf } from '../../core/money/iso4217.js';
import type { CurrencyCode } from '../../core/reconciliation/statement.js';
import { quoted, StatementError } from './statement-error.js';

export { StatementError, statementErrorCodes } from './statement-error.js';

/** An ISO 4217 code; anything else is statement_currency_unknown. */
export function currencyOf(text: unknown, where: string): CurrencyCode {
  if (minorUnitExponentOf(text) === null) throw new StatementError('statement_currency_unknown', `${where}: currency ${quoted(text)} is no ISO 4217 code`);
  return text as CurrencyCode;
}

/** An unsigned statement amount ("1234.56", or MT940's "1234,56" / "9,") to minor units, exactly. */
export function statementAmount(text: unknown, currency: CurrencyCode, where: string, decimalSeparator: '.' | ',' = '.'): bigint {
  if (typeof text !== 'string') throw new StatementError('statement_amount_invalid', `${where}: no amount`);
  let plain = text.trim();
  if (decimalSeparator === ',') {
    if (plain.includes('.')) throw new StatementError('statement_amount_invalid', `${where}: ${quoted(text)} mixes separators`);
    plain = plain.replace(',', '.');
  }
  if (plain.endsWith('.')) plain = plain.slice(0, -1);
  const parsed = parseAmountAtScale(plain, minorUnitExponentOf(currency) ?? 2, currency, { allowZero: true });
  if (!parsed.ok) throw new StatementError('statement_amount_invalid', `${where}: ${quoted(text)} — ${parsed.detail}`);
  return parsed.minor;
}

/** A statement's date, YYYY-MM-DD and a real day (2024-13-45 is refused, never rolled over). */
export function statementDate(text: string | null | undefined, where: string): string {
  if (!isBusinessDate(text)) throw new StatementError('statement_unreadable', `${where}: date ${quoted(text ?? '')} is not a day YYYY-MM-DD`);
  return text;
}
