import { amountMinorMax } from '../../core/money/amount.js';
import type { Direction } from '../../core/reconciliation/statement.js';
import { quoted, StatementError } from './statement-error.js';
import { statementDate } from './statement-amount.js';

/** Reads a record's fields left to right; funds types decide how many fields follow them. */
export class FieldCursor {
  private at = 0;
  constructor(
    private readonly fields: readonly string[],
    readonly where: string,
  ) {}

  get done(): boolean {
    return this.at >= this.fields.length;
  }

  next(): string {
    return (this.fields[this.at++] ?? '').trim();
  }

  /** Everything left, commas and all (a 16's text). */
  rest(): string {
    const rest = this.fields.slice(this.at).join(',');
    this.at = this.fields.length;
    return rest.trim();
  }

  /**
   * A funds type and the fields it brings: S three amounts, V a value date and time, D a count
   * and that many day/amount pairs; 0, 1, 2, Z or blank nothing. Returns the value date of V.
   */
  fundsType(): string | null {
    const type = this.next();
    if (type === 'S') [this.next(), this.next(), this.next()];
    else if (type === 'V') {
      const date = this.next();
      this.next();
      return date === '' ? null : bai2Date(date, this.where);
    } else if (type === 'D') {
      const count = Number(this.next());
      if (!Number.isInteger(count) || count < 0 || count > 99) throw new StatementError('statement_unreadable', `${this.where}: distribution count ${quoted(count)}`);
      for (let i = 0; i < 2 * count; i++) this.next();
    } else if (!['', '0', '1', '2', 'Z'].includes(type)) throw new StatementError('statement_unreadable', `${this.where}: funds type ${quoted(type)} is none of 0, 1, 2, S, V, D, Z`);
    return null;
  }
}

/** A BAI2 amount: digits in minor units (no decimal point), a sign only on balances; blank is none. */
export function bai2Amount(text: string, where: string, signed: boolean): bigint | null {
  if (text === '') return null;
  const match = (signed ? /^([+-]?)(\d{1,19})$/ : /^()(\d{1,19})$/).exec(text);
  const minor = match === null ? null : BigInt(match[2] as string);
  if (minor === null || minor > amountMinorMax) throw new StatementError('statement_amount_invalid', `${where}: amount ${quoted(text)} is not up to 10^18 minor units, digits only`);
  return match?.[1] === '-' ? -minor : minor;
}

/** YYMMDD, years 00–79 being 20xx (as in MT940). */
export function bai2Date(text: string, where: string): string {
  const match = /^(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (match === null) throw new StatementError('statement_unreadable', `${where}: date ${quoted(text)} is not YYMMDD`);
  const year = Number(match[1]) <= 79 ? 2000 + Number(match[1]) : 1900 + Number(match[1]);
  return statementDate(`${year}-${match[2]}-${match[3]}`, where);
}

/**
 * What a detail type code says of the money (BAI2 Appendix A, type code ranges): 100–399
 * credits, 400–699 debits, 920–959 customized credits, 960–999 customized debits; 890 is
 * information only. Anything else moves no money a statement line can carry.
 */
export function detailKind(typeCode: string, where: string): Direction | 'info' {
  const n = /^\d{3}$/.test(typeCode) ? Number(typeCode) : NaN;
  if ((n >= 100 && n <= 399) || (n >= 920 && n <= 959)) return 'credit';
  if ((n >= 400 && n <= 699) || n >= 960) return 'debit';
  if (n === 890) return 'info';
  throw new StatementError('statement_unreadable', `${where}: type code ${quoted(typeCode)} is no credit (100–399, 920–959) or debit (400–699, 960–999) detail`);
}

/** Status type codes (balances) are 001–099 and 900–919. */
export function isStatusCode(typeCode: string): boolean {
  const n = Number(typeCode);
  return /^\d{3}$/.test(typeCode) && ((n >= 1 && n <= 99) || (n >= 900 && n <= 919));
}
