import { createHash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import { defaultMatchOptions } from '../../core/reconciliation/match.js';
import { buildReport, headerOf } from '../../core/reconciliation/report.js';
import type { Statement } from '../../core/reconciliation/statement.js';
import type { ItemRow, OrderRow } from './expected-entries.js';
import { parseStatement } from './parse-statement.js';
import { packChunk, type ChunkLayout } from './report-chunks.js';
import { reconcileStatements, type BankOrderSource } from './reconcile-statements.js';
import { StatementError } from './statement-amount.js';
import type { FromWorker, OrderQuery, OrderRows, QueryAnswer, StatementJob, ToWorker } from './statement-job-protocol.js';
import { readStatementRequest, type StatementRequest } from './statement-request.js';

/** The worker's end of the conversation: what it sends (handing over the bytes it lists), and the node's messages in order. */
export interface NodeChannel {
  post(message: FromWorker, handOver?: readonly ArrayBuffer[]): void;
  next(): Promise<ToWorker>;
}

/** The default window of a match by amount and date, in days. */
const dateWindowDaysDefault = defaultMatchOptions.dateWindowDays;

/**
 * The channel over a worker's port: messages queued until asked for. `intercept` sees each
 * first and may take it (tests make a worker misbehave with it).
 */
export function portChannel(port: MessagePort, intercept: (message: ToWorker) => boolean = () => false): NodeChannel {
  const inbox: ToWorker[] = [];
  let waiting: ((message: ToWorker) => void) | null = null;
  port.on('message', (message: ToWorker) => {
    if (intercept(message)) return;
    const deliver = waiting;
    waiting = null;
    if (deliver === null) inbox.push(message);
    else deliver(message);
  });
  return {
    post: (message, handOver = []) => port.postMessage(message, [...handOver]),
    next: () => {
      const queued = inbox.shift();
      return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => (waiting = resolve));
    },
  };
}

/** The same digest as ever: the same id with other content (or options) is refused. */
export function statementDigest(request: StatementRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.format, request.content, request.csv ?? null, request.dateWindowDays ?? dateWindowDaysDefault]))
    .digest('hex');
}

/** Serves requests one after the other, for as long as the node sends them (statement-job-protocol.ts). */
export async function serveStatementJobs(channel: NodeChannel): Promise<never> {
  for (;;) {
    const message = await channel.next();
    if (message.type !== 'body') continue;
    try {
      await work(channel, message.body);
    } catch (error) {
      channel.post({ type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
}

async function work(channel: NodeChannel, body: Uint8Array): Promise<void> {
  const read = readStatementRequest(body);
  if (!read.ok) {
    channel.post({ type: 'body_refused', problem: read.problem });
    return;
  }
  const { content: _statement, ...fields } = read.request;
  channel.post({ type: 'fields', fields });
  const named = await channel.next();
  if (named.type !== 'job') return;
  await reconcile(channel, read.request, named.job);
}

async function reconcile(channel: NodeChannel, request: StatementRequest, job: StatementJob): Promise<void> {
  channel.post({ type: 'digest', digest: statementDigest(request) });
  if ((await channel.next()).type !== 'go') return;
  const dateWindowDays = request.dateWindowDays ?? dateWindowDaysDefault;
  let statements: Statement[];
  try {
    statements = parseStatement(request.content, request.format, request.csv);
  } catch (error) {
    if (!(error instanceof StatementError)) throw error;
    channel.post({ type: 'refused', code: error.code, message: error.message });
    return;
  }
  const reconciled = await reconcileStatements(statements, remoteSource(channel, job.answerOrdersMax), { ...defaultMatchOptions, dateWindowDays });
  const report = buildReport(job.id, statements[0]?.format ?? request.format, reconciled.statements, reconciled.findings, job.createdAt);
  const header = headerOf(report);
  const layout: ChunkLayout = { chunkItemsMax: job.chunkItemsMax, statementCount: header.statementCount, findingCount: header.findingCount };
  channel.post({ type: 'report', header });
  for (;;) {
    const message = await channel.next();
    if (message.type !== 'chunk') return;
    const packed = packChunk(report, layout, message.chunk);
    channel.post({ type: 'chunk', chunk: message.chunk, ...packed }, [packed.items.buffer as ArrayBuffer]);
  }
}

/**
 * The read model as the worker sees it: questions to the node, each answered in one bounded
 * step (a page of orders by date, a slice of order numbers). Orders come back in order-no
 * order, as one query gave them before (order numbers are ASCII: code units sort as bytes).
 */
function remoteSource(channel: NodeChannel, answerOrdersMax: number): BankOrderSource {
  let asked = 0;
  const ask = async (query: OrderQuery): Promise<QueryAnswer> => {
    const n = ++asked;
    channel.post({ type: 'query', n, query });
    const answer = await channel.next();
    if (answer.type === 'answer_failed' && answer.n === n) throw new Error(`the node could not answer ${query.name}: ${answer.message}`);
    if (answer.type !== 'answer' || answer.n !== n) throw new Error(`expected the answer to question ${n}, got ${answer.type}`);
    return answer.value;
  };
  const rows = (answer: QueryAnswer) => answer as OrderRows;
  return {
    async byDates(fromDay, toDay) {
      const orders: OrderRow[] = [];
      const items: ItemRow[] = [];
      for (let after = null as { day: string; orderNo: string } | null; ; ) {
        const page = rows(await ask({ name: 'dated', fromDay, toDay, after, limit: answerOrdersMax }));
        orders.push(...page.orders);
        items.push(...page.items);
        const last = page.orders[page.orders.length - 1];
        if (page.orders.length < answerOrdersMax || last === undefined) break;
        after = { day: last.business_date, orderNo: last.order_no };
      }
      return inOrderNoOrder(orders, items);
    },
    async byNumbers(orderNos) {
      const orders: OrderRow[] = [];
      const items: ItemRow[] = [];
      for (let i = 0; i < orderNos.length; i += answerOrdersMax) {
        const part = rows(await ask({ name: 'numbered', orderNos: orderNos.slice(i, i + answerOrdersMax) }));
        orders.push(...part.orders);
        items.push(...part.items);
      }
      return inOrderNoOrder(orders, items);
    },
    async holding(account, day, currency) {
      return ((await ask({ name: 'holding', account, day, currency })) as { holding: bigint | null }).holding;
    },
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function inOrderNoOrder(orders: OrderRow[], items: ItemRow[]): OrderRows {
  return { orders: orders.sort((a, b) => compare(a.order_no, b.order_no)), items: items.sort((a, b) => compare(a.order_no, b.order_no) || compare(a.ref, b.ref)) };
}
