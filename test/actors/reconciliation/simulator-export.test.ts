import fc from 'fast-check';
import t from 'tap';
import { BankBooks, type StatementEntry as SimEntry } from '../../../bench/bank-sim/books.js';
import { statementCamt053, type ReferencePlace } from '../../../bench/bank-sim/statement.js';
import type { ItemRow, OrderRow } from '../../../actors/reconciliation/expected-entries.js';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { reconcileStatements, type BankOrderSource } from '../../../actors/reconciliation/reconcile-statements.js';
import { defaultMatchOptions } from '../../../core/reconciliation/match.js';

/**
 * Issue 18: random ledger activity, booked by the bank simulator's books and exported as
 * camt.053 (one file a day), reconciles to all matched; one changed amount, one dropped entry,
 * one extra entry each give exactly one finding of the right class.
 */
const wallets = ['ann', 'ben', 'cai', 'dan'] as const;
const days = ['2031-03-02', '2031-03-03', '2031-03-04'] as const;

const operation = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), account: fc.constantFrom(...wallets), amount: fc.bigInt({ min: 1n, max: 900_000n }), day: fc.constantFrom(...days) }),
  fc.record({ kind: fc.constant('withdrawal' as const), account: fc.constantFrom(...wallets), amount: fc.bigInt({ min: 1n, max: 900_000n }), day: fc.constantFrom(...days) }),
  fc.record({
    kind: fc.constant('disbursement' as const),
    items: fc.array(fc.record({ from: fc.constantFrom(...wallets), to: fc.constantFrom(...wallets), amount: fc.bigInt({ min: 1n, max: 900_000n }) }), { minLength: 1, maxLength: 4 }),
    day: fc.constantFrom(...days),
  }),
);

type Operation = typeof operation extends fc.Arbitrary<infer O> ? O : never;

/** The bank's books and fundcore's read model of the same activity. */
function activity(operations: readonly Operation[]) {
  const books = new BankBooks(() => false);
  const orders: OrderRow[] = [];
  const items: ItemRow[] = [];
  operations.forEach((op, n) => {
    if (op.kind === 'disbursement') {
      const orderNo = `disb-loan${n}`;
      const own = op.items.filter((item) => item.from !== item.to).map((item, i) => ({ ref: `loan${n}/c${i + 1}`, ...item }));
      if (own.length === 0) return;
      books.batch('disbursement', own, op.day, orderNo, `BT-${n}`);
      orders.push({ order_no: orderNo, kind: 'disbursement', account: null, amount: own.reduce((sum, item) => sum + item.amount, 0n), status: 'succeeded', business_date: op.day, posting_refusal: null });
      items.push(...own.map((item) => ({ order_no: orderNo, ref: item.ref, from_account: item.from, to_account: item.to, amount: item.amount })));
      return;
    }
    const orderNo = `${op.kind === 'deposit' ? 'dep' : 'wd'}-${n}`;
    if (op.kind === 'deposit') books.deposit(op.account, op.amount, op.day, orderNo, `BT-${n}`);
    else books.withdraw(op.account, op.amount, op.day, orderNo, `BT-${n}`);
    orders.push({ order_no: orderNo, kind: op.kind, account: op.account, amount: op.amount, status: 'succeeded', business_date: op.day, posting_refusal: null });
  });
  const source: BankOrderSource = {
    byDates: (from, to) => ({ orders: orders.filter((o) => o.business_date >= from && o.business_date <= to), items }),
    byNumbers: (numbers) => ({ orders: orders.filter((o) => numbers.includes(o.order_no)), items }),
  };
  return { entries: books.entries, source };
}

/** One camt.053 file a day, every wallet stated, as the simulator exports them. */
async function reconcileExport(entries: readonly SimEntry[], source: BankOrderSource, place: ReferencePlace) {
  const statements = days.flatMap((day) => parseStatement(statementCamt053(entries, day, new Date(Date.UTC(2031, 2, 5)), wallets, place), 'auto'));
  const found = await reconcileStatements(statements, source, defaultMatchOptions);
  return { kinds: found.findings.map(({ finding }) => finding.kind), trusted: found.statements.every(({ foot }) => foot.foots) };
}

const others = (kinds: readonly string[]) => kinds.filter((kind) => kind !== 'matched');

t.test('property: a clean export reconciles to all matched, wherever the order number is carried', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), fc.constantFrom<ReferencePlace>('end_to_end', 'instruction', 'remittance'), async (operations, place) => {
      const { entries, source } = activity(operations);
      const { kinds, trusted } = await reconcileExport(entries, source, place);
      return trusted && others(kinds).length === 0 && kinds.length === entries.length;
    }),
    { numRuns: 60 },
  );
});

t.test('property: one changed amount, one dropped entry, one extra entry: exactly one finding of the right class', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), fc.nat(), fc.constantFrom('changed', 'dropped', 'extra'), async (operations, pick, change) => {
      const { entries, source } = activity(operations);
      if (entries.length === 0) return true;
      const at = pick % entries.length;
      const target = entries[at] as SimEntry;
      const tampered =
        change === 'changed'
          ? entries.map((entry, i) => (i === at ? { ...entry, amount: entry.amount + 1n } : entry))
          : change === 'dropped'
            ? entries.filter((_, i) => i !== at)
            : [...entries, { ...target, seq: 99_999, orderNo: 'dep-extra', ref: 'dep-extra', kind: 'deposit', direction: 'credit' as const, amount: 1_000_000_001n }];
      const { kinds } = await reconcileExport(tampered, source, 'end_to_end');
      const expected = { changed: 'amount_mismatch', dropped: 'missing_at_bank', extra: 'missing_internally' }[change];
      return JSON.stringify(others(kinds)) === JSON.stringify([expected]);
    }),
    { numRuns: 80 },
  );
});
