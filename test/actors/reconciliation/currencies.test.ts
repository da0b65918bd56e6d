import { readFileSync } from 'node:fs';
import t from 'tap';
import type { OrderRow } from '../../../actors/reconciliation/expected-entries.js';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { reconcileStatements, type BankOrderSource } from '../../../actors/reconciliation/reconcile-statements.js';
import { footCheck } from '../../../core/reconciliation/foot.js';
import { defaultMatchOptions } from '../../../core/reconciliation/match.js';
import { repoPath } from '../../helpers/repo.js';

/** Issue 18, defects 4 and 2: currencies in statements. */
const fixture = (name: string) => readFileSync(repoPath(`test/fixtures/statements/${name}`), 'utf8');

const deposit = (orderNo: string, amount: bigint, day: string): OrderRow => ({ order_no: orderNo, kind: 'deposit', account: 'ann', amount, status: 'succeeded', business_date: day, posting_refusal: null });
const source = (orders: OrderRow[]): BankOrderSource => ({
  byDates: (from, to) => ({ orders: orders.filter((o) => o.business_date >= from && o.business_date <= to), items: [] }),
  byNumbers: (numbers) => ({ orders: orders.filter((o) => numbers.includes(o.order_no)), items: [] }),
});
const kinds = (found: Awaited<ReturnType<typeof reconcileStatements>>) => found.findings.map(({ finding }) => `${finding.kind}:${'entry' in finding ? finding.entry.index : finding.kind === 'missing_at_bank' ? finding.order.orderNo : ''}`);

t.test('a foreign-currency entry is a finding of its own; the statement is still read and its foot checked (defect 4)', async (t) => {
  const statements = parseStatement(fixture('camt053-foreign-entry.xml'), 'auto');
  const [statement] = statements;
  if (statement === undefined) throw new Error('no statement');
  t.same(
    statement.entries.map((e) => [e.currency, e.amountMinor]),
    [
      ['CNY', 20000n],
      ['EUR', 1250n],
      ['KWD', 1234n],
    ],
    'each entry in minor units of its own currency (KWD has 3 decimals)',
  );
  const foot = footCheck(statement);
  t.match(foot, { checked: true, foots: false, computedClosingMinor: 120000n, differenceMinor: 10000n }, 'footed in CNY without the foreign entries: 100.00 short');
  const found = await reconcileStatements(statements, source([deposit('dep-fx-1', 20000n, '2026-08-03')]), defaultMatchOptions);
  t.same(kinds(found), ['foreign_currency:1', 'foreign_currency:2', 'matched:0']);
  t.equal(found.statements[0]?.foot.foots, false, 'reported as not footing');
});

t.test('a row of a CSV in another currency is read in it, not refused', async (t) => {
  const csv = 'ref,amount,date,ccy\ndep-1,120.00,2026-06-01,CNY\n,12000,2026-06-01,JPY\n';
  const [statement] = parseStatement(csv, 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date', currency: 'ccy' }, currency: 'CNY' });
  t.same(statement?.entries.map((e) => [e.currency, e.amountMinor]), [
    ['CNY', 12000n],
    ['JPY', 12000n],
  ]);
  t.throws(() => parseStatement(csv.replace('JPY', 'ZZZ'), 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date', currency: 'ccy' }, currency: 'CNY' }), { code: 'statement_currency_unknown' }, 'no ISO 4217 code: refused');
});

t.test('amounts compare only within one currency: JPY 12,000 never matches CNY 120.00, EUR never CNY (defect 2)', async (t) => {
  const csv = (amount: string, ref = '') => `ref,amount,date\n${ref},${amount},2026-06-01\n`;
  const read = (currency: string, amount: string, ref?: string) => parseStatement(csv(amount, ref), 'csv', { columns: { reference: 'ref', amount: 'amount', date: 'date' }, currency, account: 'ann' });
  const orders = source([deposit('dep-cny', 12000n, '2026-06-01')]);
  t.same(kinds(await reconcileStatements(read('JPY', '12000'), orders, defaultMatchOptions)), ['missing_internally:0', 'missing_at_bank:dep-cny'], 'JPY 12000 = 12000 minor units, not CNY 120.00');
  t.same(kinds(await reconcileStatements(read('EUR', '120.00'), orders, defaultMatchOptions)), ['missing_internally:0', 'missing_at_bank:dep-cny'], 'EUR 120.00 by amount and date');
  t.same(kinds(await reconcileStatements(read('EUR', '120.00', 'dep-cny'), orders, defaultMatchOptions)), ['amount_mismatch:0'], 'by reference: same figure, other currency is a mismatch');
  t.same(kinds(await reconcileStatements(read('CNY', '120.00'), orders, defaultMatchOptions)), ['matched:0'], 'CNY 120.00 matches');
});
