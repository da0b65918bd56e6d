import type { Statement } from '../../core/reconciliation/statement.js';
import { parseCamt } from './parse-camt.js';
import { parseCsv, type CsvOptions } from './parse-csv.js';
import { parseMt940 } from './parse-mt940.js';
import { parseBai2 } from './parse-bai2.js';
import { StatementError } from './statement-amount.js';

export type StatementFormat = 'camt.053' | 'camt.054' | 'mt940' | 'csv' | 'bai2';

/** Reads a statement in the format named (or, for XML and MT940, recognised). Throws StatementError. */
export function parseStatement(content: string, format: StatementFormat | 'auto', csv?: CsvOptions): Statement[] {
  const resolved = format === 'auto' ? detectFormat(content) : format;
  switch (resolved) {
    case 'camt.053':
    case 'camt.054':
      return parseCamt(content);
    case 'mt940':
      return parseMt940(content);
    case 'bai2':
      return parseBai2(content);
    case 'csv':
      if (csv === undefined) throw new StatementError('statement_unreadable', 'a CSV statement needs its column map (csv.columns)');
      return parseCsv(content, csv);
  }
}

function detectFormat(content: string): StatementFormat {
  if (content.includes('camt.054.001')) return 'camt.054';
  if (content.includes('camt.053.001')) return 'camt.053';
  // Any other XML goes to the camt reader too, which checks it and says what it is not.
  if (/^\uFEFF?\s*</.test(content)) return 'camt.053';
  if (/^:20:/m.test(content) || content.includes('{4:')) return 'mt940';
  if (/^\uFEFF?\s*01,/.test(content)) return 'bai2';
  return 'csv';
}
