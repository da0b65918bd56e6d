import { parse } from 'csv-parse/sync';
import type { Balance, Direction, EntryStatus, Statement, StatementEntry } from '../../core/reconciliation/statement.js';
import { currencyOf, statementAmount, statementDate, StatementError } from './statement-amount.js';
import { bounded, quoted } from './statement-error.js';
import { referenceAmong } from '../../core/reconciliation/order-reference.js';

/** Which CSV column holds what (header names). Direction comes from its own column or the amount's sign. */
export interface CsvColumnMap {
  readonly reference: string;
  readonly instruction?: string;
  readonly account?: string;
  readonly amount: string;
  readonly date: string;
  readonly direction?: string;
  readonly currency?: string;
  readonly status?: string;
  readonly bankReference?: string;
  readonly description?: string;
}

export interface CsvOptions {
  readonly columns: CsvColumnMap;
  readonly currency: string;
  readonly delimiter?: string;
  readonly decimalSeparator?: '.' | ',';
  readonly account?: string;
  readonly opening?: { readonly amount: string; readonly date: string };
  readonly closing?: { readonly amount: string; readonly date: string };
}

const credits = new Set(['c', 'cr', 'crdt', 'credit', 'in']);
const debits = new Set(['d', 'dr', 'dbit', 'debit', 'out']);

function isoDate(text: string, where: string): string {
  const t = text.trim();
  if (/^\d{4}-\d\d-\d\d/.test(t)) return statementDate(t.slice(0, 10), where);
  if (/^\d{8}$/.test(t)) return statementDate(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}`, where);
  throw new StatementError('statement_unreadable', `${where}: date ${quoted(text)} is not YYYY-MM-DD or YYYYMMDD`);
}

/**
 * Reads a CSV statement with a column map; amounts stay strings until parsed exactly. A file
 * with an account column (and no account given) is an export of several accounts: one
 * statement per account. Balances belong to one account, so they need one.
 */
export function parseCsv(text: string, options: CsvOptions): Statement[] {
  const currency = currencyOf(options.currency, 'CSV statement');
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, delimiter: options.delimiter ?? ',', bom: true }) as Record<string, string>[];
  } catch (error) {
    throw new StatementError('statement_unreadable', `malformed CSV: ${bounded((error as Error).message)}`);
  }
  const { columns } = options;
  const separator = options.decimalSeparator ?? '.';
  const entries = rows.map((row, index): StatementEntry => {
    const where = `CSV row ${index + 2}`;
    const cell = (name: string | undefined) => (name === undefined ? undefined : row[name]);
    const amountText = cell(columns.amount);
    if (amountText === undefined) throw new StatementError('statement_unreadable', `${where}: no column "${columns.amount}"`);
    const negative = amountText.trim().startsWith('-');
    // A row in another currency than the statement is read in its own: reconciliation reports it.
    const entryCurrency = currencyOf(cell(columns.currency)?.trim() || currency, where);
    const amountMinor = statementAmount(amountText.trim().replace(/^[-+]/, ''), entryCurrency, where, separator);
    const directionText = cell(columns.direction)?.toLowerCase();
    let direction: Direction = negative ? 'debit' : 'credit';
    if (directionText !== undefined) {
      if (credits.has(directionText)) direction = 'credit';
      else if (debits.has(directionText)) direction = 'debit';
      else throw new StatementError('statement_unreadable', `${where}: direction ${quoted(directionText)} is not one of C, D, CR, DR, CRDT, DBIT, credit, debit, in, out`);
    }
    const statusText = cell(columns.status)?.toLowerCase();
    const status: EntryStatus = statusText === undefined || ['booked', 'book', 'success', 'succeeded'].includes(statusText) ? 'booked' : statusText.startsWith('p') ? 'pending' : 'info';
    const dateText = cell(columns.date);
    if (dateText === undefined) throw new StatementError('statement_unreadable', `${where}: no column "${columns.date}"`);
    const reference = cell(columns.reference)?.trim();
    return {
      index,
      // A bank without a reference column of ours may still name the order in the description.
      reference: referenceAmong([reference === undefined || reference === '' ? null : reference], [cell(columns.description) ?? null]),
      instruction: cell(columns.instruction)?.trim() || null,
      account: cell(columns.account)?.trim() || options.account || 'unknown',
      bankReference: cell(columns.bankReference)?.trim() || null,
      amountMinor,
      currency: entryCurrency,
      direction,
      reversal: false,
      status,
      bookingDate: isoDate(dateText, where),
      bookingDateFrom: 'booking_date',
      valueDate: null,
      description: cell(columns.description) ?? null,
      transactions: [],
    };
  });
  const balance = (b: { amount: string; date: string } | undefined, name: string): Balance | null => {
    if (b === undefined) return null;
    const negative = b.amount.trim().startsWith('-');
    const minor = statementAmount(b.amount.trim().replace(/^[-+]/, ''), currency, `CSV ${name} balance`, separator);
    return { amountMinor: negative ? -minor : minor, date: isoDate(b.date, `CSV ${name} balance`) };
  };
  const opening = balance(options.opening, 'opening');
  const closing = balance(options.closing, 'closing');
  const accounts = [...new Set(entries.map((entry) => entry.account))].sort();
  if (options.account !== undefined || accounts.length <= 1) {
    const account = options.account ?? accounts[0] ?? 'unknown';
    return [{ format: 'csv', id: `csv-${account}`, account, currency, opening, closing, period: null, entries }];
  }
  if (opening !== null || closing !== null) {
    throw new StatementError('statement_unreadable', `the CSV holds ${accounts.length} accounts; opening and closing balances need one (give csv.account)`);
  }
  return accounts.map((account) => ({
    format: 'csv' as const,
    id: `csv-${account}`,
    account,
    currency,
    opening: null,
    closing: null,
    period: null,
    entries: entries.filter((entry) => entry.account === account),
  }));
}
