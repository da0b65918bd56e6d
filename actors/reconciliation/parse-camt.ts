import { XMLParser } from 'fast-xml-parser';
import type { Balance, CurrencyCode, Statement } from '../../core/reconciliation/statement.js';
import { readCamtEntry } from './camt-entry.js';
import { dateOf, path, text, type Node } from './camt-nodes.js';
import { currencyOf, statementAmount, statementDate, StatementError } from './statement-amount.js';
import { bounded } from './statement-error.js';
import { checkXml } from './xml-checks.js';

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
    entries: entries.map((entry, index) => readCamtEntry(entry, index, { currency, id, account, created: dateOf(report.CreDtTm) ?? documentCreated })),
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

