import { referenceAmong } from '../../core/reconciliation/order-reference.js';
import type { Balance, CurrencyCode, StatementEntry, Statement } from '../../core/reconciliation/statement.js';
import { bai2Amount, detailKind, FieldCursor, isStatusCode } from './bai2-fields.js';
import type { Bai2Record } from './bai2-records.js';
import { checkTrailer, expect, type GroupHeader, type Walked } from './bai2-trailers.js';
import { currencyOf } from './statement-amount.js';

/** 03: account, currency, then (type code, amount, item count, funds type …) for each status or summary. */
function readIdentifier(record: Bai2Record, group: GroupHeader): { account: string; currency: CurrencyCode; opening: Balance | null; closing: Balance | null; total: bigint } {
  const where = `BAI2 line ${record.line} (account identifier)`;
  const cursor = new FieldCursor(record.fields, where);
  const account = cursor.next();
  const currency = currencyOf(cursor.next() || group.currency, where);
  let [opening, closing, total]: [Balance | null, Balance | null, bigint] = [null, null, 0n];
  while (!cursor.done) {
    const typeCode = cursor.next();
    const amount = bai2Amount(cursor.next(), `${where} type ${typeCode}`, true);
    cursor.next();
    cursor.fundsType();
    if (typeCode === '' || amount === null) continue;
    total += amount;
    // 010 opening ledger, 015 closing ledger: the balances a statement foots between.
    if (isStatusCode(typeCode) && typeCode === '010') opening = { amountMinor: amount, date: group.asOf };
    if (isStatusCode(typeCode) && typeCode === '015') closing = { amountMinor: amount, date: group.asOf };
  }
  return { account, currency, opening, closing, total };
}

/** 16: type code, amount, funds type (…), bank reference, customer reference, text. */
function readDetail(record: Bai2Record, index: number, at: { account: string; currency: CurrencyCode; asOf: string }): StatementEntry {
  const where = `BAI2 line ${record.line} (transaction detail)`;
  const cursor = new FieldCursor(record.fields, where);
  const typeCode = cursor.next();
  const kind = detailKind(typeCode, where);
  const amountMinor = bai2Amount(cursor.next(), where, false) ?? 0n;
  const valueDate = cursor.fundsType();
  const bankReference = cursor.next();
  const customerReference = cursor.next();
  const text = cursor.rest();
  return {
    index,
    reference: referenceAmong([customerReference === '' ? null : customerReference], [text]),
    instruction: null,
    account: at.account,
    bankReference: bankReference === '' ? null : bankReference,
    amountMinor,
    currency: at.currency,
    direction: kind === 'debit' ? 'debit' : 'credit',
    reversal: false,
    status: kind === 'info' ? 'info' : 'booked',
    bookingDate: at.asOf,
    bookingDateFrom: 'booking_date',
    valueDate,
    description: text === '' ? null : text,
    transactions: [],
  };
}

export function readAccount(records: readonly Bai2Record[], start: number, group: GroupHeader): Walked<Statement> {
  const identifier = records[start] as Bai2Record;
  const { account, currency, opening, closing, total: statusTotal } = readIdentifier(identifier, group);
  const entries: StatementEntry[] = [];
  let [at, total, physical] = [start + 1, statusTotal, identifier.physical];
  for (; records[at]?.code === '16'; at++) {
    const record = records[at] as Bai2Record;
    const entry = readDetail(record, entries.length, { account, currency, asOf: group.asOf });
    entries.push(entry);
    [total, physical] = [total + entry.amountMinor, physical + record.physical];
  }
  const trailer = expect(records, at, '49', 'the account trailer');
  checkTrailer(trailer, { total, count: null, records: physical + trailer.physical }, 'account');
  const statement: Statement = { format: 'bai2', id: `${group.fileId}/${group.groupNo}/${account}`, account, currency, opening, closing, period: { from: group.asOf, to: group.asOf }, entries };
  return { value: statement, next: at + 1, total, physical: physical + trailer.physical };
}
