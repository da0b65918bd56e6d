import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { StatementError } from '../../../actors/reconciliation/statement-error.js';
import { footCheck } from '../../../core/reconciliation/foot.js';
import { repoPath } from '../../helpers/repo.js';

/** Issue 18, defect 12: BAI2, with two accounts; the fixture's SOURCES.md cites the specification. */
const bai2 = readFileSync(repoPath('test/fixtures/statements/bai2-two-accounts.bai'), 'utf8');

const refusal = (content: string) => {
  try {
    parseStatement(content, 'auto');
    return 'accepted';
  } catch (error) {
    return error instanceof StatementError ? `${error.code}: ${error.message}` : `bug: ${String(error)}`;
  }
};

t.test('two accounts: one statement each, direction from the type code, references from customer reference or text', async (t) => {
  const statements = parseStatement(bai2, 'auto');
  t.same(
    statements.map((s) => [s.format, s.id, s.account, s.currency, s.opening?.amountMinor, s.closing?.amountMinor, s.period]),
    [
      ['bai2', '0901/1/ann', 'ann', 'CNY', 100000n, 130000n, { from: '2026-09-01', to: '2026-09-01' }],
      ['bai2', '0901/1/ben', 'ben', 'CNY', 0n, 45000n, { from: '2026-09-01', to: '2026-09-01' }],
    ],
  );
  const [ann, ben] = statements;
  t.same(
    ann?.entries.map((e) => [e.reference, e.amountMinor, e.direction, e.status, e.bookingDate, e.valueDate, e.bankReference]),
    [
      ['dep-ann-1', 30000n, 'credit', 'booked', '2026-09-01', null, 'B-1'],
      ['dep-ann-2', 20000n, 'credit', 'booked', '2026-09-01', '2026-09-01', 'B-2'],
      ['wd-ann-3', 20000n, 'debit', 'booked', '2026-09-01', null, 'B-3'],
    ],
  );
  t.equal(ann?.entries[1]?.description, 'INCOMING FOR dep-ann-2, ANN', 'the text keeps its comma');
  t.same(ben?.entries.map((e) => [e.reference, e.status, e.description]), [
    ['dep-ben-1', 'booked', 'ACH CREDIT RECHARGE OF BEN'],
    [null, 'info', 'ADVICE ONLY'],
  ]);
  for (const statement of statements) t.ok(footCheck(statement).foots, `${statement.account} foots`);
  t.equal(parseStatement(bai2, 'bai2').length, 2, 'named format too');
});

t.test('control totals and record counts are checked at every trailer; a file cut short is malformed', async (t) => {
  t.match(refusal(bai2.replace('49,370000,5/', '49,370001,5/')), /^statement_malformed: BAI2 line 7 \(account trailer\): control total 370001/);
  t.match(refusal(bai2.replace('49,90000,5/', '49,90000,4/')), /^statement_malformed: .*says 4 records, holds 5/);
  t.match(refusal(bai2.replace('98,460000,2,12/', '98,460000,3,12/')), /^statement_malformed: .*says 3 accounts, holds 2/);
  t.match(refusal(bai2.replace('99,460000,1,14/', '99,460001,1,14/')), /^statement_malformed: .*file trailer/);
  t.match(refusal(bai2.slice(0, bai2.indexOf('98,'))), /^statement_malformed: the file ends where the group trailer \(98\) belongs/);
  t.match(refusal(bai2.replace('16,165,30000', '16,165,30001')), /^statement_malformed/, 'an amount changed: the total catches it');
});

t.test('odd BAI2 is refused with a stable code, never thrown otherwise', async (t) => {
  t.match(refusal(bai2.replace('16,475,', '16,750,')), /^statement_unreadable: .*type code "750"/);
  t.match(refusal(bai2.replace('16,475,20000', '16,475,2.00')), /^statement_amount_invalid/);
  t.match(refusal(bai2.replace('16,475,20000', `16,475,${'9'.repeat(25)}`)), /^statement_amount_invalid/);
  t.match(refusal(bai2.replace('260901,2400,CNY', '261301,2400,CNY')), /^statement_unreadable: .*date/);
  t.match(refusal(bai2.replace('16,165,30000,0,', '16,165,30000,Q,')), /^statement_unreadable: .*funds type "Q"/);
  t.match(refusal(bai2.replace(',CNY,2/', ',XYZ,2/')), /^statement_currency_unknown/);
  t.match(refusal('01,A,B,260901,1800,1,,,2/\n88,x/\n'), /^statement_malformed/);
});
