import { quoted, StatementError } from './statement-error.js';

/** One :61: statement line, split by the field's grammar; values are still text. */
export interface StatementLine {
  /** YYMMDD. */
  readonly valueDate: string;
  /** MMDD, when given. */
  readonly entryDate: string | null;
  /** C, D, or RC / RD: the reversal of a credit / debit. */
  readonly mark: 'C' | 'D' | 'RC' | 'RD';
  /** The third letter of the currency code, when given. */
  readonly fundsCode: string | null;
  /** Decimal comma: "10,45", "9,". */
  readonly amount: string;
  /** N, F or S and three characters (NTRF, FCHK, S103); null when the line leaves it out. */
  readonly transactionType: string | null;
  /** The account owner's reference; null for NONREF. */
  readonly customerReference: string | null;
  readonly bankReference: string | null;
  /** The optional 34x line after the field's first line. */
  readonly supplementary: string | null;
}

/** Value date, entry date, mark, funds code, amount — then the rest: type, references. */
const head = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d[\d,]{0,14})(.*)$/;
const transactionType = /^[NFS][A-Z0-9]{3}/;

/**
 * Reads a :61: field by its SWIFT grammar (MT940, field 61):
 * `6!n[4!n]2a[1!a]15d1!a3!c16x[//16x][CrLf34x]` — value date, optional entry date, D/C/RC/RD,
 * optional funds code, amount, transaction type (N, F or S + 3 characters: `S103` is a SWIFT
 * message type), customer reference (NONREF when none), optional `//` bank reference,
 * optional supplementary details on the next line. A line whose type is missing and whose
 * reference is NONREF (`C10,45NONREF`, seen in the wild) is read as having no type, never as
 * type `NONR` with reference `EF`.
 */
export function readStatementLine(value: string, where: string): StatementLine {
  const [first = '', ...more] = value.split('\n');
  const match = head.exec(first);
  if (match === null) throw new StatementError('statement_unreadable', `${where}: ${quoted(first)} is not value date, D/C mark and amount`);
  const rest = match[6] ?? '';
  const typed = rest.startsWith('NONREF') ? null : (transactionType.exec(rest)?.[0] ?? null);
  if (typed === null && !rest.startsWith('NONREF')) {
    throw new StatementError('statement_unreadable', `${where}: ${quoted(rest)} does not start with a transaction type (N, F or S and three characters)`);
  }
  const references = typed === null ? rest : rest.slice(4);
  const slashes = references.indexOf('//');
  const customer = (slashes === -1 ? references : references.slice(0, slashes)).trim();
  const bank = slashes === -1 ? '' : references.slice(slashes + 2).trim();
  const supplementary = more.join(' ').trim();
  return {
    valueDate: match[1] as string,
    entryDate: match[2] ?? null,
    mark: match[3] as StatementLine['mark'],
    fundsCode: match[4] ?? null,
    amount: match[5] as string,
    transactionType: typed,
    customerReference: customer === '' || customer === 'NONREF' ? null : customer,
    bankReference: bank === '' ? null : bank,
    supplementary: supplementary === '' ? null : supplementary,
  };
}
