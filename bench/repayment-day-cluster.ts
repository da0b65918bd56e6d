/**
 * The repayment day on a cluster: a gateway and three node processes on NATS, the bank
 * simulator in this process (no delay, no failures, books not enforced: the embedded day's
 * instant bank, over HTTP), everything driven over HTTP as a client would. The same loans,
 * claims and payments as the embedded day (bench/repayment-day.ts); the setup goes through
 * the gateway too (wallets funded by ledger transfers from a settlement account, one
 * investment per claim, loans published, funded and approved), then the clock moves to the
 * first due date and every borrower pays at once.
 */
import { defaultBehaviour } from './bank-sim/config.js';
import { BankSimulator } from './bank-sim/simulator.js';
import { bankCallbackPath } from '../gateway/auth.js';
import { formatAmount } from '../core/money/amount.js';
import { closedLoop } from './lib/load.js';
import { round } from './lib/stats.js';
import { dayResult, type RepaymentDayResult, type RepaymentDaySpec } from './repayment-day.js';
import { benchApiKey } from './systems/fundcore-http.js';
import { benchOpsKey, FundcoreCluster } from './systems/fundcore-cluster.js';
import { inParallel } from './systems/system.js';
import { connect } from '@nats-io/transport-node';
import { clusterNames } from '../cluster/cluster-node.js';
import { StreamReadSide } from '../cluster/stream-read-side.js';
import { feedEntriesOf, logStreamNameOf } from '../cluster/log-stream.js';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { allProjectors } from '../persistence/projections/projectors.js';
import { ReadModel } from '../persistence/projections/read-model.js';

const claimMinor = 100_00n;
const borrowersMax = 1_000;
const investorsMax = 1_000;
const bankSecret = 'bench-bank-secret';
const money = (minor: bigint) => formatAmount(minor, 'CNY');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  readonly status: number;
  readonly body: any;
}

/** Retries answers that say "not now" (503: a partition not yet served, a timeout): the same id is the same command. */
async function call(method: 'GET' | 'POST', url: string, body?: unknown, key = benchApiKey, retried?: { count: number }): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const answer = { status: response.status, body: await response.json() };
    if (answer.status !== 503 || attempt >= 100) return answer;
    if (retried !== undefined) retried.count++;
    await sleep(100);
  }
}

async function must(answer: Promise<Answer>, expected: readonly number[], what: string): Promise<any> {
  const { status, body } = await answer;
  if (!expected.includes(status)) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls `ids` (at most 32 at once) until `done` holds for each, or throws after `timeoutMs`. */
async function until(ids: readonly string[], what: string, get: (id: string) => Promise<Answer>, done: (body: any) => boolean, timeoutMs: number): Promise<void> {
  let left = [...ids];
  const deadline = performance.now() + timeoutMs;
  while (left.length > 0) {
    const still: string[] = [];
    await inParallel(left, 32, async (id) => {
      const answer = await get(id);
      if (answer.status !== 200 || !done(answer.body)) still.push(id);
    });
    left = still;
    if (left.length === 0) return;
    if (performance.now() > deadline) throw new Error(`${what}: ${left.length} of ${ids.length} not yet (${left.slice(0, 3).join(', ')}…)`);
    await sleep(200);
  }
}

/** Until nothing moves: the bank has nothing to process or call back, and every node is idle (with `stream`, its journal published too), three looks in a row. */
async function quiet(cluster: FundcoreCluster, bank: BankSimulator, stream = true): Promise<void> {
  for (let calm = 0; calm < 3; ) {
    await sleep(50);
    calm = bank.idle && (await cluster.idle(stream)) ? calm + 1 : 0;
  }
}

/**
 * A fresh read side (in-memory read models) built from the whole log stream: time, and what the
 * stream holds (messages, and the journal entries in them, counted afterwards in a second,
 * untimed pass: the read model's position numbers entries by message, it does not count them).
 */
async function readSideRebuild(cluster: FundcoreCluster): Promise<{ entries: number; messages: number; ms: number }> {
  const nc = await connect({ servers: cluster.natsUrl });
  const model = new ReadModel(':memory:', allProjectors);
  try {
    const names = clusterNames(cluster.clusterName);
    const started = performance.now();
    const side = await StreamReadSide.start({ nc, names, model, partitionCount: 256, limits: { fullWaitMs: 600_000 } });
    await side.catchUpFully();
    const ms = performance.now() - started;
    await side.stop();
    return { ...(await streamContents(nc, logStreamNameOf(names))), ms };
  } finally {
    model.close();
    await nc.close();
  }
}

/** The stream's messages and the journal entries they carry, read from the first message to the last. */
async function streamContents(nc: Awaited<ReturnType<typeof connect>>, stream: string): Promise<{ entries: number; messages: number }> {
  const last = (await (await jetstreamManager(nc)).streams.info(stream)).state.last_seq;
  let messages = 0;
  let entries = 0;
  if (last === 0) return { entries, messages };
  const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const consumed = await consumer.consume();
  for await (const message of consumed) {
    messages++;
    entries += feedEntriesOf(message.seq, message.data).length;
    if (message.seq >= last) break;
  }
  await consumed.close();
  return { entries, messages };
}

export async function clusterRepaymentDay(spec: RepaymentDaySpec): Promise<RepaymentDayResult> {
  const bank = await BankSimulator.start({
    host: '127.0.0.1',
    port: 0,
    secret: bankSecret,
    seed: 1,
    behaviour: { ...defaultBehaviour, delayMinMs: 0, delayMaxMs: 0, strict: false },
    callbackRetryMs: 200,
    callbackAttemptsMax: 10,
    callbackTimeoutMs: 30_000,
    timestampToleranceMs: 5 * 60_000,
    booksPath: null,
  });
  const lendingEnv = { FUNDCORE_CLOCK: 'sim', FUNDCORE_CLOCK_START: '2030-01-01', FUNDCORE_POOL_SHARDS: '64', FUNDCORE_BANK_SECRET: bankSecret };
  const cluster = new FundcoreCluster({
    env: lendingEnv,
    nodeEnv: (gatewayUrl) => ({ FUNDCORE_BANK_URL: bank.url, FUNDCORE_BANK_NOTIFY_URL: `${gatewayUrl}${bankCallbackPath}` }),
    waitForLending: true,
  });
  try {
    await cluster.start();
    const api = (path: string) => `${cluster.url}${path}`;
    const setupStarted = performance.now();
    const phase = (what: string) => process.stderr.write(`  cluster repayment day: ${what} at ${Math.round((performance.now() - setupStarted) / 1000)} s\n`);
    const investors = Math.min(investorsMax, spec.loans * spec.claimsPerLoan);
    const borrowers = Math.min(borrowersMax, spec.loans);
    const loanAmount = claimMinor * BigInt(spec.claimsPerLoan);
    const capitalsPerInvestor = Math.ceil((spec.loans * spec.claimsPerLoan) / investors);
    await must(call('POST', api('/v1/accounts'), { id: 'ext', kind: 'bank_settlement', overdraft: true }), [201], 'open ext');
    const wallets = [
      ...Array.from({ length: investors }, (_, i) => ({ id: `inv${i}`, kind: 'investor_wallet', amount: claimMinor * BigInt(capitalsPerInvestor) })),
      ...Array.from({ length: borrowers }, (_, i) => ({ id: `bor${i}`, kind: 'borrower_wallet', amount: loanAmount * BigInt(Math.ceil(spec.loans / borrowers)) })),
    ];
    await inParallel(wallets, 64, ({ id, kind }) => must(call('POST', api('/v1/accounts'), { id, kind }), [201], `open ${id}`));
    for (let i = 0; i < wallets.length; i += 8_000) {
      const transfers = wallets.slice(i, i + 8_000).map(({ id, amount }) => ({ id: `fund-${id}`, debit: 'ext', credit: id, amount: money(amount) }));
      const body = await must(call('POST', api('/v1/transfers/batch'), { transfers }), [200, 201, 207], 'fund wallets');
      const refused = (body.results as { status: number }[]).filter((r) => r.status !== 201);
      if (refused.length > 0) throw new Error(`fund wallets: ${JSON.stringify(refused[0])}`);
    }
    await quiet(cluster, bank);
    phase(`${wallets.length} wallets open and funded`);
    // One investment per claim: each capital is one claim's worth, so every loan takes exactly claimsPerLoan claims.
    const investmentIds = Array.from({ length: spec.loans * spec.claimsPerLoan }, (_, i) => `i${i}`);
    const underWay: string[] = [];
    await inParallel(investmentIds, 128, async (id) => {
      const n = Number(id.slice(1));
      const answer = await call('POST', api('/v1/investments'), { id, investor: `inv${n % investors}`, amount: money(claimMinor), termDays: 365 });
      if (answer.status === 202) underWay.push(id);
      else if (answer.status !== 201) throw new Error(`invest ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    });
    await until(underWay, 'investments active', (id) => call('GET', api(`/v1/investments/${id}`)), (body) => body.status === 'active', 600_000);
    await quiet(cluster, bank);
    phase(`${investmentIds.length} investments active (${underWay.length} answered 202)`);
    const loanIds = Array.from({ length: spec.loans }, (_, i) => `L${i}`);
    await inParallel(loanIds, 64, (id) =>
      must(
        call('POST', api('/v1/loans'), { id, borrower: `bor${Number(id.slice(1)) % borrowers}`, amount: money(loanAmount), annualRate: '0.12', termMonths: 12, method: 'equal_installment' }),
        [201],
        `publish ${id}`,
      ),
    );
    const loanStatus = (status: string) => (body: any) => body.status === status;
    await until(loanIds, 'loans funded', (id) => call('GET', api(`/v1/loans/${id}`)), loanStatus('funded'), 600_000);
    await quiet(cluster, bank);
    phase(`${loanIds.length} loans funded`);
    await inParallel(loanIds, 64, (id) => must(call('POST', api(`/v1/loans/${id}/approve`), undefined, benchOpsKey), [200], `approve ${id}`));
    await until(loanIds, 'loans paid out', (id) => call('GET', api(`/v1/loans/${id}`)), loanStatus('repaying'), 600_000);
    await quiet(cluster, bank);
    const setupMs = performance.now() - setupStarted;
    phase(`${loanIds.length} loans paid out`);
    await must(call('POST', api('/ops/clock'), { date: '2030-02-01' }, benchOpsKey), [200], 'clock');
    // The gateway that answered sees the date; the nodes see it within the settings bucket's watch latency.
    await sleep(1_000);

    const retried = { count: 0 };
    const started = performance.now();
    const load = await closedLoop(
      async (n) => {
        const answer = await call('POST', api(`/v1/loans/L${n}/repayments`), { id: `r${n}` }, benchApiKey, retried);
        if (answer.status !== 201 && answer.status !== 202) throw new Error(`repay L${n}: ${answer.status}`);
      },
      spec.concurrency,
      Number.MAX_SAFE_INTEGER,
      spec.loans,
    );
    const acceptedMs = performance.now() - started;
    // Settled as before the log stream (actors and bank quiet); then until every node's journal is in the stream.
    await quiet(cluster, bank, false);
    const settledMs = performance.now() - started;
    const publisherLagAtSettled = await cluster.publisherLag();
    await quiet(cluster, bank);
    const publishedMs = performance.now() - started;
    let succeeded = 0;
    let claimsSplit = 0;
    await inParallel(loanIds, 32, async (id) => {
      const answer = await call('GET', api(`/v1/loans/${id}/repayments/r${id.slice(1)}`));
      if (answer.status === 200 && answer.body.status === 'succeeded') {
        succeeded++;
        claimsSplit += (answer.body.split?.shares as unknown[] | undefined)?.length ?? 0;
      }
    });
    return dayResult({ loans: spec.loans, succeeded, claimsSplit, acceptedMs, settledMs, setupMs, load, rssMiB: cluster.rssMiB() }, {
      retried503: retried.count,
      investmentsUnderWay: underWay.length,
      publishedMs: round(publishedMs),
      publisherLagAtSettled,
      ...(await readSideRebuild(cluster).then(({ entries, messages, ms }) => ({ rebuildEntries: entries, streamMessages: messages, rebuildMs: round(ms), rebuildEntriesPerSec: Math.round((entries / ms) * 1000) }))),
    });
  } finally {
    await cluster.stop();
    await bank.close();
  }
}
