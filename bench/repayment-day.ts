/**
 * The repayment-day workload: `loans` loans of `claimsPerLoan` claims each, all due the same
 * day, every borrower paying at once. fundcore: the whole payment — request, hold, bank batch
 * (an instant in-process bank that calls back at once), the split on the callback (claims,
 * reinvest capital per claim, interest pool credits, the ledger legs) — until nothing moves.
 * PostgreSQL: the same split as one transaction per payment (claims locked, updated, capital
 * and interest rows written, balances moved), the seeds' conventional design, without a bank.
 * fundcore-cluster: the same payments over HTTP to a 3-node cluster (repayment-day-cluster.ts).
 */
import { heapProfileWindow, profileWindow } from './lib/profile-window.js';
import { journalCostWindow, perPayment } from './lib/journal-cost.js';
import { threadCostWindow } from './lib/thread-cost.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { BankDepository, BankRequestHeader, BankSubmitAnswer } from '../actors/bank/bank-port.js';
import type { BankOrderKind } from '../core/bank/bank-order.js';
import { FundcoreNode } from '../actors/node.js';
import { formatAmount } from '../core/money/amount.js';
import { splitRepayment, type SplitClaim } from '../core/lending/split/split.js';
import { closedLoop } from './lib/load.js';
import { readSideRest } from './lib/idle.js';
import { liveHeapMiB, round, rssMiB } from './lib/stats.js';
import { inParallel } from './systems/system.js';
import { clusterRepaymentDay } from './repayment-day-cluster.js';

export interface RepaymentDaySpec {
  readonly kind: 'repayment-day';
  /** fundcore-cluster: 3 node processes and a gateway, over HTTP (bench/repayment-day-cluster.ts). */
  readonly system: 'fundcore' | 'fundcore-cluster' | 'postgres';
  readonly loans: number;
  readonly claimsPerLoan: number;
  readonly concurrency: number;
  /**
   * Memory at scale: actors passivate after this idle time (production: 60 s), and the result
   * reports private RSS and the live heap after the setup, after the day, and once everything
   * has been idle that long.
   */
  readonly passivationIdleMs?: number;
}

export interface RepaymentDayResult {
  readonly transfersPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly rssMiB: number;
  readonly completed: number;
  readonly failed: number;
  readonly extra: Record<string, number | string>;
}

/** What a day measured, for either fundcore system: payments settled and claims split per second, and when. */
export interface DayMeasures {
  readonly loans: number;
  readonly succeeded: number;
  readonly claimsSplit: number;
  readonly acceptedMs: number;
  readonly settledMs: number;
  readonly setupMs: number;
  readonly load: { readonly completed: number; readonly latencies: { summary(): { p50Ms: number; p99Ms: number; p999Ms: number } } };
  readonly rssMiB: number;
}

export function dayResult(day: DayMeasures, extra: Record<string, number | string> = {}): RepaymentDayResult {
  return {
    transfersPerSec: Math.round((day.succeeded / day.settledMs) * 1000),
    ...day.load.latencies.summary(),
    rssMiB: day.rssMiB,
    completed: day.succeeded,
    failed: day.loans - day.succeeded,
    extra: {
      claimsSplitPerSec: Math.round((day.claimsSplit / day.settledMs) * 1000),
      acceptedPerSec: Math.round((day.load.completed / day.acceptedMs) * 1000),
      settledMs: round(day.settledMs),
      setupMs: round(day.setupMs),
      claims: day.claimsSplit,
      ...extra,
    },
  };
}

const claimMinor = 100_00n;
const borrowersMax = 1_000;
const investorsMax = 1_000;
const money = (minor: bigint) => formatAmount(minor, 'CNY');

/** A bank that accepts every order and calls back "succeeded" on the next turn. */
export class InstantBank implements BankDepository {
  node: FundcoreNode | null = null;
  private txn = 0;
  outstanding = 0;
  openAccount = (h: BankRequestHeader) => this.accept(h, 'open_account');
  deposit = (h: BankRequestHeader) => this.accept(h, 'deposit');
  withdraw = (h: BankRequestHeader) => this.accept(h, 'withdrawal');
  refund = (h: BankRequestHeader) => this.accept(h, 'refund');
  convert = (h: BankRequestHeader) => this.accept(h, 'conversion');
  disburse = (h: BankRequestHeader) => this.accept(h, 'disbursement');
  repay = (h: BankRequestHeader) => this.accept(h, 'repayment');
  transfer = (h: BankRequestHeader) => this.accept(h, 'transfer');
  async query(orderNo: string) {
    return { status: 'succeeded' as const, code: null, detail: null, bankTxnId: `Q-${orderNo}`, completedAt: new Date().toISOString() };
  }
  private async accept(header: BankRequestHeader, kind: BankOrderKind): Promise<BankSubmitAnswer> {
    this.outstanding++;
    const bankTxnId = `IB${++this.txn}`;
    setImmediate(() => {
      void this.node?.bank
        .handleCallback({ orderNo: header.orderNo, kind, status: 'succeeded', code: null, detail: null, bankTxnId, completedAt: new Date().toISOString() })
        .finally(() => this.outstanding--);
    });
    return { accepted: true };
  }
}

/**
 * How far the read models trail the journal when the day settles (entries), and how long
 * they take to catch up from there: they follow the log at a lower CPU priority, so under
 * load they fall behind, and a query asks for at most queryCatchUpEntriesMax of the gap.
 */
async function readModelsAtSettle(node: FundcoreNode): Promise<{ readModelLagAtSettle: number; readModelCatchUpMs: number }> {
  const readModelLagAtSettle = node.projections.lag();
  const started = performance.now();
  await node.projections.catchUpFully();
  return { readModelLagAtSettle, readModelCatchUpMs: round(performance.now() - started) };
}

/** Until nothing moves for three looks in a row (a look asks yes or no: listing 250,000 live actors every 20 ms slowed the day it measures). */
export async function quiet(node: FundcoreNode, bank: InstantBank): Promise<void> {
  for (let calm = 0; calm < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const busy = node.system.relay.backlog > 0 || bank.outstanding > 0 || node.system.hasMessagesQueued();
    calm = busy ? 0 : calm + 1;
  }
}

export async function must<T>(reply: Promise<{ ok: true; value: T } | { ok: false; code: string; detail: string }>, what: string): Promise<T> {
  const answer = await reply;
  if (!answer.ok) throw new Error(`${what}: ${answer.code} ${answer.detail}`);
  return answer.value;
}

async function fundcoreDay(spec: RepaymentDaySpec): Promise<RepaymentDayResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fundcore-repayday-'));
  const bank = new InstantBank();
  const idle = spec.passivationIdleMs === undefined ? {} : { idleBeforePassivationMs: spec.passivationIdleMs, passivationSweepMs: 250 };
  const node = await FundcoreNode.boot({
    dataDir: dir,
    bank,
    businessClock: { mode: 'sim', startDate: '2030-01-01' },
    lending: { poolShards: 64, settleWaitMs: 60_000 },
    limits: { relayInFlightMax: 20_000, mailboxDepthMax: 1_000_000, askTimeoutMs: 600_000, relayBacklogMax: 10_000_000, ...idle },
  });
  bank.node = node;
  try {
    const setupStarted = performance.now();
    const heapProfile = await heapProfileWindow(`repayment-day-${spec.loans}`);
    const phase = phaseLog(node, setupStarted, heapProfile.write);
    await setUpLoans(node, bank, spec, phase);
    const setupMs = performance.now() - setupStarted;
    // The memory report forces full collections: taken only when asked for.
    const reportsMemory = spec.passivationIdleMs !== undefined;
    const setUp = reportsMemory ? memoryNow(node) : null;
    await must(node.clock.change({ date: '2030-02-01' }), 'clock');
    phase('the day begins');
    const { load, acceptedMs, settledMs, mainThreadUsPerPayment, journaled } = await payEveryLoan(node, bank, spec, dir);
    const readModels = await readModelsAtSettle(node);
    phase('the day settled');
    const { succeeded, claimsSplit } = await countSettled(node, spec.loans);
    phase('every loan read back');
    await heapProfile.stop();
    const paid = reportsMemory ? memoryNow(node) : null;
    const memory = setUp === null || paid === null ? {} : memoryReport(setUp, paid, await memoryAfterIdle(node, spec.passivationIdleMs ?? 0));
    return dayResult({ loans: spec.loans, succeeded, claimsSplit, acceptedMs, settledMs, setupMs, load, rssMiB: paid?.rssMiB ?? rssMiB() }, { ...memory, mainThreadUsPerPayment, ...journaled, ...readModels });
  } finally {
    await node.stop();
    // BENCH_KEEP_JOURNAL=1 keeps the node's journal to study what a day wrote.
    if (process.env.BENCH_KEEP_JOURNAL === '1') console.error(`journal kept at ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A phase's end on stderr, with the heap and the live actors then (and a heap profile, when
 * asked for): a case that dies at the heap limit says where.
 */
function phaseLog(node: FundcoreNode, startedMs: number, writeHeapProfile: (label: string) => Promise<void>): (what: string) => void {
  return (what) => {
    void writeHeapProfile(what.replaceAll(' ', '-'));
    // With --expose-gc, what is live (a full collection first: a few hundred ms, outside the measured day).
    const heapMiB = typeof (globalThis as { gc?: unknown }).gc === 'function' ? liveHeapMiB() : Math.round(getHeapStatistics().used_heap_size / 2 ** 20);
    const { live, detachedReads } = node.system.stats();
    process.stderr.write(`  repayment day: ${what} at ${Math.round((performance.now() - startedMs) / 1000)} s (heap ${heapMiB} MiB, ${live} live actors, ${detachedReads} detached reads)\n`);
  };
}

/** Wallets funded, one investment per claim (so every loan takes exactly claimsPerLoan claims), loans published and approved. */
async function setUpLoans(node: FundcoreNode, bank: InstantBank, spec: RepaymentDaySpec, phase: (what: string) => void): Promise<void> {
  const investors = Math.min(investorsMax, spec.loans * spec.claimsPerLoan);
  const borrowers = Math.min(borrowersMax, spec.loans);
  const loanAmount = claimMinor * BigInt(spec.claimsPerLoan);
  const capitalsPerInvestor = Math.ceil((spec.loans * spec.claimsPerLoan) / investors);
  await must(node.ledger.openAccount({ id: 'ext', kind: 'bank_settlement', currency: 'CNY', overdraft: true }), 'open ext');
  const open = async (id: string, kind: 'investor_wallet' | 'borrower_wallet', amount: bigint) => {
    await must(node.ledger.openAccount({ id, kind, currency: 'CNY', overdraft: false }), `open ${id}`);
    await must(node.ledger.createTransfer({ id: `fund-${id}`, debit: 'ext', credit: id, amount: money(amount), pending: false, timeoutMs: null, memo: null }), `fund ${id}`);
  };
  await inParallel(Array.from({ length: investors }, (_, i) => i), 256, (i) => open(`inv${i}`, 'investor_wallet', claimMinor * BigInt(capitalsPerInvestor)));
  await inParallel(Array.from({ length: borrowers }, (_, i) => i), 256, (i) => open(`bor${i}`, 'borrower_wallet', loanAmount * BigInt(Math.ceil(spec.loans / borrowers))));
  await inParallel(Array.from({ length: spec.loans * spec.claimsPerLoan }, (_, i) => i), 512, (i) =>
    must(node.lending.placeInvestment({ id: `i${i}`, investor: `inv${i % investors}`, amount: money(claimMinor), termDays: 365 }), `invest ${i}`),
  );
  await quiet(node, bank);
  phase('investments placed');
  const loanIds = Array.from({ length: spec.loans }, (_, i) => `L${i}`);
  await inParallel(loanIds, 256, (id) =>
    must(node.lending.publishLoan({ id, borrower: `bor${Number(id.slice(1)) % borrowers}`, amount: money(loanAmount), annualRate: '0.12', termDays: null, termMonths: 12, method: 'equal_installment' }), `publish ${id}`),
  );
  await quiet(node, bank);
  phase('loans published and funded');
  await inParallel(loanIds, 256, (id) => must(node.lending.approveLoan(id), `approve ${id}`));
  await quiet(node, bank);
  phase('loans approved and paid out');
}

/** Every borrower pays at once (a closed loop of `concurrency`), then until nothing moves. */
async function payEveryLoan(node: FundcoreNode, bank: InstantBank, spec: RepaymentDaySpec, dataDir: string) {
  const stopProfile = await profileWindow(`repayment-day-${spec.loans}`);
  // The main thread's busy time over the day (the clients and the simulated bank run on it too): steadier than a rate on a VM whose disk varies.
  const threadCost = threadCostWindow();
  const journalCost = journalCostWindow(node.journal, dataDir);
  const started = performance.now();
  const load = await closedLoop(
    async (n) => {
      const answer = await must(node.flows.repay(`L${n}`, { id: `r${n}`, amount: null }), `repay L${n}`);
      if (answer.repayment.stage === 'failed') throw new Error('failed');
    },
    spec.concurrency,
    Number.MAX_SAFE_INTEGER,
    spec.loans,
  );
  const acceptedMs = performance.now() - started;
  await quiet(node, bank);
  const settledMs = performance.now() - started;
  const { mainThreadBusyUsPerOp } = threadCost(spec.loans);
  const journaled = perPayment(journalCost(spec.loans));
  await stopProfile();
  return { load, acceptedMs, settledMs, mainThreadUsPerPayment: mainThreadBusyUsPerOp, journaled };
}

async function countSettled(node: FundcoreNode, loans: number): Promise<{ succeeded: number; claimsSplit: number }> {
  let succeeded = 0;
  let claimsSplit = 0;
  await inParallel(Array.from({ length: loans }, (_, i) => `L${i}`), 256, async (id) => {
    const loan = await must(node.lending.getLoan(id), `loan ${id}`);
    const repayment = loan.repayments.get(`r${id.slice(1)}`);
    if (repayment?.stage === 'succeeded') {
      succeeded++;
      claimsSplit += repayment.split?.shares.length ?? 0;
    }
  });
  return { succeeded, claimsSplit };
}

interface MemoryNow {
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly liveActors: number;
}

/** Private RSS, the live heap after a full collection, and the live actors. */
function memoryNow(node: FundcoreNode): MemoryNow {
  return { heapMiB: liveHeapMiB(), rssMiB: rssMiB(), liveActors: node.system.stats().live };
}

/**
 * What memory comes to once every actor has been idle for the passivation limit: waited for,
 * then until the live count stops falling (each passivation writes its actor's snapshot first;
 * ten thousand loans' take seconds), at most a minute more; then until the read side rests
 * (its worker ends once idle as long: bench/lib/idle.ts), at most a minute more.
 */
async function memoryAfterIdle(node: FundcoreNode, idleMs: number): Promise<MemoryAfterIdle> {
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  let live = node.system.stats().live;
  for (let steady = 0; steady < 4 && live > 0 && performance.now() - started < idleMs + 60_000; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = node.system.stats().live;
    steady = now === live ? steady + 1 : 0;
    live = now;
  }
  const passivatedAfterMs = Math.round(performance.now() - started);
  const rest = await readSideRest(node);
  return { ...memoryNow(node), passivatedAfterMs, ...rest };
}

type MemoryAfterIdle = MemoryNow & { readonly passivatedAfterMs: number; readonly readSideRested: number; readonly readSideRestWaitMs: number };

function memoryReport(setUp: MemoryNow, paid: MemoryNow, idle: MemoryAfterIdle): Record<string, number> {
  return {
    passivatedAfterMs: idle.passivatedAfterMs,
    readSideRested: idle.readSideRested,
    readSideRestWaitMs: idle.readSideRestWaitMs,
    rssSetUpMiB: setUp.rssMiB,
    rssPaidMiB: paid.rssMiB,
    rssAfterPassivationMiB: idle.rssMiB,
    heapSetUpMiB: setUp.heapMiB,
    heapPaidMiB: paid.heapMiB,
    heapAfterPassivationMiB: idle.heapMiB,
    liveSetUp: setUp.liveActors,
    livePaid: paid.liveActors,
    liveAfterPassivation: idle.liveActors,
  };
}

async function postgresDay(spec: RepaymentDaySpec): Promise<RepaymentDayResult> {
  const pool = new pg.Pool({ host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', max: spec.concurrency });
  const investors = Math.min(investorsMax, spec.loans * spec.claimsPerLoan);
  const borrowers = Math.min(borrowersMax, spec.loans);
  try {
    await pool.query('drop table if exists rd_accounts, rd_claims, rd_capitals, rd_interest_pools, rd_interest_flows, rd_journal');
    await pool.query('create table rd_accounts (id text primary key, balance bigint not null)');
    await pool.query('create table rd_claims (order_no text primary key, loan_id text not null, investor text not null, investment_id text not null, property text not null, outstanding bigint not null, seq int not null)');
    await pool.query('create index on rd_claims (loan_id, seq)');
    await pool.query('create table rd_capitals (id text primary key, investment_id text not null, investor text not null, principal bigint not null, source text not null)');
    await pool.query('create table rd_interest_pools (investor text primary key, balance bigint not null)');
    await pool.query('create table rd_interest_flows (flow_id text primary key, investor text not null, type int not null, amount bigint not null)');
    await pool.query('create table rd_journal (seq bigserial primary key, transfer_id text not null unique, debit text not null, credit text not null, amount bigint not null)');
    const borrowerIds = Array.from({ length: borrowers }, (_, i) => `bor${i}`);
    await pool.query("insert into rd_accounts select unnest($1::text[]), 100000000000 union all values ('sys.pool', 0), ('sys.ipool', 0), ('sys.revenue', 0)", [borrowerIds]);
    await pool.query('insert into rd_interest_pools select unnest($1::text[]), 0', [Array.from({ length: investors }, (_, i) => `inv${i}`)]);
    for (let start = 0; start < spec.loans; start += 1_000) {
      const orderNos: string[] = [];
      const loanIds: string[] = [];
      const holders: string[] = [];
      const seqs: number[] = [];
      for (let l = start; l < Math.min(spec.loans, start + 1_000); l++) {
        for (let c = 0; c < spec.claimsPerLoan; c++) {
          orderNos.push(`L${l}/c${c + 1}`);
          loanIds.push(`L${l}`);
          holders.push(`inv${(l * spec.claimsPerLoan + c) % investors}`);
          seqs.push(c);
        }
      }
      await pool.query(
        "insert into rd_claims select o, l, h, 'i' || o, 'principal', $5, s from unnest($1::text[], $2::text[], $3::text[], $4::int[]) as t(o, l, h, s)",
        [orderNos, loanIds, holders, seqs, claimMinor.toString()],
      );
    }
    await pool.query('vacuum analyze');
    // Period 1 of 12 of an equal installment of 2,000.00 at 12 %: what the schedule says, computed once (the split is the point here).
    const installment = (claimMinor * BigInt(spec.claimsPerLoan) * 8885n) / 100_000n;
    const interest = (claimMinor * BigInt(spec.claimsPerLoan)) / 100n;
    const principal = installment - interest;
    const started = performance.now();
    const load = await closedLoop(
      async (n) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const borrower = `bor${n % borrowers}`;
          const paid = await client.query('update rd_accounts set balance = balance - $2 where id = $1 and balance >= $2', [borrower, installment.toString()]);
          if (paid.rowCount !== 1) throw new Error('insufficient_funds');
          const claims = await client.query<{ order_no: string; investor: string; investment_id: string; property: string; outstanding: string }>(
            'select order_no, investor, investment_id, property, outstanding from rd_claims where loan_id = $1 order by seq for update',
            [`L${n}`],
          );
          const split = splitRepayment(
            claims.rows.map((r): SplitClaim => ({ orderNo: r.order_no, investor: r.investor, investmentId: r.investment_id, investRepayDate: '2031-01-01', property: r.property as 'principal', principalOutstanding: BigInt(r.outstanding) })),
            principal,
            interest,
          );
          const orderNos = split.shares.map((s) => s.orderNo);
          const principals = split.shares.map((s) => s.principal.toString());
          const interests = split.shares.map((s) => s.interest.toString());
          const owners = split.shares.map((s) => s.investor);
          await client.query('update rd_claims c set outstanding = c.outstanding - t.p from unnest($1::text[], $2::bigint[]) as t(o, p) where c.order_no = t.o', [orderNos, principals]);
          await client.query("insert into rd_capitals select t.o || ':r1', 'i' || t.o, t.h, t.p, 'repayment_reinvest' from unnest($1::text[], $2::text[], $3::bigint[]) as t(o, h, p)", [orderNos, owners, principals]);
          // Locks in one order everywhere (claims of this loan, then interest pools by investor, then the system rows), so payments never deadlock.
          await client.query('select investor from rd_interest_pools where investor = any($1) order by investor for update', [owners]);
          await client.query("select id from rd_accounts where id in ('sys.ipool', 'sys.pool', 'sys.revenue') order by id for update");
          await client.query('update rd_interest_pools p set balance = p.balance + t.i from (select h, sum(i) as i from unnest($1::text[], $2::bigint[]) as u(h, i) group by h) as t where p.investor = t.h', [owners, interests]);
          await client.query("insert into rd_interest_flows select t.o || ':r1', t.h, 11, t.i from unnest($1::text[], $2::text[], $3::bigint[]) as t(o, h, i)", [orderNos, owners, interests]);
          await client.query("update rd_accounts set balance = balance + case id when 'sys.pool' then $1::bigint when 'sys.ipool' then $2::bigint else $3::bigint end where id in ('sys.pool', 'sys.ipool', 'sys.revenue')", [
            split.toPool.toString(),
            split.toInterestPools.toString(),
            split.toRevenue.toString(),
          ]);
          await client.query("insert into rd_journal (transfer_id, debit, credit, amount) values ($1 || '.p', $2, 'sys.pool', $3), ($1 || '.i', $2, 'sys.ipool', $4)", [`rp-L${n}`, borrower, split.toPool.toString(), split.toInterestPools.toString()]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          client.release();
        }
      },
      spec.concurrency,
      Number.MAX_SAFE_INTEGER,
      spec.loans,
    );
    const elapsedMs = performance.now() - started;
    return {
      transfersPerSec: Math.round((load.completed / elapsedMs) * 1000),
      ...load.latencies.summary(),
      rssMiB: 0,
      completed: load.completed,
      failed: load.failed,
      extra: { claimsSplitPerSec: Math.round(((load.completed * spec.claimsPerLoan) / elapsedMs) * 1000), settledMs: round(elapsedMs), claims: load.completed * spec.claimsPerLoan },
    };
  } finally {
    await pool.query('drop table if exists rd_accounts, rd_claims, rd_capitals, rd_interest_pools, rd_interest_flows, rd_journal').catch(() => {});
    await pool.end();
  }
}

export function repaymentDay(spec: RepaymentDaySpec): Promise<RepaymentDayResult> {
  return spec.system === 'fundcore' ? fundcoreDay(spec) : spec.system === 'fundcore-cluster' ? clusterRepaymentDay(spec) : postgresDay(spec);
}

