import fc from 'fast-check';
import t from 'tap';
import { addDays, addMonths } from '../../../core/calendar/business-date.js';
import { archiveEndedBefore } from '../../../persistence/archive/archiver.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModelQueries } from '../../../persistence/projections/queries.js';
import { prepared, ReadModel } from '../../../persistence/projections/read-model.js';

const firstDay = '2024-01-01';
const dayOf = (n: number) => addDays(firstDay, n);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const investors = ['inv-a', 'inv-b', 'inv-c'];
const accounts = [...investors, 'sys-x'];

const day = fc.integer({ min: 0, max: 900 });
const historyArb = fc.record({
  legs: fc.array(fc.record({ account: fc.constantFrom(...accounts), credit: fc.boolean(), amount: fc.bigInt({ min: 1n, max: 10_000n }), day, atOffsetMs: fc.integer({ min: -3_600_000, max: 2 * 86_400_000 }) }), { maxLength: 60 }),
  transfers: fc.array(
    fc.record({ debit: fc.constantFrom(...accounts), credit: fc.constantFrom(...accounts), status: fc.constantFrom('pending', 'posted', 'voided', 'returned', 'rejected'), credited: fc.boolean(), reversedBy: fc.option(fc.nat(), { nil: null }), day }),
    { maxLength: 30 },
  ),
  claims: fc.array(fc.record({ investor: fc.constantFrom(...investors), ended: fc.boolean(), parent: fc.option(fc.nat(), { nil: null }), day }), { maxLength: 30 }),
  capitals: fc.array(
    fc.record({ investor: fc.constantFrom(...investors), ended: fc.boolean(), flows: fc.array(fc.record({ day, delta: fc.bigInt({ min: -5_000n, max: 5_000n }) }), { maxLength: 4 }), created: day }),
    { maxLength: 12 },
  ),
  cutoffMonths: fc.integer({ min: 0, max: 31 }),
});
type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never;

/** Rows as the projectors would write them, from a random history (the archive sees rows, not events). */
function write(model: ReadModel, history: History): void {
  const db = model.db;
  for (const account of accounts) prepared(db, "insert into account_parts values (?, ?, 'asset', 'CNY', 0, 1, 0, 0, null, 0, 0, 0, 0, 0)").run(account, account);
  const leg = prepared(db, "insert into legs values (?, ?, ?, ?, ?, ?, 'CNY', ?, ?, ?)");
  history.legs.forEach((l, i) => leg.run(BigInt(i + 1), 0n, l.account, `t-${i}`, l.credit ? 'credit' : 'debit', l.amount, BigInt(msOf(dayOf(l.day)) + l.atOffsetMs), dayOf(l.day), dayOf(l.day)));
  const transfer = prepared(db,
    `insert into transfers (id, debit, credit, amount, currency, status, pending, reversed_by, created_at, updated_at, credited_at, business_date)
     values (?, ?, ?, 100, 'CNY', ?, 0, ?, ?, ?, ?, ?)`,
  );
  history.transfers.forEach((x, i) => {
    const at = BigInt(msOf(dayOf(x.day)));
    transfer.run(`tr-${String(i).padStart(3, '0')}`, x.debit, x.credit, x.status, x.reversedBy === null ? null : `rev-${x.reversedBy}`, at, at, x.credited ? at : null, dayOf(x.day));
  });
  const claim = prepared(db, "insert into claims values (?, 'loan-1', 'inv-1', 'cap-1', ?, 'bor', 100, ?, 30, 'p', 's', ?, null, '2030-01-01', null, ?, 0, ?, ?)");
  history.claims.forEach((c, i) => {
    const parent = c.parent === null || i === 0 ? null : `cl-${String(c.parent % i).padStart(3, '0')}`;
    claim.run(`cl-${String(i).padStart(3, '0')}`, c.investor, c.ended ? 0n : 100n, c.ended ? 'finished' : 'matched', parent, dayOf(Math.max(0, c.day - 30)), c.ended ? dayOf(c.day) : null);
  });
  const capital = prepared(db, "insert into capitals values (?, 'inv-1', ?, 0, 1000, 1000, 0, ?, 'p', 's', ?, '2030-01-01')");
  const flow = prepared(db, 'insert into capital_flows values (?, ?, ?, ?, ?)');
  history.capitals.forEach((c, i) => {
    capital.run(`cap-${i}`, c.investor, c.ended ? 'fully_matched' : 'normal', dayOf(c.created));
    c.flows.forEach((f, j) => flow.run(c.investor, `cap-${i}`, BigInt(i * 10 + j), dayOf(f.day), f.delta));
  });
}

/** Every page of a paged query, walked with a small limit. */
function walk(run: (cursor: string | undefined) => { items: unknown[]; nextCursor: string | null }): unknown[] {
  const items: unknown[] = [];
  for (let cursor: string | undefined, n = 0; n < 1_000; n++) {
    const page = run(cursor);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('the pages never end');
}

/** What every query answers (where the rows came from left out: that is the only thing allowed to differ). */
function answers(queries: ReadModelQueries, cutoff: string): unknown {
  const ranges = [[dayOf(0), dayOf(900)], [addDays(cutoff, -40), addDays(cutoff, 40)], [addDays(cutoff, 3), addDays(cutoff, 70)], [dayOf(100), dayOf(200)]] as const;
  const instants = [msOf(dayOf(50)), msOf(addDays(cutoff, -1)) + 3_600_000, msOf(cutoff), msOf(addDays(cutoff, 15)), msOf(dayOf(950))];
  const out: Record<string, unknown> = {};
  for (const account of accounts) {
    out[`cashflow ${account}`] = walk((cursor) => queries.cashflow(account, {}, cursor, 3));
    for (const [from, to] of ranges) out[`cashflow ${account} ${from}..${to}`] = walk((cursor) => queries.cashflow(account, { fromDay: from, toDay: to }, cursor, 2));
    out[`transfers ${account}`] = walk((cursor) => queries.transfers({ account }, cursor, 2));
    for (const at of instants) out[`balance ${account} ${at}`] = queries.balanceAt(account, at).balances;
  }
  for (const status of ['posted', 'reversed', 'voided']) out[`transfers ${status}`] = walk((cursor) => queries.transfers({ status }, cursor, 4));
  for (const investor of investors) {
    for (const [from, to] of ranges) {
      const { sources: _sources, position: _position, ...statement } = queries.statement(investor, from, to);
      out[`statement ${investor} ${from}..${to}`] = statement;
      out[`holding ${investor} ${to}`] = queries.depositoryHolding(investor, to);
    }
    out[`claims ${investor}`] = walk((cursor) => queries.claims({ investor }, cursor, 2));
  }
  out['claims finished'] = walk((cursor) => queries.claims({ status: 'finished' }, cursor, 3));
  for (let i = 0; i < 30; i++) out[`lineage ${i}`] = queries.lineage(`cl-${String(i).padStart(3, '0')}`)?.chain ?? null;
  return JSON.parse(JSON.stringify(out, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)));
}

t.test('archive then query: every answer over hot and archived rows equals the answer before archiving (random histories)', async (t) => {
  let archivedSome = 0;
  await fc.assert(
    fc.asyncProperty(historyArb, async (history) => {
      const model = new ReadModel(':memory:', allProjectors);
      try {
        write(model, history);
        const cutoff = addMonths(firstDay, history.cutoffMonths);
        const queries = new ReadModelQueries(model);
        const before = answers(queries, cutoff);
        const run = await archiveEndedBefore(model, cutoff);
        if (run.moved.length > 0) archivedSome++;
        // Nothing that ended before the cutoff is hot any more; what had not ended still is.
        const left = prepared(model.db, 'select count(*) as n from legs where day < ?').get(cutoff) as { n: bigint };
        const stillOpen = prepared(model.db, "select count(*) as n from claims where status = 'matched'").get() as { n: bigint };
        t.equal(left.n, 0n);
        t.equal(stillOpen.n, BigInt(history.claims.filter((c) => !c.ended).length));
        t.same(answers(queries, cutoff), before);
        // A second run finds nothing more to move, and answers stay the same.
        t.same((await archiveEndedBefore(model, cutoff)).moved, []);
        t.same(answers(queries, cutoff), before);
      } finally {
        model.close();
      }
    }),
    { numRuns: 40 },
  );
  t.ok(archivedSome > 10, `runs that moved rows: ${archivedSome}`);
});
