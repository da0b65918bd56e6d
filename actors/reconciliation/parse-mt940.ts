import type { Balance, Statement, StatementEntry } from '../../core/reconciliation/statement.js';
import type { CurrencyCode } from '../../core/reconciliation/statement.js';
import { isBusinessDate } from '../../core/calendar/business-date.js';
import { currencyOf, statementAmount, StatementError, statementDate } from './statement-amount.js';
import { quoted } from './statement-error.js';
import { readStatementLine } from './mt940-statement-line.js';
import { referenceAmong } from '../../core/reconciliation/order-reference.js';

interface Field {
  readonly tag: string;
  readonly value: string;
}

/**
 * Reads SWIFT MT940 customer statements: one or more messages, with or without the
 * {1:}{2:}{4: … -} envelope. Amounts use a decimal comma ("3236,28", "9,"), never parsed as
 * floats; dates are YYMMDD (years 00–79 are 20xx); a :61: line's optional MMDD entry date
 * may fall in the next or previous year of its value date; :86: (and its continuation
 * lines) describes the :61: before it; an "EREF+" in :86: is the end-to-end reference.
 */
export function parseMt940(text: string): Statement[] {
  const messages = splitMessages(text);
  if (messages.length === 0) throw new StatementError('statement_unreadable', 'no MT940 message (no :20: field)');
  return messages.map((fields, index) => readMessage(fields, index));
}

/** Fields of each message; a line that does not start a tag continues the last one. */
function splitMessages(text: string): Field[][] {
  const messages: Field[][] = [];
  let fields: Field[] = [];
  let last: { tag: string; lines: string[] } | null = null;
  const flush = () => {
    if (last !== null) fields.push({ tag: last.tag, value: last.lines.join('\n') });
    last = null;
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/^\{4:/, '').trimEnd();
    const tag = /^:(\d\d[A-Z]?):(.*)$/.exec(line);
    if (tag !== null) {
      flush();
      if (tag[1] === '20' && fields.some((f) => f.tag === '20')) {
        messages.push(fields);
        fields = [];
      }
      last = { tag: tag[1] as string, lines: [tag[2] ?? ''] };
    } else if (line === '-' || line.startsWith('-}')) {
      flush();
      if (fields.length > 0) messages.push(fields);
      fields = [];
    } else if (last !== null && line !== '') {
      (last as { lines: string[] }).lines.push(line);
    }
  }
  flush();
  if (fields.length > 0) messages.push(fields);
  return messages.filter((message) => message.some((f) => f.tag === '20'));
}

function fullYear(yy: string): number {
  const n = Number(yy);
  return n <= 79 ? 2000 + n : 1900 + n;
}

function isoDate(yymmdd: string, where: string): string {
  const match = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (match === null) throw new StatementError('statement_unreadable', `${where}: date ${quoted(yymmdd)} is not YYMMDD`);
  return statementDate(`${fullYear(match[1] as string)}-${match[2]}-${match[3]}`, where);
}

/** :60F:C110522EUR3236,28 — D/C, date, currency, amount with a decimal comma. */
function readBalance(value: string, where: string): { balance: Balance; currency: CurrencyCode } {
  const match = /^([CD])(\d{6})([A-Z]{3})([\d,]+)$/.exec(value.trim());
  if (match === null) throw new StatementError('statement_unreadable', `${where}: balance ${quoted(value)} is not D/C YYMMDD CCY amount`);
  const currency = currencyOf(match[3], where);
  const amount = statementAmount(match[4], currency, where, ',');
  return { balance: { amountMinor: match[1] === 'D' ? -amount : amount, date: isoDate(match[2] as string, where) }, currency };
}

/** The value date, plus the entry (booking) date when given — nearest year to the value date. */
function bookingDateOf(valueDate: string, entryMmdd: string | undefined): string {
  if (entryMmdd === undefined || entryMmdd === '') return valueDate;
  const year = Number(valueDate.slice(0, 4));
  const candidates = [year - 1, year, year + 1].map((y) => `${y}-${entryMmdd.slice(0, 2)}-${entryMmdd.slice(2)}`).filter((day) => isBusinessDate(day));
  if (candidates.length === 0) return statementDate(`${year}-${entryMmdd.slice(0, 2)}-${entryMmdd.slice(2)}`, 'MT940 :61: entry date');
  const value = Date.parse(`${valueDate}T00:00:00Z`);
  candidates.sort((a, b) => Math.abs(Date.parse(`${a}T00:00:00Z`) - value) - Math.abs(Date.parse(`${b}T00:00:00Z`) - value));
  return candidates[0] as string;
}

/** One :61: line and the :86: after it (null when none): an entry. */
function readEntry(value: string, details: string | null, at: { index: number; account: string; currency: CurrencyCode; where: string }): StatementEntry {
  const line = readStatementLine(value, at.where);
  const endToEnd = details === null ? null : (/EREF\+\s*([^\s?]+)/.exec(details)?.[1] ?? null);
  const valueDate = isoDate(line.valueDate, at.where);
  return {
    index: at.index,
    // Ours may be the EREF+ end-to-end id, the :61: customer reference, or anywhere in the :86: text.
    reference: referenceAmong([endToEnd, line.customerReference], [details, line.supplementary]),
    instruction: null,
    account: at.account,
    bankReference: line.bankReference,
    amountMinor: statementAmount(line.amount, at.currency, at.where, ','),
    currency: at.currency,
    // RC / RD are reversals of a credit / debit: money moves the other way.
    direction: line.mark === 'C' || line.mark === 'RD' ? 'credit' : 'debit',
    reversal: line.mark === 'RC' || line.mark === 'RD',
    status: 'booked',
    bookingDate: bookingDateOf(valueDate, line.entryDate ?? undefined),
    bookingDateFrom: line.entryDate === null ? 'value_date' : 'booking_date',
    valueDate,
    description: details ?? line.supplementary,
    transactions: [],
  };
}

function readMessage(fields: Field[], index: number): Statement {
  const where = `MT940 message ${index + 1}`;
  const field = (tag: string) => fields.find((f) => f.tag === tag)?.value;
  const opening = field('60F') ?? field('60M');
  const closing = field('62F') ?? field('62M');
  if (opening === undefined) throw new StatementError('statement_unreadable', `${where}: no opening balance (:60F: or :60M:)`);
  const open = readBalance(opening, `${where} :60:`);
  const currency = open.currency;
  const entries: StatementEntry[] = [];
  const account = field('25') ?? 'unknown';
  fields.forEach((f, i) => {
    if (f.tag !== '61') return;
    const next = fields[i + 1];
    const details = next?.tag === '86' ? next.value.replace(/\n/g, ' ') : null;
    entries.push(readEntry(f.value, details, { index: entries.length, account, currency, where: `${where} :61: #${entries.length + 1}` }));
  });
  return {
    format: 'mt940',
    id: field('28C') ?? field('28') ?? field('20') ?? `message-${index + 1}`,
    account: field('25') ?? 'unknown',
    currency,
    opening: open.balance,
    closing: closing === undefined ? null : readBalance(closing, `${where} :62:`).balance,
    period: null,
    entries,
  };
}
