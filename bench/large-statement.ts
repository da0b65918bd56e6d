/**
 * (h) A large statement: one busy account's MT940 of `entries` lines (12 MiB for 400,000) is
 * reconciled over HTTP by `npm start`'s server while `clients` other clients, in closed loops,
 * send single transfers (half of them) and GET /health (the other half). What is measured:
 * the statement's own time (POST until its 201), the other requests' latency before it and
 * while it runs, the server's memory; then the stored report walked page by page. Every entry names one of our order numbers that no
 * order has (or NONREF), so each becomes a finding: the report is as large as the statement.
 */
import { formatAmountAtScale } from '../core/money/amount.js';
import { closedLoop } from './lib/load.js';
import { round } from './lib/stats.js';
import { FundcoreServer } from './systems/fundcore-http.js';
import { mix } from './workloads.js';

export interface LargeStatementSpec {
  readonly kind: 'large-statement';
  readonly entries: number;
  /** Other clients, each sending its next single transfer as soon as the last is answered. */
  readonly clients: number;
  /** How long the other clients run alone first (their latency without the statement). */
  readonly aloneMs: number;
}

const opsKey = 'bench-ops-key';
const account = 'NL91ABNA0417164300';

/** An MT940 message of `entries` :61: lines over 20 days, that foots. Deterministic. */
export function largeMt940(entries: number): string {
  const lines = [':20:BENCH-LARGE', `:25:${account}`, ':28C:1/1', ':60F:C240101CNY0,00'];
  let balance = 0n;
  for (let i = 0; i < entries; i++) {
    const day = String(2 + (i % 20)).padStart(2, '0');
    const amountMinor = BigInt(100 + (mix(i) % 99_900));
    const credit = mix(i + 7) % 3 !== 0;
    balance += credit ? amountMinor : -amountMinor;
    const reference = i % 2 === 0 ? `rp-bench${i}` : 'NONREF';
    lines.push(`:61:2401${day}${credit ? 'C' : 'D'}${formatAmountAtScale(amountMinor, 2).replace('.', ',')}NTRF${reference}`);
  }
  const closing = balance < 0n ? `D240121CNY${formatAmountAtScale(-balance, 2).replace('.', ',')}` : `C240121CNY${formatAmountAtScale(balance, 2).replace('.', ',')}`;
  lines.push(`:62F:${closing}`, '-');
  return `${lines.join('\n')}\n`;
}

async function call(url: string, method: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: await response.json() };
}

/** The other clients: half send single transfers (journaled, fsynced), half GET /health (the event loop alone). */
async function others(server: FundcoreServer, clients: number, durationMs: number, offset: number, stopped: () => boolean = () => false) {
  const transfer = async (n: number) => {
    const debit = mix(n) % 1_000;
    const reply = await server.post('/v1/transfers', { id: `o${offset + n}`, debit: `w${debit}`, credit: `w${(debit + 1 + (mix(n + 1) % 999)) % 1_000}`, amount: '1.00' });
    if (reply.status !== 201) throw new Error(`a transfer answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 200)}`);
  };
  const health = async () => {
    const reply = await fetch(`${server.url}/health`);
    await reply.arrayBuffer();
    if (reply.status !== 200) throw new Error(`health answered ${reply.status}`);
  };
  const half = Math.max(1, Math.floor(clients / 2));
  const [transfers, healths] = await Promise.all([closedLoop(transfer, half, durationMs, Number.MAX_SAFE_INTEGER, stopped), closedLoop(health, clients - half, durationMs, Number.MAX_SAFE_INTEGER, stopped)]);
  const summary = (load: typeof transfers) => ({ perSec: Math.round((load.completed / load.elapsedMs) * 1000), completed: load.completed, failed: load.failed, ...load.latencies.summary() });
  return { transfers: summary(transfers), health: summary(healths) };
}

export async function largeStatement(spec: LargeStatementSpec) {
  const server = new FundcoreServer();
  await server.start();
  try {
    await server.setup({ wallets: 1_000, walletFundingMinor: 1_000_000_00n });
    const content = largeMt940(spec.entries);
    const before = await others(server, spec.clients, spec.aloneMs, 0);

    let done = false;
    const started = performance.now();
    const statement = call(`${server.url}/v1/reconciliations`, 'POST', opsKey, { id: 'large', format: 'mt940', content }).finally(() => (done = true));
    const meanwhile = await others(server, spec.clients, 3_600_000, 10_000_000, () => done);
    const answer = await statement;
    const statementMs = performance.now() - started;
    if (answer.status !== 201) throw new Error(`the statement answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    const rssMiB = server.rssMiB();
    const paged = await walkFindings(server.url);
    await server.settle();
    return {
      transfersPerSec: meanwhile.transfers.perSec,
      p50Ms: meanwhile.transfers.p50Ms,
      p99Ms: meanwhile.transfers.p99Ms,
      p999Ms: meanwhile.transfers.p999Ms,
      rssMiB,
      completed: meanwhile.transfers.completed,
      failed: meanwhile.transfers.failed + meanwhile.health.failed + before.transfers.failed + before.health.failed,
      extra: {
        entries: spec.entries,
        statementMiB: round(content.length / 2 ** 20, 1),
        statementMs: round(statementMs),
        maxMsMeanwhile: meanwhile.transfers.maxMs,
        healthP50MsMeanwhile: meanwhile.health.p50Ms,
        healthP99MsMeanwhile: meanwhile.health.p99Ms,
        healthMaxMsMeanwhile: meanwhile.health.maxMs,
        p50MsBefore: before.transfers.p50Ms,
        p99MsBefore: before.transfers.p99Ms,
        maxMsBefore: before.transfers.maxMs,
        perSecBefore: before.transfers.perSec,
        healthP99MsBefore: before.health.p99Ms,
        healthMaxMsBefore: before.health.maxMs,
        findingsPaged: paged.findings,
        pages: paged.pages,
        pagedMs: paged.ms,
      },
    };
  } finally {
    await server.stop();
  }
}

/** The stored report, page by page: every finding once. */
async function walkFindings(url: string): Promise<{ findings: number; pages: number; ms: number }> {
  const started = performance.now();
  const first = await call(`${url}/v1/reconciliations/large`, 'GET', opsKey);
  let findings = (first.body.findings as unknown[]).length;
  let pages = 1;
  let cursor = first.body.findingsNextCursor as string | null | undefined;
  while (cursor !== null && cursor !== undefined) {
    const page = await call(`${url}/v1/reconciliations/large/findings?limit=500&cursor=${encodeURIComponent(cursor)}`, 'GET', opsKey);
    if (page.status !== 200) throw new Error(`a page answered ${page.status}`);
    findings += (page.body.items as unknown[]).length;
    pages++;
    cursor = page.body.nextCursor as string | null;
  }
  return { findings, pages, ms: round(performance.now() - started) };
}
