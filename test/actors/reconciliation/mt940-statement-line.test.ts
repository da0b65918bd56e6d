import { readFileSync } from 'node:fs';
import t from 'tap';
import { readStatementLine } from '../../../actors/reconciliation/mt940-statement-line.js';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { footCheck } from '../../../core/reconciliation/foot.js';
import { repoPath } from '../../helpers/repo.js';

/** Issue 18, defect 5: :61: read by its SWIFT grammar (fixtures' SOURCES.md cites it). */
t.test(':61: lines, field by field', async (t) => {
  const cases: [string, object][] = [
    ['100722C10,45S103NONREF', { valueDate: '100722', entryDate: null, mark: 'C', fundsCode: null, amount: '10,45', transactionType: 'S103', customerReference: null, bankReference: null }],
    ['100722C10,45NONREF', { mark: 'C', amount: '10,45', transactionType: null, customerReference: null }],
    ['1007220722DR5,00NCHKwd-5501//BK-77\nCHEQUE 000123', { entryDate: '0722', mark: 'D', fundsCode: 'R', transactionType: 'NCHK', customerReference: 'wd-5501', bankReference: 'BK-77', supplementary: 'CHEQUE 000123' }],
    ['100722RC1,00NTRFdep-5502', { mark: 'RC', fundsCode: null, transactionType: 'NTRF', customerReference: 'dep-5502' }],
    ['100722RD1,00FCHKNONREF//8327', { mark: 'RD', transactionType: 'FCHK', customerReference: null, bankReference: '8327' }],
    ['1007230723CY12,NMSCdep-5503//BK-78', { mark: 'C', fundsCode: 'Y', amount: '12,', transactionType: 'NMSC', customerReference: 'dep-5503' }],
  ];
  for (const [line, expected] of cases) t.match(readStatementLine(line, 'test'), expected, line);
});

t.test(':61: lines that break the grammar are statement_unreadable', async (t) => {
  for (const line of ['10072C10,45NTRFX', '100722X10,45NTRFX', '100722C10,45', '100722C10,45XTRFREF', '100722C,45NTRFX']) {
    t.throws(() => readStatementLine(line, 'test'), { code: 'statement_unreadable' }, line);
  }
});

t.test('a statement with S-type, untyped, funds-code and reversal lines reads whole and foots', async (t) => {
  const [statement] = parseStatement(readFileSync(repoPath('test/fixtures/statements/mt940-swift-types.sta'), 'utf8'), 'auto');
  if (statement === undefined) throw new Error('no statement');
  t.same(
    statement.entries.map((e) => [e.reference, e.amountMinor, e.direction, e.bookingDate, e.bankReference]),
    [
      [null, 1045n, 'credit', '2010-07-22', null],
      [null, 1045n, 'credit', '2010-07-22', null],
      ['wd-5501', 500n, 'debit', '2010-07-22', 'BK-77'],
      ['dep-5502', 100n, 'debit', '2010-07-22', null],
      ['dep-5503', 1200n, 'credit', '2010-07-23', 'BK-78'],
    ],
  );
  t.equal(statement.entries[2]?.description, 'CHEQUE 000123', 'supplementary details when no :86: follows');
  t.ok(footCheck(statement).foots);
});
