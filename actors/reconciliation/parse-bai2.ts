import type { Statement } from '../../core/reconciliation/statement.js';
import { readAccount } from './bai2-account.js';
import { bai2Date } from './bai2-fields.js';
import { bai2Records, type Bai2Record } from './bai2-records.js';
import { checkTrailer, expect, type GroupHeader, type Walked } from './bai2-trailers.js';
import { currencyOf } from './statement-amount.js';
import { StatementError } from './statement-error.js';

/**
 * Reads a BAI2 file (BAI Cash Management Balance Reporting Specifications, version 2): a file
 * header (01), groups (02 … 98) of accounts (03, 16 details, 49), a file trailer (99); 88
 * continues a record. One statement per account. Every trailer's control total and record
 * count is checked: a file whose totals disagree (cut short, edited) is statement_malformed.
 */
export function parseBai2(text: string): Statement[] {
  const records = bai2Records(text);
  if (records[0]?.code !== '01') throw new StatementError('statement_unreadable', 'a BAI2 file starts with its file header (01)');
  // 01: sender, receiver, creation date, creation time, file id, record length, block size, version.
  const fileId = records[0].fields[4] ?? '';
  const statements: Statement[] = [];
  let at = 1;
  let total = 0n;
  let physical = records[0].physical;
  let groups = 0;
  while (records[at]?.code === '02') {
    const group = readGroup(records, at, { fileId, groupNo: ++groups });
    statements.push(...group.value);
    [at, total, physical] = [group.next, total + group.total, physical + group.physical];
  }
  const trailer = expect(records, at, '99', 'the file trailer');
  checkTrailer(trailer, { total, count: groups, records: physical + trailer.physical }, 'file');
  if (at !== records.length - 1) throw new StatementError('statement_malformed', `BAI2 line ${records[at + 1]?.line}: records after the file trailer`);
  return statements;
}

function readGroup(records: readonly Bai2Record[], start: number, file: { fileId: string; groupNo: number }): Walked<Statement[]> {
  const header = records[start] as Bai2Record;
  const where = `BAI2 line ${header.line} (group header)`;
  // 02: receiver, originator, group status, as-of date, as-of time, currency (USD when blank), date modifier.
  const group: GroupHeader = { ...file, asOf: bai2Date(header.fields[3] ?? '', where), currency: currencyOf(header.fields[5] || 'USD', where) };
  const statements: Statement[] = [];
  let [at, total, physical] = [start + 1, 0n, header.physical];
  while (records[at]?.code === '03') {
    const account = readAccount(records, at, group);
    statements.push(account.value);
    [at, total, physical] = [account.next, total + account.total, physical + account.physical];
  }
  const trailer = expect(records, at, '98', 'the group trailer');
  checkTrailer(trailer, { total, count: statements.length, records: physical + trailer.physical }, 'group');
  return { value: statements, next: at + 1, total, physical: physical + trailer.physical };
}
