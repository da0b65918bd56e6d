import fc from 'fast-check';
import t from 'tap';
import { reconcile, type Finding, type InternalOrder } from '../../../core/reconciliation/match.js';
import type { StatementEntry } from '../../../core/reconciliation/statement.js';

const order = (orderNo: string, amountMinor: bigint, patch: Partial<InternalOrder> = {}): InternalOrder => ({
  key: orderNo,
  orderNo,
  instruction: null,
  account: null,
  currency: 'CNY',
  amountMinor,
  direction: 'credit',
  date: '2026-03-02',
  status: 'succeeded',
  batchId: null,
  ...patch,
});
const entry = (index: number, reference: string | null, amountMinor: bigint, patch: Partial<StatementEntry> = {}): StatementEntry => ({
  index,
  reference,
  instruction: null,
  account: 'A',
  bankReference: `B${index}`,
  amountMinor,
  currency: 'CNY',
  direction: 'credit',
  reversal: false,
  status: 'booked',
  bookingDate: '2026-03-02',
  bookingDateFrom: 'booking_date',
  valueDate: null,
  description: null,
  transactions: [],
  ...patch,
});
const kinds = (findings: Finding[]) =>
  findings.map((f) => (f.kind === 'matched' ? `matched/${f.rule}:${f.entry.index}=${f.orders.map((o) => o.key).join('+')}` : f.kind === 'missing_at_bank' ? `missing_at_bank:${f.order.key}` : `${f.kind}:${'entry' in f ? f.entry.index : ''}`));

t.test('reference first: matched, amount mismatch, status mismatch', async (t) => {
  const findings = reconcile(
    [entry(0, 'o1', 100n), entry(1, 'o2', 250n), entry(2, 'o3', 300n), entry(3, 'o4', 400n)],
    [order('o1', 100n), order('o2', 200n), order('o3', 300n, { status: 'failed' }), order('o4', 400n, { status: 'pending' })],
  );
  t.same(kinds(findings), ['matched/reference:0=o1', 'amount_mismatch:1', 'status_mismatch:2', 'status_mismatch:3']);
});

t.test('then amount and date within the window, closest date first; then one-to-many', async (t) => {
  const findings = reconcile(
    [entry(0, null, 500n, { bookingDate: '2026-03-03' }), entry(1, 'unknown-ref', 700n), entry(2, null, 900n)],
    [
      order('far', 500n, { date: '2026-02-28' }),
      order('near', 500n, { date: '2026-03-02' }),
      order('b1', 300n, { batchId: 'batch-7' }),
      order('b2', 400n, { batchId: 'batch-7' }),
      order('x1', 450n, { date: '2026-03-01' }),
      order('x2', 450n, { date: '2026-03-01' }),
    ],
  );
  t.same(kinds(findings), ['matched/amount_and_date:0=near', 'matched/one_to_many:1=b1+b2', 'matched/one_to_many:2=x1+x2', 'missing_at_bank:far']);
});

t.test('a batched entry naming its transactions matches them by reference; pending entries and failed orders are not findings', async (t) => {
  const batched = entry(0, null, 300n, { direction: 'debit', transactions: [{ reference: 'd1', instruction: null, remittance: null, amountMinor: 100n }, { reference: 'd2', instruction: null, remittance: null, amountMinor: 200n }] });
  const findings = reconcile(
    [batched, entry(1, 'p1', 50n, { status: 'pending' }), entry(2, 'zz', 10n)],
    [order('d1', 100n, { direction: 'debit' }), order('d2', 200n, { direction: 'debit' }), order('gone', 70n, { status: 'failed' })],
  );
  t.same(kinds(findings), ['matched/reference:0=d1+d2', 'missing_internally:2']);
});

t.test('batch items: the same order no on several accounts, told apart by item and account', async (t) => {
  const items = [
    order('disb-1/c1/from', 100n, { orderNo: 'disb-1', instruction: 'c1', account: 'inv-a', direction: 'debit' }),
    order('disb-1/c1/to', 100n, { orderNo: 'disb-1', instruction: 'c1', account: 'borrower', direction: 'credit' }),
    order('disb-1/c2/from', 200n, { orderNo: 'disb-1', instruction: 'c2', account: 'inv-b', direction: 'debit' }),
    order('disb-1/c2/to', 200n, { orderNo: 'disb-1', instruction: 'c2', account: 'borrower', direction: 'credit' }),
  ];
  const findings = reconcile(
    [
      entry(0, 'disb-1', 100n, { instruction: 'c1', account: 'inv-a', direction: 'debit' }),
      entry(1, 'disb-1', 200n, { instruction: 'c2', account: 'inv-b', direction: 'debit' }),
      entry(2, 'disb-1', 100n, { instruction: 'c1', account: 'borrower' }),
      entry(3, 'disb-1', 200n, { instruction: 'c2', account: 'borrower' }),
    ],
    items,
  );
  t.same(kinds(findings), ['matched/reference:0=disb-1/c1/from', 'matched/reference:1=disb-1/c2/from', 'matched/reference:2=disb-1/c1/to', 'matched/reference:3=disb-1/c2/to']);
});

t.test('several items of one order on one account, without instruction ids: told apart by amount, in any order', async (t) => {
  const items = [
    order('R1/1/from', 100n, { orderNo: 'R1', instruction: '1', account: 'xu', direction: 'debit' }),
    order('R1/2/from', 200n, { orderNo: 'R1', instruction: '2', account: 'xu', direction: 'debit' }),
  ];
  const lines = [entry(0, 'R1', 200n, { account: 'xu', direction: 'debit' }), entry(1, 'R1', 100n, { account: 'xu', direction: 'debit' })];
  t.same(kinds(reconcile(lines, items)), ['matched/reference:0=R1/2/from', 'matched/reference:1=R1/1/from']);
});

t.test('a mismatch names every order the entry names: the difference is against their sum', async (t) => {
  const items = [order('R1/1', 100n, { orderNo: 'R1/1', direction: 'debit' }), order('R1/2', 200n, { orderNo: 'R1/2', direction: 'debit' })];
  const lumped = entry(0, null, 310n, { direction: 'debit', transactions: [{ reference: 'R1/1', instruction: null, remittance: null, amountMinor: 100n }, { reference: 'R1/2', instruction: null, remittance: null, amountMinor: 210n }] });
  const [finding, ...rest] = reconcile([lumped], items);
  t.same(rest, [], 'one finding, no order left without one');
  t.match(finding, { kind: 'amount_mismatch', orders: [{ key: 'R1/1' }, { key: 'R1/2' }] });
  const pending = reconcile([entry(0, 'P', 50n)], [order('P', 50n, { status: 'pending' })]);
  t.match(pending, [{ kind: 'status_mismatch', orders: [{ key: 'P', status: 'pending' }] }]);
});

t.test('an order alone under its reference, booked the other way: one amount mismatch, not a drop and a miss', async (t) => {
  t.same(kinds(reconcile([entry(0, 'D1', 500n, { direction: 'debit' })], [order('D1', 500n)])), ['amount_mismatch:0']);
});

/**
 * Property: a bank statement produced from fundcore's succeeded orders, with injected
 * differences of each kind, reconciles to exactly those differences — each once — and a
 * match for everything else.
 */
t.test('property: injected differences are each found once and classified right; no false positives', async () => {
  const scenario = fc.record({
    amounts: fc.array(fc.bigInt({ min: 1n, max: 5_000n }).map((x) => x * 100n), { minLength: 1, maxLength: 40 }),
    dropped: fc.array(fc.nat(), { maxLength: 3 }),
    changed: fc.array(fc.nat(), { maxLength: 3 }),
    pendingInside: fc.array(fc.nat(), { maxLength: 3 }),
    unknown: fc.integer({ min: 0, max: 3 }),
  });
  fc.assert(
    fc.property(scenario, ({ amounts, dropped, changed, pendingInside, unknown }) => {
      const n = amounts.length;
      const role = new Map<number, 'dropped' | 'changed' | 'pending'>();
      for (const i of dropped) role.set(i % n, 'dropped');
      for (const i of changed) if (!role.has(i % n)) role.set(i % n, 'changed');
      for (const i of pendingInside) if (!role.has(i % n)) role.set(i % n, 'pending');
      const orders = amounts.map((amount, i) => order(`o${i}`, amount, { status: role.get(i) === 'pending' ? 'pending' : 'succeeded' }));
      const entries: StatementEntry[] = [];
      amounts.forEach((amount, i) => {
        if (role.get(i) === 'dropped') return;
        entries.push(entry(entries.length, `o${i}`, role.get(i) === 'changed' ? amount + 1n : amount));
      });
      // Unknown entries carry amounts no order has (odd minor units), so nothing can claim them by amount.
      for (let u = 0; u < unknown; u++) entries.push(entry(entries.length, `bank-only-${u}`, 1_000_001n + BigInt(2 * u)));
      const findings = reconcile(entries, orders);
      const got = findings.filter((f) => !(f.kind === 'matched')).map((f) => (f.kind === 'missing_at_bank' ? `missing_at_bank:${f.order.key}` : `${f.kind}:${'entry' in f ? f.entry.reference : ''}`)).sort();
      const want = [
        ...[...role].map(([i, r]) => (r === 'dropped' ? `missing_at_bank:o${i}` : r === 'changed' ? `amount_mismatch:o${i}` : `status_mismatch:o${i}`)),
        ...Array.from({ length: unknown }, (_, u) => `missing_internally:bank-only-${u}`),
      ].sort();
      const matched = findings.filter((f) => f.kind === 'matched').length;
      const booked = entries.length;
      const perEntry = new Set(findings.flatMap((f) => ('entry' in f ? [f.entry.index] : [])));
      return JSON.stringify(got) === JSON.stringify(want) && matched === n - role.size && perEntry.size === booked;
    }),
    { numRuns: 300 },
  );
});
