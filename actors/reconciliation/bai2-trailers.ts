import type { CurrencyCode } from '../../core/reconciliation/statement.js';
import { bai2Amount } from './bai2-fields.js';
import type { Bai2Record } from './bai2-records.js';
import { quoted, StatementError } from './statement-error.js';

/** A group's header: what its accounts share. */
export interface GroupHeader {
  readonly asOf: string;
  readonly currency: CurrencyCode;
  readonly fileId: string;
  readonly groupNo: number;
}

/** Where a walk over the records stands, and the totals a trailer checks. */
export interface Walked<T> {
  readonly value: T;
  readonly next: number;
  readonly total: bigint;
  readonly physical: number;
}

export function expect(records: readonly Bai2Record[], at: number, code: string, what: string): Bai2Record {
  const record = records[at];
  if (record?.code !== code) {
    const where = record === undefined ? 'the file ends' : `BAI2 line ${record.line} holds a ${quoted(record.code)} record`;
    throw new StatementError('statement_malformed', `${where} where ${what} (${code}) belongs: a file cut short or out of order`);
  }
  return record;
}

/** 49: total, records; 98: total, accounts, records; 99: total, groups, records. */
export function checkTrailer(trailer: Bai2Record, counted: { total: bigint; count: number | null; records: number }, what: string): void {
  const where = `BAI2 line ${trailer.line} (${what} trailer)`;
  const [total, ...counts] = trailer.fields;
  const stated = { total: bai2Amount(total ?? '', where, true), count: counted.count === null ? null : Number(counts[0]), records: Number(counts[counted.count === null ? 0 : 1]) };
  if (stated.total !== counted.total) throw new StatementError('statement_malformed', `${where}: control total ${stated.total} ≠ ${counted.total}, the sum of the amounts it covers`);
  if (counted.count !== null && stated.count !== counted.count) throw new StatementError('statement_malformed', `${where}: says ${stated.count} ${what === 'file' ? 'groups' : 'accounts'}, holds ${counted.count}`);
  if (stated.records !== counted.records) throw new StatementError('statement_malformed', `${where}: says ${stated.records} records, holds ${counted.records}`);
}

