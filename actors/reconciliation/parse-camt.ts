import { XMLParser } from 'fast-xml-parser';
import type { Balance, Direction, EntryStatus, EntryTransaction, Statement, StatementEntry } from '../../core/reconciliation/statement.js';
import type { CurrencyCode } from '../../core/reconciliation/statement.js';
import { currencyOf, statementAmount, statementDate, StatementError } from './statement-amount.js';
import { bounded, quoted } from './statement-error.js';
import { checkXml } from './xml-checks.js';

type Node = Record<string, unknown>;

/** Every value stays a string (amounts are parsed exactly later); namespaces are dropped. */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  trimValues: true,
  isArray: (name) => ['Stmt', 'Ntfctn', 'Bal', 'Ntry', 'TxDtls', 'Ustrd', 'NtryDtls'].includes(name),
});

const camtNamespace = /urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d\d)/;

/** Reads ISO 20022 camt.053 (statements) and camt.054 (debit/credit notifications), any 001.xx version. */
export function parseCamt(xml: string): Statement[] {
  checkXml(xml);
  const namespace = camtNamespace.exec(xml);
  if (namespace === null) throw new StatementError('statement_unreadable', 'not an ISO 20022 camt.053 or camt.054 document');
  let document: Node;
  try {
    document = (parser.parse(xml) as Node).Document as Node;
  } catch (error) {
    throw new StatementError('statement_unreadable', `malformed XML: ${bounded((error as Error).message)}`);
  }
  if (document === undefined) throw new StatementError('statement_unreadable', 'no Document element');
  const statement = namespace[1] === 'camt.053';
  const root = (statement ? document.BkToCstmrStmt : document.BkToCstmrDbtCdtNtfctn) as Node | undefined;
  const reports = (statement ? root?.Stmt : root?.Ntfctn) as Node[] | undefined;
  if (reports === undefined || reports.length === 0) throw new StatementError('statement_unreadable', 'no statement in the document');
  const created = dateOf(path(root, 'GrpHdr', 'CreDtTm'));
  return reports.map((report) => readReport(report, statement ? 'camt.053' : 'camt.054', created));
}

function text(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object' && '#text' in node) return String((node as Node)['#text']);
  return null;
}

function path(node: unknown, ...keys: string[]): unknown {
  let current = node;
  for (const key of keys) current = current !== null && typeof current === 'object' ? (current as Node)[key] : undefined;
  return current;
}

function readReport(report: Node, format: 'camt.053' | 'camt.054', documentCreated: string | null): Statement {
  const id = bounded(text(report.Id) ?? 'unnamed', 64);
  const account = text(path(report, 'Acct', 'Id', 'IBAN')) ?? text(path(report, 'Acct', 'Id', 'Othr', 'Id')) ?? 'unknown';
  const entries = (report.Ntry as Node[] | undefined) ?? [];
  const currencyText = text(path(report, 'Acct', 'Ccy')) ?? (path(entries[0], 'Amt', '@_Ccy') as string | undefined) ?? firstBalanceCurrency(report);
  const currency = currencyOf(currencyText, `statement ${id}`);
  const balances = (report.Bal as Node[] | undefined) ?? [];
  return {
    format,
    id,
    account,
    currency,
    opening: balanceOf(balances, ['OPBD', 'PRCD'], currency, id),
    closing: balanceOf(balances, ['CLBD'], currency, id),
    period: periodOf(report),
    entries: entries.map((entry, index) => readEntry(entry, index, { currency, id, account, created: dateOf(report.CreDtTm) ?? documentCreated })),
  };
}

/** FrToDt: date-times (camt.053) whose dates bound the statement; either may be absent. */
function periodOf(report: Node): { from: string; to: string } | null {
  const from = text(path(report, 'FrToDt', 'FrDtTm'))?.slice(0, 10);
  const to = text(path(report, 'FrToDt', 'ToDtTm'))?.slice(0, 10);
  if (from === undefined || to === undefined || !/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to) || from > to) return null;
  return { from, to };
}

function firstBalanceCurrency(report: Node): string | undefined {
  return path((report.Bal as Node[] | undefined)?.[0], 'Amt', '@_Ccy') as string | undefined;
}

function balanceOf(balances: Node[], codes: string[], currency: CurrencyCode, id: string): Balance | null {
  const balance = balances.find((b) => codes.includes(text(path(b, 'Tp', 'CdOrPrtry', 'Cd')) ?? ''));
  if (balance === undefined) return null;
  const where = `statement ${id} balance ${text(path(balance, 'Tp', 'CdOrPrtry', 'Cd'))}`;
  const amountCurrency = currencyOf(path(balance, 'Amt', '@_Ccy'), where);
  if (amountCurrency !== currency) throw new StatementError('statement_currency_unknown', `${where} is in ${amountCurrency}, the statement in ${currency}`);
  const amount = statementAmount(text(path(balance, 'Amt')), currency, where);
  const date = statementDate(text(path(balance, 'Dt', 'Dt')) ?? text(path(balance, 'Dt', 'DtTm'))?.slice(0, 10), where);
  return { amountMinor: text(balance.CdtDbtInd) === 'DBIT' ? -amount : amount, date };
}

function directionOf(code: string | null, where: string): Direction {
  if (code === 'CRDT') return 'credit';
  if (code === 'DBIT') return 'debit';
  throw new StatementError('statement_unreadable', `${where}: CdtDbtInd is ${quoted(code)}, not CRDT or DBIT`);
}

/** v02 writes `<Sts>BOOK</Sts>`; v08 nests it: `<Sts><Cd>BOOK</Cd></Sts>`. */
function statusOf(node: unknown): EntryStatus {
  const code = text(node) ?? text(path(node, 'Cd')) ?? text(path(node, 'Prtry'));
  if (code === 'BOOK') return 'booked';
  if (code === 'PDNG') return 'pending';
  return 'info';
}

/**
 * A camt date: `Dt` (ISODate), or `DtTm` (ISODateTime) whose date part is the day the bank
 * meant, in its own offset; or a bare date-time (CreDtTm).
 */
function dateOf(node: unknown): string | null {
  const bare = text(node);
  if (bare !== null) return bare.slice(0, 10);
  return text(path(node, 'Dt')) ?? text(path(node, 'DtTm'))?.slice(0, 10) ?? null;
}

/** The entry's booking date, else its value date, else the day its statement was created (both are optional in camt.054). */
function bookingDateOf(entry: Node, created: string | null, where: string): Pick<StatementEntry, 'bookingDate' | 'bookingDateFrom'> {
  const booked = dateOf(entry.BookgDt);
  if (booked !== null) return { bookingDate: statementDate(booked, `${where}: booking date`), bookingDateFrom: 'booking_date' };
  const value = dateOf(entry.ValDt);
  if (value !== null) return { bookingDate: statementDate(value, `${where}: value date`), bookingDateFrom: 'value_date' };
  if (created !== null) return { bookingDate: statementDate(created, `${where}: creation date of its statement`), bookingDateFrom: 'statement_created' };
  throw new StatementError('statement_unreadable', `${where}: no booking date, value date or creation date`);
}

function referenceOf(transaction: unknown): string | null {
  const reference = text(path(transaction, 'Refs', 'EndToEndId'));
  return reference === null || reference === 'NOTPROVIDED' ? null : reference;
}

function readEntry(entry: Node, index: number, at: { currency: CurrencyCode; id: string; account: string; created: string | null }): StatementEntry {
  const { id, account } = at;
  const where = `statement ${id} entry ${index + 1}`;
  // An entry in another currency than its statement is read in its own: reconciliation reports it.
  const currency = currencyOf(path(entry, 'Amt', '@_Ccy') ?? at.currency, where);
  const details = ((entry.NtryDtls as Node[] | undefined) ?? []).flatMap((d) => (d.TxDtls as Node[] | undefined) ?? []);
  const transactions: EntryTransaction[] = details.map((transaction) => {
    const amount = path(transaction, 'Amt') ?? path(transaction, 'AmtDtls', 'TxAmt', 'Amt');
    const amountCurrency = currencyOf(path(amount, '@_Ccy') ?? currency, `${where} transaction`);
    // A transaction amount in another currency (an instructed amount) is not a part of this entry's sum.
    const minor = text(amount) === null || amountCurrency !== currency ? null : statementAmount(text(amount), currency, `${where} transaction`);
    return { reference: referenceOf(transaction), amountMinor: minor };
  });
  const remittance = details.flatMap((d) => ((path(d, 'RmtInf', 'Ustrd') as unknown[] | undefined) ?? []).map(text));
  return {
    index,
    // NtryRef is the bank's own entry reference, not ours: ours is the end-to-end id.
    reference: transactions.length === 1 ? (transactions[0]?.reference ?? null) : null,
    instruction: details.length === 1 ? text(path(details[0], 'Refs', 'InstrId')) : null,
    account,
    bankReference: text(entry.AcctSvcrRef) ?? text(entry.NtryRef),
    amountMinor: statementAmount(text(path(entry, 'Amt')), currency, where),
    currency,
    direction: directionOf(text(entry.CdtDbtInd), where),
    status: statusOf(entry.Sts),
    ...bookingDateOf(entry, at.created, where),
    valueDate: dateOf(entry.ValDt) === null ? null : statementDate(dateOf(entry.ValDt), `${where}: value date`),
    description: text(entry.AddtlNtryInf) ?? (remittance.filter((r) => r !== null).join(' / ') || null),
    transactions,
  };
}
