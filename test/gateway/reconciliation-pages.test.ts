import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { ItemRow, OrderRow } from '../../actors/reconciliation/expected-entries.js';
import { parseStatement, type StatementFormat } from '../../actors/reconciliation/parse-statement.js';
import type { CsvOptions } from '../../actors/reconciliation/parse-csv.js';
import { reconcileStatements } from '../../actors/reconciliation/reconcile-statements.js';
import { defaultMatchOptions } from '../../core/reconciliation/match.js';
import { buildReport } from '../../core/reconciliation/report.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { gateway, opsKey, type GatewayHarness } from '../helpers/gateway.js';
import { repoPath } from '../helpers/repo.js';

// Each case starts a worker thread, which under tap loads its TypeScript loader anew: seconds
// each on a busy 2-core machine. A longer timeout than the suite's, not a timed assertion.
t.setTimeout(300_000);

const ops = { authorization: `Bearer ${opsKey}` };
const fixture = (name: string) => readFileSync(repoPath(`test/fixtures/statements/${name}`), 'utf8');

/** Bank orders the fixtures name (test/fixtures/statements), put straight into the read model: something to match. */
function seedOrders(h: GatewayHarness): void {
  const db = h.node.readModel.db;
  const order = db.prepare(
    "insert into bank_orders (order_no, kind, account, amount, items, status, business_date, created_at, conflict) values (?, ?, ?, ?, ?, 'succeeded', ?, 0, 0)",
  );
  order.run('dep-1001', 'deposit', 'CN12DEPO0000000000001234', 500_00n, 0n, '2026-03-02');
  order.run('wd-2001', 'withdrawal', 'CN12DEPO0000000000001234', 15_44n, 0n, '2026-03-02');
  order.run('disb-3001', 'disbursement', null, 250_00n, 3n, '2026-03-01');
  order.run('dep-1002', 'deposit', 'CN12DEPO0000000000001234', 77_00n, 0n, '2026-03-02');
  const item = db.prepare('insert into bank_order_items (order_no, ref, from_account, to_account, amount) values (?, ?, ?, ?, ?)');
  for (const [ref, amount] of [['disb-3001', 100_00n], ['disb-3002', 100_00n], ['disb-3003', 50_00n]] as const) item.run('disb-3001', ref, 'CN12DEPO0000000000001234', 'borrower', amount);
}

/** The report as one reconciliation on the node's thread made it before statement jobs (the old query's order of rows). */
async function reportBefore(h: GatewayHarness, id: string, content: string, format: StatementFormat | 'auto', createdAt: number, csv?: CsvOptions) {
  await h.node.projections.catchUpFully();
  const db = h.node.readModel.db;
  const itemsOf = (orders: OrderRow[]) => db.prepare('select * from bank_order_items where order_no in (select value from json_each(?)) order by order_no, ref').all(JSON.stringify(orders.map((o) => o.order_no))) as ItemRow[];
  const statements = parseStatement(content, format, csv);
  const reconciled = await reconcileStatements(
    statements,
    {
      byDates: (from, to) => {
        const orders = db.prepare('select * from bank_orders where business_date >= ? and business_date <= ? order by order_no').all(from, to) as OrderRow[];
        return { orders, items: itemsOf(orders) };
      },
      byNumbers: (numbers) => h.node.queries.bankOrdersByNumber(numbers) as unknown as { orders: OrderRow[]; items: ItemRow[] },
      holding: (account, day) => h.node.queries.depositoryHolding(account, day),
    },
    defaultMatchOptions,
  );
  return buildReport(id, statements[0]?.format ?? format, reconciled.statements, reconciled.findings, createdAt);
}

/** Both lists of a recorded report, read back from the read model through the node. */
async function readBack(h: GatewayHarness, id: string) {
  const found = await h.node.reconciliations.get(id);
  if (!found.ok) throw new Error(found.code);
  const { header, state } = found.value;
  return { header, statements: h.node.reconciliations.statements(id, state, 0, 1_000_000).items, findings: h.node.reconciliations.findings(id, state, 0, 1_000_000).items };
}

t.test('the worker gives the report the node gave before, on every fixture that reconciles', async (t) => {
  const h = await gateway(t, { statementJobs: { chunkItemsMax: 2 } });
  seedOrders(h);
  const csv: CsvOptions = { columns: { reference: 'order_no', amount: 'amount', date: 'booked_on', direction: 'dc', bankReference: 'bank_ref', description: 'memo' }, currency: 'CNY', delimiter: ';', decimalSeparator: ',' };
  const fixtures: [string, StatementFormat | 'auto', CsvOptions?][] = [
    ['camt053-v02.xml', 'auto'],
    ['camt053-v08.xml', 'camt.053'],
    ['camt054-v02.xml', 'auto'],
    ['camt054-v08-no-dates.xml', 'auto'],
    ['camt053-two-statements.xml', 'auto'],
    ['camt053-foreign-entry.xml', 'auto'],
    ['camt053-reversal-pending.xml', 'auto'],
    ['mt940-abnamro.sta', 'auto'],
    ['mt940-sepa.sta', 'mt940'],
    ['mt940-swift-types.sta', 'auto'],
    ['bai2-two-accounts.bai', 'auto'],
    ['statement.csv', 'csv', csv],
  ];
  let matched = 0;
  for (const [name, format, options] of fixtures) {
    const id = name.replace(/[^A-Za-z0-9]/g, '-');
    const answer = await h.post('/v1/reconciliations', { id, format, content: fixture(name), ...(options !== undefined ? { csv: options } : {}) }, ops);
    t.equal(answer.statusCode, 201, `${name}: ${answer.body.slice(0, 200)}`);
    const stored = await readBack(h, id);
    const before = await reportBefore(h, id, fixture(name), format, stored.header.createdAt, options);
    t.same(stored, { header: { id, format: before.format, trusted: before.trusted, summary: before.summary, statementCount: before.statements.length, findingCount: before.findings.length, createdAt: before.createdAt }, statements: before.statements, findings: before.findings }, name);
    matched += before.summary.matched;
  }
  t.ok(matched >= 2, `orders were matched on the way (${matched})`);
});

/** An MT940 file of `messages` daily messages of one account, `entries` :61: lines in all, that foots. */
function longMt940(messages: number, entries: number): string {
  const lines: string[] = [];
  let balance = 0n;
  for (let m = 0; m < messages; m++) {
    const day = String(m + 1).padStart(2, '0');
    lines.push(`:20:D${day}`, ':25:acct-long', `:28C:${m + 1}`, `:60F:C3105${day}CNY${balance / 100n},${String(balance % 100n).padStart(2, '0')}`);
    const count = Math.floor(entries / messages) + (m < entries % messages ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const amount = BigInt(100 + ((m * 7919 + i * 104_729) % 90_000));
      balance += amount;
      lines.push(`:61:3105${day}C${amount / 100n},${String(amount % 100n).padStart(2, '0')}NTRF${i % 3 === 0 ? 'NONREF' : `dep-long-${m}-${i}`}`);
    }
    lines.push(`:62F:C3105${day}CNY${balance / 100n},${String(balance % 100n).padStart(2, '0')}`, '-');
  }
  return lines.join('\n');
}

async function walk(h: GatewayHarness, url: string, first: { items: any[]; cursor: string | null }, limit: number): Promise<any[]> {
  const items = [...first.items];
  for (let cursor = first.cursor; cursor !== null; ) {
    const page = await h.get(`${url}?limit=${limit}&cursor=${encodeURIComponent(cursor)}`, ops);
    t.equal(page.statusCode, 200);
    const body = page.json();
    t.ok(body.items.length <= limit);
    items.push(...body.items);
    cursor = body.nextCursor;
  }
  return items;
}

t.test('a report larger than a page: its statements and findings walked by cursor, each exactly once and in order, across chunk boundaries and a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-recon-pages-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const options = { dataDir: dir, statementJobs: { chunkItemsMax: 7 } };
  let h = await gateway(t, { ...options, journal: new LmdbJournal({ path: join(dir, 'journal') }) });
  const entries = 1_234;
  const content = longMt940(13, entries);
  const posted = await h.post('/v1/reconciliations', { id: 'long', format: 'mt940', content }, ops);
  t.equal(posted.statusCode, 201);
  const report = posted.json();
  t.match(report, { id: 'long', trusted: true, statementCount: 13, findingCount: entries, summary: { missing_internally: entries } });
  t.equal(report.statements.length, 13, 'all 13 statements on the first page');
  t.equal(report.statementsNextCursor, null);
  t.equal(report.findings.length, 100, 'the first 100 findings');
  t.type(report.findingsNextCursor, 'string');

  const findings = await walk(h, '/v1/reconciliations/long/findings', { items: report.findings, cursor: report.findingsNextCursor }, 97);
  t.same(
    findings.map((f) => f.index),
    Array.from({ length: entries }, (_, i) => i),
    'every finding once, in order',
  );
  const before = await reportBefore(h, 'long', content, 'mt940', Date.parse(report.createdAt));
  t.same(
    findings.map((f) => [f.kind, f.entry.reference, f.entry.amount]),
    before.findings.map((f) => [f.kind, f.entry?.reference, `${(f.entry?.amountMinor ?? 0n) / 100n}.${String((f.entry?.amountMinor ?? 0n) % 100n).padStart(2, '0')}`]),
    'and each the finding the node would have found',
  );
  const firstStatements = (await h.get('/v1/reconciliations/long/statements?limit=5', ops)).json();
  const allStatements = await walk(h, '/v1/reconciliations/long/statements', { items: firstStatements.items, cursor: firstStatements.nextCursor }, 5);
  t.same(
    allStatements.map((s) => [s.id, s.entries, s.foot.foots]),
    before.statements.map((s) => [s.id, s.entries, true]),
    'the statements in pages of 5',
  );

  const inspected = h.node.system.inspect('recon:long');
  t.equal(inspected?.snapshotSeq, inspected?.seq, 'the actor snapshotted with its last append: waking it reads no chunk back');
  t.ok((inspected?.seq ?? 0) > 100, `one event per chunk (${inspected?.seq})`);

  for (const [url, code] of [
    ['/v1/reconciliations/long/findings?cursor=garbage', 'invalid_cursor'],
    [`/v1/reconciliations/long/statements?cursor=${encodeURIComponent(report.findingsNextCursor)}`, 'invalid_cursor'],
    ['/v1/reconciliations/long/findings?limit=0', 'invalid_field'],
    ['/v1/reconciliations/long/findings?limit=501', 'invalid_field'],
    ['/v1/reconciliations/none/findings', 'reconciliation_not_found'],
    ['/v1/reconciliations/long/findings?other=1', 'unknown_field'],
  ] as const) {
    t.equal((await h.get(url, ops)).json().error.code, code, url);
  }
  t.equal((await h.get('/v1/reconciliations/long/findings')).statusCode, 403, 'pages need the ops key');

  // After a restart with the read model gone, it is rebuilt from the journal: the same pages.
  await h.app.close();
  await h.node.stop();
  rmSync(join(dir, 'read-models.db'), { force: true });
  h = await gateway(t, { ...options, journal: new LmdbJournal({ path: join(dir, 'journal') }) });
  const again = (await h.get('/v1/reconciliations/long', ops)).json();
  t.same(again.findings, report.findings, 'the first page, rebuilt');
  const rebuilt = await walk(h, '/v1/reconciliations/long/findings', { items: again.findings, cursor: again.findingsNextCursor }, 500);
  t.same(rebuilt, findings, 'every page, rebuilt');
  t.equal((await h.post('/v1/reconciliations', { id: 'long', format: 'mt940', content }, ops)).statusCode, 201, 'the same statement again: the stored report');
});
