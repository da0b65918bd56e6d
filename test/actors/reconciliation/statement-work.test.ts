import t from 'tap';
import type { ItemRow, OrderRow } from '../../../actors/reconciliation/expected-entries.js';
import { parseStatement } from '../../../actors/reconciliation/parse-statement.js';
import { reconcileStatements, type BankOrderSource } from '../../../actors/reconciliation/reconcile-statements.js';
import { chunkCount, chunkSpan, unpackChunk } from '../../../actors/reconciliation/report-chunks.js';
import type { FromWorker, OrderQuery, QueryAnswer, ToWorker } from '../../../actors/reconciliation/statement-job-protocol.js';
import { serveStatementJobs, statementDigest, type NodeChannel } from '../../../actors/reconciliation/statement-work.js';
import { defaultMatchOptions } from '../../../core/reconciliation/match.js';
import { buildReport } from '../../../core/reconciliation/report.js';

/** Two ends of a conversation in one thread: the worker's channel, and the node's. */
function conversation() {
  const toWorker: ToWorker[] = [];
  const toNode: FromWorker[] = [];
  let workerWaits: ((m: ToWorker) => void) | null = null;
  let nodeWaits: ((m: FromWorker) => void) | null = null;
  const deliver = <M>(queue: M[], waiting: ((m: M) => void) | null, message: M) => (waiting === null ? queue.push(message) : waiting(message));
  const worker: NodeChannel = {
    post: (message) => {
      const waiting = nodeWaits;
      nodeWaits = null;
      deliver(toNode, waiting, message);
    },
    next: () => (toWorker.length > 0 ? Promise.resolve(toWorker.shift() as ToWorker) : new Promise((resolve) => (workerWaits = resolve))),
  };
  const node = {
    send: (message: ToWorker) => {
      const waiting = workerWaits;
      workerWaits = null;
      deliver(toWorker, waiting, message);
    },
    receive: () => (toNode.length > 0 ? Promise.resolve(toNode.shift() as FromWorker) : new Promise<FromWorker>((resolve) => (nodeWaits = resolve))),
  };
  return { worker, node };
}

const order = (order_no: string, kind: string, account: string | null, amount: bigint, business_date: string, status = 'succeeded'): OrderRow => ({ order_no, kind, account, amount, status, business_date, posting_refusal: null });

// Orders over a fortnight: deposits and withdrawals of acct1, one sent long before (named by number), a disbursement batch, another account's.
const orders: OrderRow[] = [
  ...[1, 2, 3, 4, 5, 6].map((n) => order(`dep-${n}`, 'deposit', 'acct1', BigInt(n * 100_00), `2031-05-0${n + 1}`)),
  order('wd-old', 'withdrawal', 'acct1', 10_00n, '2031-04-01'),
  order('wd-9', 'withdrawal', 'acct1', 20_00n, '2031-05-04', 'failed'),
  order('disb-L1', 'disbursement', null, 80_00n, '2031-05-03'),
  order('dep-other', 'deposit', 'acct2', 5_00n, '2031-05-04'),
];
const items: ItemRow[] = [
  { order_no: 'disb-L1', ref: 'L1-b', from_account: 'acct1', to_account: 'acct3', amount: 30_00n },
  { order_no: 'disb-L1', ref: 'L1-a', from_account: 'acct1', to_account: 'acct2', amount: 50_00n },
];
const byOrderNo = (a: { order_no: string }, b: { order_no: string }) => (a.order_no < b.order_no ? -1 : a.order_no > b.order_no ? 1 : 0);
const itemsOf = (nos: Set<string>) => items.filter((item) => nos.has(item.order_no)).sort((a, b) => byOrderNo(a, b) || (a.ref < b.ref ? -1 : 1));

/** The read model as one query answered it before statement jobs (the order of the rows matters to the matching). */
const wholeSource: BankOrderSource = {
  byDates: (from, to) => {
    const found = orders.filter((o) => o.business_date >= from && o.business_date <= to).sort(byOrderNo);
    return { orders: found, items: itemsOf(new Set(found.map((o) => o.order_no))) };
  },
  byNumbers: (numbers) => {
    const found = orders.filter((o) => numbers.includes(o.order_no)).sort(byOrderNo);
    return { orders: found, items: itemsOf(new Set(found.map((o) => o.order_no))) };
  },
  holding: (account) => (account === 'acct1' ? 1_000_00n : null),
};

/** The node's answers, a page at a time (statement-job-protocol.ts), each checked to be within its bound. */
function answer(query: OrderQuery, bound: number): QueryAnswer {
  if (query.name === 'holding') return { holding: wholeSource.holding?.(query.account, query.day, query.currency) as bigint | null };
  if (query.name === 'numbered') {
    if (query.orderNos.length > bound) throw new Error(`asked for ${query.orderNos.length} numbers at once`);
    return wholeSource.byNumbers(query.orderNos) as QueryAnswer;
  }
  const key = (o: OrderRow) => `${o.business_date}/${o.order_no}`;
  const after = query.after === null ? '' : `${query.after.day}/${query.after.orderNo}`;
  const page = orders
    .filter((o) => o.business_date >= query.fromDay && o.business_date <= query.toDay && key(o) > after)
    .sort((a, b) => (key(a) < key(b) ? -1 : 1))
    .slice(0, Math.min(query.limit, bound));
  return { orders: page, items: itemsOf(new Set(page.map((o) => o.order_no))) };
}

const line = (day: string, mark: 'C' | 'D', amount: string, reference: string) => `:61:3105${day}${mark}${amount}NTRF${reference}`;
const mt940 = [
  ':20:D3',
  ':25:acct1',
  ':28C:1',
  ':60F:C310502CNY1000,00',
  line('03', 'C', '100,00', 'dep-1'),
  line('03', 'C', '300,00', 'NONREF'),
  line('03', 'D', '80,00', 'disb-L1'),
  ':62F:C310503CNY1320,00',
  '-',
  ':20:D5',
  ':25:acct1',
  ':28C:2',
  ':60F:C310503CNY1320,00',
  line('05', 'D', '9,99', 'wd-old'),
  line('05', 'C', '7,77', 'dep-unknown'),
  line('05', 'D', '20,00', 'wd-9'),
  ':62F:C310505CNY1297,78',
  '-',
].join('\n');

t.test('in the worker: the same report as one reconciliation on the node before, though the orders come a page of 2 at a time and the report goes a chunk of 3 at a time', async (t) => {
  const { worker, node } = conversation();
  void serveStatementJobs(worker);
  const bound = 2;
  const request = { id: 'w1', format: 'mt940' as const, content: mt940 };
  node.send({ type: 'body', body: new TextEncoder().encode(JSON.stringify(request)) });
  t.same(await node.receive(), { type: 'fields', fields: { id: 'w1', format: 'mt940' } }, 'the request comes back without its statement');
  node.send({ type: 'job', job: { id: 'w1', createdAt: 7, chunkItemsMax: 3, answerOrdersMax: bound } });
  t.same(await node.receive(), { type: 'digest', digest: statementDigest(request) });
  node.send({ type: 'go' });
  const asked: OrderQuery[] = [];
  let message = await node.receive();
  while (message.type === 'query') {
    asked.push(message.query);
    node.send({ type: 'answer', n: message.n, value: answer(message.query, bound) });
    message = await node.receive();
  }
  if (message.type !== 'report') throw new Error(`expected the report, got ${JSON.stringify(message)}`);
  const layout = { chunkItemsMax: 3, statementCount: message.header.statementCount, findingCount: message.header.findingCount };
  const statements: unknown[] = [];
  const findings: unknown[] = [];
  for (let chunk = 0; chunk < chunkCount(layout); chunk++) {
    node.send({ type: 'chunk', chunk });
    const sent = await node.receive();
    if (sent.type !== 'chunk') throw new Error(sent.type);
    t.equal(sent.count, chunkSpan(layout, chunk).count);
    (chunkSpan(layout, chunk).part === 'statements' ? statements : findings).push(...unpackChunk(sent.items, sent.count));
  }
  node.send({ type: 'done' });

  const parsed = parseStatement(mt940, 'mt940');
  const before = await reconcileStatements(parsed, wholeSource, defaultMatchOptions);
  const expected = buildReport('w1', 'mt940', before.statements, before.findings, 7);
  t.same(message.header, { id: 'w1', format: 'mt940', trusted: expected.trusted, summary: expected.summary, statementCount: 2, findingCount: expected.findings.length, createdAt: 7 });
  t.same(statements, expected.statements, 'the statements, in order');
  t.same(findings, expected.findings, 'every finding, in order');
  t.match(expected.summary, { matched: 2, amount_mismatch: 2, missing_internally: 1, status_mismatch: 1, balance_drift: 1 }, 'the statement exercises every way in');
  t.ok(asked.filter((q) => q.name === 'dated').length > 3, 'the orders of the days came in pages');
  t.same(
    asked.filter((q) => q.name === 'numbered').map((q) => (q as { orderNos: readonly string[] }).orderNos),
    [['wd-old', 'dep-unknown']],
    'the numbers the days did not bring, asked for at once (at most 2)',
  );

  // The worker serves the next request as if it were its first.
  node.send({ type: 'body', body: new TextEncoder().encode('{"format":"mt940"}') });
  t.match(await node.receive(), { type: 'body_refused', problem: { kind: 'invalid', issue: { keyword: 'required', params: { missingProperty: 'content' } } } });
  node.send({ type: 'body', body: new TextEncoder().encode(JSON.stringify({ ...request, content: 'not MT940' })) });
  t.equal((await node.receive()).type, 'fields');
  node.send({ type: 'job', job: { id: 'w1', createdAt: 7, chunkItemsMax: 3, answerOrdersMax: bound } });
  t.equal((await node.receive()).type, 'digest');
  node.send({ type: 'go' });
  t.match(await node.receive(), { type: 'refused', code: 'statement_unreadable' });
});
