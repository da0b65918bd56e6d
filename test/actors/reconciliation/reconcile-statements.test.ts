import t from 'tap';
import type { ItemRow, OrderRow } from '../../../actors/reconciliation/expected-entries.js';
import { reconcileStatements, type BankOrderSource } from '../../../actors/reconciliation/reconcile-statements.js';
import { defaultMatchOptions } from '../../../core/reconciliation/match.js';
import type { Statement, StatementEntry } from '../../../core/reconciliation/statement.js';

const orderRow = (orderNo: string, kind: 'deposit' | 'withdrawal', amount: bigint, businessDate: string, patch: Partial<OrderRow> = {}): OrderRow => ({
  order_no: orderNo,
  kind,
  account: 'ann',
  amount,
  status: 'succeeded',
  business_date: businessDate,
  posting_refusal: null,
  ...patch,
});

/** The read model's side, in memory: by dates and by numbers, as the queries answer. */
function source(orders: OrderRow[], items: ItemRow[] = []): BankOrderSource & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    byDates: (from, to) => ({ orders: orders.filter((o) => o.business_date >= from && o.business_date <= to), items }),
    byNumbers: (numbers) => {
      asked.push([...numbers]);
      return { orders: orders.filter((o) => numbers.includes(o.order_no)), items: [] };
    },
  };
}

const line = (index: number, reference: string, amountMinor: bigint, bookingDate: string, direction: 'credit' | 'debit' = 'credit'): StatementEntry => ({
  index,
  reference,
  instruction: null,
  account: 'ann',
  bankReference: null,
  amountMinor,
  currency: 'CNY',
  direction,
  reversal: false,
  status: 'booked',
  bookingDate,
  bookingDateFrom: 'booking_date',
  valueDate: null,
  description: null,
  transactions: [],
});

const statement = (id: string, day: string, entries: StatementEntry[], format: Statement['format'] = 'mt940'): Statement => ({
  format,
  id,
  account: 'ann',
  currency: 'CNY',
  opening: null,
  closing: null,
  period: { from: day, to: day },
  entries,
});

const summary = (found: Awaited<ReturnType<typeof reconcileStatements>>) => found.findings.map(({ statement, finding }) => `${finding.kind}@${statement?.id ?? '-'}`);

t.test("statements of one account are reconciled together: an order booked the day after it was sent is one match, not a miss and a match", async (t) => {
  const orders = source([orderRow('dep-1', 'deposit', 500n, '2031-05-05')]);
  const found = await reconcileStatements([statement('D5', '2031-05-05', []), statement('D6', '2031-05-06', [line(0, 'dep-1', 500n, '2031-05-06')])], orders, defaultMatchOptions);
  t.same(summary(found), ['matched@D6']);
});

t.test('an entry naming an order sent long before the window is matched by number, not reported dropped', async (t) => {
  const orders = source([orderRow('wd-1', 'withdrawal', 800n, '2031-05-01')]);
  const found = await reconcileStatements([statement('D9', '2031-05-09', [line(0, 'wd-1', 800n, '2031-05-09', 'debit')])], orders, defaultMatchOptions);
  t.same(summary(found), ['matched@D9']);
  t.same(orders.asked, [['wd-1']], 'only the number the window did not bring');
});

t.test('notifications (camt.054) are partial: nothing is reported missing from them', async (t) => {
  const orders = source([orderRow('dep-1', 'deposit', 500n, '2031-05-05'), orderRow('dep-2', 'deposit', 700n, '2031-05-05')]);
  const notified = await reconcileStatements([statement('N1', '2031-05-05', [line(0, 'dep-1', 500n, '2031-05-05')], 'camt.054')], orders, defaultMatchOptions);
  t.same(summary(notified), ['matched@N1']);
  const stated = await reconcileStatements([statement('S1', '2031-05-05', [line(0, 'dep-1', 500n, '2031-05-05')], 'camt.053')], orders, defaultMatchOptions);
  t.same(summary(stated), ['matched@S1', 'missing_at_bank@-'], 'a statement is whole: the other deposit is missing at the bank');
});

t.test('an order the bank completed but the ledger refused to post is a status mismatch, not a match', async (t) => {
  const orders = source([orderRow('dep-1', 'deposit', 500n, '2031-05-05', { posting_refusal: 'account_closed' })]);
  const found = await reconcileStatements([statement('S1', '2031-05-05', [line(0, 'dep-1', 500n, '2031-05-05')], 'camt.053')], orders, defaultMatchOptions);
  t.same(summary(found), ['status_mismatch@S1']);
});

t.test('orders of other accounts and dated outside the statement are not reported missing from it', async (t) => {
  const orders = source([orderRow('dep-1', 'deposit', 500n, '2031-05-04'), orderRow('dep-2', 'deposit', 500n, '2031-05-05', { account: 'ben' })]);
  const found = await reconcileStatements([statement('S1', '2031-05-05', [], 'camt.053')], orders, defaultMatchOptions);
  t.same(summary(found), []);
});

t.test('balance drift: the latest closing balance of each account against what the ledger says the bank should hold (issue 18, defect 13)', async (t) => {
  const closed = (id: string, day: string, closingMinor: bigint, currency = 'CNY'): Statement => ({ ...statement(id, day, []), currency, closing: { amountMinor: closingMinor, date: day } });
  const asked: string[] = [];
  // ann books CNY, yuki JPY: the ledger answers only in the account's own currency
  const books: Record<string, [string, bigint]> = { ann: ['CNY', 1_000n], yuki: ['JPY', 1_200n] };
  const holding = (account: string, day: string, currency: string) => {
    asked.push(`${account}@${day}`);
    const [booked, held] = books[account] ?? [null, 0n];
    return booked === currency ? held : null;
  };
  const drifts = async (statements: Statement[]) => (await reconcileStatements(statements, { ...source([]), holding }, defaultMatchOptions)).findings.flatMap(({ finding }) => (finding.kind === 'balance_drift' ? [finding.drift] : []));
  t.same(await drifts([closed('D1', '2031-05-01', 700n), closed('D2', '2031-05-02', 900n)]), [{ account: 'ann', date: '2031-05-02', currency: 'CNY', statementMinor: 900n, expectedMinor: 1_000n, differenceMinor: -100n }], 'the latest cut only');
  t.same(asked, ['ann@2031-05-02']);
  t.same(await drifts([closed('D3', '2031-05-03', 1_000n)]), [], 'equal: no finding');
  t.same(await drifts([{ ...closed('D4', '2031-05-04', 5n), account: 'zed' }]), [], 'an account the ledger does not know: not checked');
  t.same(await drifts([closed('D5', '2031-05-05', 5n, 'EUR')]), [], "not in the account's currency: not checked");
  t.same(await drifts([{ ...closed('D7', '2031-05-07', 1_199n, 'JPY'), account: 'yuki' }]), [{ account: 'yuki', date: '2031-05-07', currency: 'JPY', statementMinor: 1_199n, expectedMinor: 1_200n, differenceMinor: -1n }], 'another currency than CNY: checked in its own');
  t.same(await drifts([{ ...closed('D6', '2031-05-06', 5n), closing: null }]), [], 'no closing balance: not checked');
});
