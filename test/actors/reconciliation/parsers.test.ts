import { readFileSync } from 'node:fs';
import t from 'tap';
import { footCheck } from '../../../core/reconciliation/foot.js';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { StatementError } from '../../../actors/reconciliation/statement-amount.js';
import { repoPath } from '../../helpers/repo.js';

/** Fixtures follow published samples; test/fixtures/statements/SOURCES.md cites each one. */
const fixture = (name: string) => readFileSync(repoPath(`test/fixtures/statements/${name}`), 'utf8');
const brief = (s: ReturnType<typeof parseStatement>[number]) =>
  s.entries.map((e) => [e.reference, e.amountMinor, e.direction, e.status, e.bookingDate, e.transactions.length]);

t.test('camt.053 v02: plain Sts, IBAN, balances, a batched entry, a pending one', async (t) => {
  const [statement] = parseStatement(fixture('camt053-v02.xml'), 'auto');
  if (statement === undefined) throw new Error('no statement');
  t.match(statement, { format: 'camt.053', id: 'STMT-2026-03-02', account: 'CN12DEPO0000000000001234', currency: 'CNY' });
  t.same(statement.opening, { amountMinor: 100000n, date: '2026-03-01' });
  t.same(statement.closing, { amountMinor: 123456n, date: '2026-03-02' });
  t.same(brief(statement), [
    ['dep-1001', 50000n, 'credit', 'booked', '2026-03-02', 1],
    ['wd-2001', 1544n, 'debit', 'booked', '2026-03-02', 1],
    [null, 25000n, 'debit', 'booked', '2026-03-02', 3],
    ['dep-1002', 7700n, 'credit', 'pending', '2026-03-02', 1],
  ]);
  t.same(statement.entries[2]?.transactions, [
    { reference: 'disb-3001', instruction: null, remittance: null, amountMinor: 10000n },
    { reference: 'disb-3002', instruction: null, remittance: null, amountMinor: 10000n },
    { reference: 'disb-3003', instruction: null, remittance: null, amountMinor: 5000n },
  ]);
  t.equal(statement.entries[0]?.bankReference, 'BANK-0001');
  t.ok(footCheck(statement).foots, 'opening + booked entries = closing (the pending one not counted)');
});

t.test('camt.053 v08: nested Sts, DtTm booking date, Othr account, NOTPROVIDED reference, a debit closing balance', async (t) => {
  const [statement] = parseStatement(fixture('camt053-v08.xml'), 'camt.053');
  if (statement === undefined) throw new Error('no statement');
  t.match(statement, { account: '6222000011112222', opening: { amountMinor: 1000n }, closing: { amountMinor: -2050n } });
  t.same(brief(statement), [[null, 3050n, 'debit', 'booked', '2026-12-31', 1]]);
  t.equal(statement.entries[0]?.valueDate, '2027-01-02');
  t.equal(statement.entries[0]?.description, 'repayment batch fee');
  t.ok(footCheck(statement).foots);
});

t.test('camt.054: a notification without balances; one entry reporting two transactions', async (t) => {
  const [notification] = parseStatement(fixture('camt054-v02.xml'), 'auto');
  if (notification === undefined) throw new Error('no notification');
  t.match(notification, { format: 'camt.054', id: 'NTF-0518', opening: null, closing: null });
  t.same(brief(notification), [[null, 200000n, 'debit', 'booked', '2026-05-18', 2]]);
  t.same(notification.entries[0]?.transactions.map((x) => [x.reference, x.amountMinor]), [
    ['rp-501', 176375n],
    ['rp-502', 23625n],
  ]);
  t.same(footCheck(notification), { foots: true, checked: false, openingMinor: null, closingMinor: null, computedClosingMinor: null, differenceMinor: null });
});

t.test('MT940 (ABN AMRO layout): decimal commas, NONREF, multi-line :86:, two messages; the first does not foot', async (t) => {
  const statements = parseStatement(fixture('mt940-abnamro.sta'), 'auto');
  t.equal(statements.length, 2);
  const [first, second] = statements;
  if (first === undefined || second === undefined) throw new Error('two messages expected');
  t.match(first, { id: '19321/1', account: '517852257', currency: 'CNY', opening: { amountMinor: 323628n, date: '2026-05-22' }, closing: { amountMinor: 87684n } });
  t.same(brief(first), [
    [null, 900n, 'debit', 'booked', '2026-05-24', 0],
    [null, 1159n, 'debit', 'booked', '2026-05-23', 0],
    ['wd-0042', 1180n, 'debit', 'booked', '2026-05-23', 0],
    ['dep-0043', 10700n, 'credit', 'booked', '2026-05-23', 0],
  ]);
  t.equal(first.entries[3]?.bankReference, 'B0043');
  t.match(first.entries[0]?.description, /BROADBAND .* INCL\. 1,44 VAT$/, ':86: continuation lines joined');
  const check = footCheck(first);
  t.equal(check.foots, false, 'reported, not trusted');
  t.equal(check.differenceMinor, 87684n - 331089n);
  t.ok(footCheck(second).foots, 'the :60M:/:62M: message foots');
});

t.test('MT940 in its SWIFT envelope: CRLF, entry date across the year end, RD reversal, EREF+ reference', async (t) => {
  const [statement] = parseStatement(fixture('mt940-sepa.sta'), 'mt940');
  if (statement === undefined) throw new Error('no statement');
  t.same(brief(statement), [
    ['dep-9001', 25000n, 'credit', 'booked', '2027-01-02', 0],
    ['wd-9002', 1234n, 'credit', 'booked', '2026-12-31', 0],
  ]);
  t.equal(statement.entries[0]?.bankReference, '8327000090031789');
  t.ok(footCheck(statement).foots);
});

t.test('CSV with a column map: delimiter, decimal comma, direction column, YYYYMMDD dates', async (t) => {
  const [statement] = parseStatement(fixture('statement.csv'), 'csv', {
    columns: { reference: 'order_no', amount: 'amount', date: 'booked_on', direction: 'dc', bankReference: 'bank_ref', description: 'memo' },
    currency: 'CNY',
    delimiter: ';',
    decimalSeparator: ',',
  });
  if (statement === undefined) throw new Error('no statement');
  t.same(brief(statement), [
    ['dep-7001', 123450n, 'credit', 'booked', '2026-06-01', 0],
    ['wd-7002', 1000n, 'debit', 'booked', '2026-06-01', 0],
    [null, 300n, 'credit', 'booked', '2026-06-02', 0],
  ]);
});

t.test('unreadable statements are refused with a stable code, never a float', async (t) => {
  const refused = (content: string, format: Parameters<typeof parseStatement>[1] = 'auto') => {
    try {
      parseStatement(content, format);
      return 'accepted';
    } catch (error) {
      return error instanceof StatementError ? error.code : `bug: ${String(error)}`;
    }
  };
  t.equal(refused('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'), 'statement_malformed');
  t.equal(refused('<x/>', 'camt.053'), 'statement_unreadable');
  t.equal(refused(fixture('camt053-v02.xml').replace('500.00', '500.001')), 'statement_amount_invalid', 'more decimals than CNY has');
  t.equal(refused(fixture('camt053-v02.xml').replace('500.00', '5e2')), 'statement_amount_invalid');
  t.equal(refused(fixture('camt053-v02.xml').replace('<Ccy>CNY</Ccy>', '<Ccy>XXX</Ccy>')), 'statement_currency_unknown');
  t.equal(refused(fixture('mt940-abnamro.sta').replace('3236,28', '3236.28')), 'statement_unreadable', 'MT940 amounts use a decimal comma');
  t.equal(refused(':20:X\n:25:1\n'), 'statement_unreadable', 'no opening balance');
  const v08 = fixture('camt053-v08.xml');
  t.equal(refused(v08.replace('<BookgDt><DtTm>2026-12-31T', '<BookgDt><DtTm>2026-13-45T')), 'statement_unreadable', 'a day that does not exist');
  t.equal(refused(v08.replace(/<BookgDt>.*?<\/BookgDt>/, '').replace(/<ValDt>.*?<\/ValDt>/, '').replace(/<CreDtTm>.*?<\/CreDtTm>/g, '')), 'statement_unreadable', 'an entry without a date, in a statement without one');
  t.equal(refused(fixture('mt940-abnamro.sta').replace(':60F:C260522', ':60F:C261322')), 'statement_unreadable', 'MT940: month 13');
});

t.test('a CSV export of several accounts is one statement per account; balances then need one account', async (t) => {
  const csv = 'account,date,ref,amount,dc\nann,2026-06-01,dep-1,10.00,C\nben,2026-06-01,dep-2,20.00,C\nann,2026-06-02,wd-3,5.00,D\n';
  const columns = { account: 'account', reference: 'ref', amount: 'amount', date: 'date', direction: 'dc' };
  const statements = parseStatement(csv, 'csv', { columns, currency: 'CNY' });
  t.same(
    statements.map((s) => [s.account, s.entries.map((e) => [e.reference, e.amountMinor, e.direction])]),
    [
      ['ann', [['dep-1', 1000n, 'credit'], ['wd-3', 500n, 'debit']]],
      ['ben', [['dep-2', 2000n, 'credit']]],
    ],
  );
  t.same(parseStatement(csv, 'csv', { columns, currency: 'CNY', account: 'ann' }).length, 1, 'an account given: one statement, as given');
  t.throws(() => parseStatement(csv, 'csv', { columns, currency: 'CNY', closing: { amount: '25.00', date: '2026-06-02' } }), { code: 'statement_unreadable' });
  t.throws(() => parseStatement(csv, 'csv'), { code: 'statement_unreadable' }, 'no column map');
  t.throws(() => parseStatement(csv.replace('2026-06-02', '2026-02-30'), 'csv', { columns, currency: 'CNY' }), { code: 'statement_unreadable' }, 'February 30th');
});

t.test('a long amount in any statement format is statement_amount_invalid, never a throw of another kind (issue 18, defect 1)', async (t) => {
  const long = '999999999999999999999999';
  const code = (run: () => unknown) => {
    try {
      run();
      return 'accepted';
    } catch (error) {
      return error instanceof StatementError ? error.code : `bug: ${String(error)}`;
    }
  };
  t.equal(code(() => parseStatement(fixture('camt053-v02.xml').replace('500.00', `${long}.99`), 'auto')), 'statement_amount_invalid', 'camt');
  t.equal(code(() => parseStatement(fixture('mt940-abnamro.sta').replace('3236,28', `${long},99`), 'auto')), 'statement_amount_invalid', 'MT940');
  const csv = `ref,amount,date\ndep-1,${long}.99,2026-06-01\n`;
  t.equal(code(() => parseStatement(csv, 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date' }, currency: 'CNY' })), 'statement_amount_invalid', 'CSV');
  t.equal(code(() => parseStatement(csv.replace(`${long}.99`, '9'.repeat(400)), 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date' }, currency: 'CNY' })), 'statement_amount_invalid', 'CSV, 400 digits');
});

t.test('camt.054 v08: no booking date nor value date falls back to the creation date and says so; DtTm dates read (issue 18, defect 6)', async (t) => {
  const [notification] = parseStatement(fixture('camt054-v08-no-dates.xml'), 'auto');
  if (notification === undefined) throw new Error('no notification');
  t.same(
    notification.entries.map((e) => [e.reference, e.amountMinor, e.direction, e.bookingDate, e.bookingDateFrom, e.valueDate]),
    [
      ['dep-ann-7', 12000n, 'credit', '2026-07-10', 'statement_created', null],
      ['dep-ann-8', 8000n, 'credit', '2026-07-09', 'booking_date', '2026-07-10'],
      [null, 500n, 'debit', '2026-07-08', 'value_date', '2026-07-08'],
    ],
  );
  const withoutNotificationDate = fixture('camt054-v08-no-dates.xml').replace('<CreDtTm>2026-07-10T09:15:00+08:00</CreDtTm>', '');
  t.equal(parseStatement(withoutNotificationDate, 'auto')[0]?.entries[0]?.bookingDate, '2026-07-09', 'else the message creation date (GrpHdr)');
  const noDateAtAll = withoutNotificationDate.replace('<CreDtTm>2026-07-09T08:00:00+08:00</CreDtTm>', '');
  t.throws(() => parseStatement(noDateAtAll, 'auto'), { code: 'statement_unreadable' }, 'no date anywhere: refused, 400');
});
