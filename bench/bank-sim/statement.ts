import type { BusinessDate } from '../../core/calendar/business-date.js';
import { formatAmount } from '../../core/money/amount.js';
import { defaultCurrency, type Currency } from '../../core/money/currency.js';
import type { StatementEntry } from './books.js';

/**
 * The bank's statement, for reconciliation: every booked entry of a business date (or of
 * all dates), as CSV and as ISO 20022 camt.053 (BankToCustomerStatement, version 08), one
 * <Stmt> per account with its opening and closing booked balance. Amounts are decimal
 * strings in the account's currency's minor unit (JPY "1200", KWD "3.125"); nothing here
 * is a float. An account books one currency, so each statement is in one.
 */
const csvColumns = ['bookingDate', 'valueDate', 'account', 'direction', 'amount', 'currency', 'orderNo', 'kind', 'ref', 'bankTxnId'] as const;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function selected(entries: readonly StatementEntry[], date: BusinessDate | null): StatementEntry[] {
  return entries.filter((entry) => date === null || entry.bookingDate === date);
}

export function statementCsv(entries: readonly StatementEntry[], date: BusinessDate | null): string {
  const lines = [csvColumns.join(',')];
  for (const entry of selected(entries, date)) {
    const row = [entry.bookingDate, entry.bookingDate, entry.account, entry.direction, formatAmount(entry.amount, entry.currency), entry.currency, entry.orderNo, entry.kind, entry.ref, entry.bankTxnId];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function balanceXml(code: 'OPBD' | 'CLBD', balance: bigint, date: string, currency: Currency): string {
  const indicator = balance < 0n ? 'DBIT' : 'CRDT';
  const amount = formatAmount(balance < 0n ? -balance : balance, currency);
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
}

/**
 * Where the simulated bank carries fundcore's order number: the end-to-end id (the default), the
 * instruction id, or the unstructured remittance text — as real banks variously do.
 */
export type ReferencePlace = 'end_to_end' | 'instruction' | 'remittance';

function refsXml(entry: StatementEntry, place: ReferencePlace): string {
  if (place === 'instruction') return `<Refs><InstrId>${xml(entry.orderNo)}</InstrId><EndToEndId>NOTPROVIDED</EndToEndId></Refs>`;
  if (place === 'remittance') return `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RmtInf><Ustrd>${xml(`${entry.kind} ${entry.orderNo} item ${entry.ref}`)}</Ustrd></RmtInf>`;
  return `<Refs><InstrId>${xml(entry.ref)}</InstrId><EndToEndId>${xml(entry.orderNo)}</EndToEndId></Refs>`;
}

function entryXml(entry: StatementEntry, place: ReferencePlace): string {
  return [
    '<Ntry>',
    `<NtryRef>${entry.seq}</NtryRef>`,
    `<Amt Ccy="${entry.currency}">${formatAmount(entry.amount, entry.currency)}</Amt>`,
    `<CdtDbtInd>${entry.direction === 'credit' ? 'CRDT' : 'DBIT'}</CdtDbtInd>`,
    '<Sts><Cd>BOOK</Cd></Sts>',
    `<BookgDt><Dt>${entry.bookingDate}</Dt></BookgDt>`,
    `<ValDt><Dt>${entry.bookingDate}</Dt></ValDt>`,
    `<AcctSvcrRef>${xml(entry.bankTxnId)}</AcctSvcrRef>`,
    `<BkTxCd><Prtry><Cd>${xml(entry.kind)}</Cd></Prtry></BkTxCd>`,
    `<NtryDtls><TxDtls>${refsXml(entry, place)}</TxDtls></NtryDtls>`,
    '</Ntry>',
  ].join('');
}

/**
 * `accounts`: the accounts to state (a statement for each, entries or not, as a bank sends
 * them); by default those with entries. Without a date, the period is the first to the last
 * booking date of the export. `place`: where each entry carries the order number.
 * `currencies`: each account's currency, for one without entries (else its entries' currency, else CNY).
 */
export function statementCamt053(
  entries: readonly StatementEntry[],
  date: BusinessDate | null,
  createdAt: Date,
  accounts?: readonly string[],
  place: ReferencePlace = 'end_to_end',
  currencies: ReadonlyMap<string, Currency> = new Map(),
): string {
  const chosen = selected(entries, date);
  const stated = [...(accounts ?? new Set(chosen.map((entry) => entry.account)))].sort();
  const created = createdAt.toISOString();
  const days = chosen.map((entry) => entry.bookingDate).sort();
  const period = date !== null ? { from: date, to: date } : days.length > 0 ? { from: days[0] as string, to: days[days.length - 1] as string } : null;
  const statements = stated.map((account) => {
    const own = entries.filter((entry) => entry.account === account);
    const currency = currencies.get(account) ?? own[0]?.currency ?? defaultCurrency;
    const signed = (entry: StatementEntry) => (entry.direction === 'credit' ? entry.amount : -entry.amount);
    const opening = own.filter((entry) => date !== null && entry.bookingDate < date).reduce((sum, entry) => sum + signed(entry), 0n);
    const moved = chosen.filter((entry) => entry.account === account);
    const closing = opening + moved.reduce((sum, entry) => sum + signed(entry), 0n);
    const day = period?.to ?? created.slice(0, 10);
    return [
      '<Stmt>',
      `<Id>${xml(`STMT-${date ?? 'ALL'}-${account}`)}</Id>`,
      `<CreDtTm>${created}</CreDtTm>`,
      ...(period === null ? [] : [`<FrToDt><FrDtTm>${period.from}T00:00:00</FrDtTm><ToDtTm>${period.to}T23:59:59</ToDtTm></FrToDt>`]),
      `<Acct><Id><Othr><Id>${xml(account)}</Id></Othr></Id><Ccy>${currency}</Ccy></Acct>`,
      balanceXml('OPBD', opening, day, currency),
      balanceXml('CLBD', closing, day, currency),
      `<TxsSummry><TtlNtries><NbOfNtries>${moved.length}</NbOfNtries></TtlNtries></TxsSummry>`,
      ...moved.map((entry) => entryXml(entry, place)),
      '</Stmt>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">',
    '<BkToCstmrStmt>',
    `<GrpHdr><MsgId>${xml(`BANKSIM-${date ?? 'ALL'}-${createdAt.getTime()}`)}</MsgId><CreDtTm>${created}</CreDtTm></GrpHdr>`,
    ...statements,
    '</BkToCstmrStmt>',
    '</Document>',
    '',
  ].join('\n');
}
