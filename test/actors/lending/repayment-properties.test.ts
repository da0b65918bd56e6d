import fc from 'fast-check';
import t from 'tap';
import type { BankCallbackWire } from '../../../actors/bank/wire.js';
import type { FundcoreNode } from '../../../actors/node.js';
import { isRuntimeError } from '../../../actors/runtime/errors.js';
import type { InterestPoolState } from '../../../core/lending/interest-pool/interest-pool.js';
import {
  assertInterestPoolShard,
  evolveInterestPoolShard,
  initialInterestPoolShardState,
  poolOf,
  type InterestPoolShardEvent,
} from '../../../core/lending/interest-pool/interest-pool-shard.js';
import type { LoanState } from '../../../core/lending/loan/loan.js';
import { addDays } from '../../../core/calendar/business-date.js';
import { evolvePlan } from '../../../core/lending/plan/evolve-plan.js';
import { initialPlanState, type PlanEvent } from '../../../core/lending/plan/plan.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeBank } from '../../helpers/fake-bank.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { auditJournal, plainLayout } from '../../helpers/journal-audit.js';
import { auditLending } from '../../helpers/lending-audit.js';
import { drain, fundedWallet, openAccount, pumped, startNode } from '../../helpers/lending.js';

const investors = ['a', 'b', 'c'] as const;
const borrowers = ['x', 'y'] as const;
const systemAccounts = ['sys.bank', 'sys.pool', 'sys.revenue', 'sys.guarantee', 'sys.ipool', 'sys.transit'] as const;
const accounts = ['ext', ...investors, ...borrowers, ...systemAccounts];
const shards = 2;
const queryAfterMs = 1_000;
const investorFundingMinor = 4_000_00n;
const borrowerFundingMinor = 4_000_00n;

interface LoanSpec {
  readonly amountMinor: number;
  readonly annualRate: string;
  readonly termMonths: number;
  readonly method: 'equal_installment' | 'equal_principal' | 'interest_first' | 'bullet';
}

type Command =
  | { kind: 'repay'; loan: number; extraMinor: number }
  | { kind: 'compensate'; loan: number; pastDue: boolean }
  | { kind: 'advance'; days: number }
  | { kind: 'bank'; order: number; outcome: 'succeeded' | 'failed'; delivery: 'callback' | 'duplicate' | 'later' }
  | { kind: 'crash' };

const loanSpec: fc.Arbitrary<LoanSpec> = fc.record({
  amountMinor: fc.integer({ min: 100_00, max: 3_000_00 }),
  annualRate: fc.constantFrom('0.08', '0.12', '0.2399'),
  termMonths: fc.integer({ min: 1, max: 4 }),
  method: fc.constantFrom('equal_installment' as const, 'equal_principal' as const, 'interest_first' as const, 'bullet' as const),
});

const command: fc.Arbitrary<Command> = fc.oneof(
  // On time (extra 0), more than due (early), a few cents more (early, or refused on the due date).
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('repay' as const), loan: fc.nat(2), extraMinor: fc.constantFrom(0, 0, 0, 1, 10_00, 50_00, 5_000_00) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('compensate' as const), loan: fc.nat(2), pastDue: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 25 }) }) },
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('bank' as const),
      order: fc.nat(5),
      outcome: fc.constantFrom('succeeded' as const, 'succeeded' as const, 'failed' as const),
      delivery: fc.constantFrom('callback' as const, 'duplicate' as const, 'later' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const) }) },
);

const scenario = fc.record({ loans: fc.array(loanSpec, { minLength: 1, maxLength: 3 }), commands: fc.array(command, { minLength: 5, maxLength: 30 }) });

const show = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v));
const minor = (value: bigint) => `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
function fail(message: string, context: unknown): never {
  throw new Error(`${message}\n${show(context)}`);
}

class Run {
  node!: FundcoreNode;
  journal = new MemoryJournal();
  readonly time = new FakeTime();
  readonly bank = new FakeBank();
  readonly loanIds: string[] = [];
  readonly later: BankCallbackWire[] = [];
  private seq = 0;
  private crashing: Promise<void> = Promise.resolve();

  options() {
    return {
      clock: this.time,
      timers: this.time,
      bank: this.bank,
      businessClock: { mode: 'sim', startDate: '2030-01-01' } as const,
      lending: { poolShards: shards, bankQueryAfterMs: queryAfterMs, bankQueryIntervalMaxMs: 4 * queryAfterMs, settleWaitMs: 5, interestReinvestThresholdMinor: 10_00n },
    };
  }

  /** Investors put 3,000.00 each in the pool; each loan is published, approved and paid out. */
  async start(loans: readonly LoanSpec[]): Promise<void> {
    this.node = await startNode({ journal: this.journal, ...this.options() }, this.time);
    await openAccount(this.node, 'ext', 'bank_settlement', true);
    for (const investor of investors) await fundedWallet(this.node, investor, minor(investorFundingMinor));
    for (const borrower of borrowers) await fundedWallet(this.node, borrower, minor(borrowerFundingMinor), 'borrower_wallet');
    for (const investor of investors) {
      const reply = await pumped(this.node.lending.placeInvestment({ id: `i-${investor}`, investor, amount: '3000.00', termDays: 365 }), this.time);
      if (!reply.ok) throw new Error(`invest: ${reply.code}`);
    }
    for (const [i, spec] of loans.entries()) {
      const id = `L${i}`;
      this.loanIds.push(id);
      const published = await this.node.lending.publishLoan({ id, borrower: borrowers[i % 2] as string, amount: minor(BigInt(spec.amountMinor)), annualRate: spec.annualRate, termDays: null, termMonths: spec.termMonths, method: spec.method });
      if (!published.ok) throw new Error(`publish: ${published.code}`);
      await drain(this);
      const approved = await this.node.lending.approveLoan(id);
      if (!approved.ok) throw new Error(`approve ${id}: ${approved.code}`);
      await drain(this);
      await this.node.bank.handleCallback(this.bank.complete(`disb-${id}`, 'succeeded'));
      await drain(this);
    }
  }

  private async client(send: (node: FundcoreNode) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.crashing;
      try {
        return await send(this.node);
      } catch (error) {
        if (!isRuntimeError(error) || attempt >= 5) throw error;
        await settle();
      }
    }
  }

  async send(c: Command, counts: Record<string, number>): Promise<void> {
    switch (c.kind) {
      case 'repay': {
        const id = this.loanIds[c.loan % this.loanIds.length] as string;
        const loan = await this.loan(id);
        const current = await this.currentPeriod(id, loan);
        // What is due now (the decider adds any penalty; an amount of exactly the period is refused then, as it must be).
        const due = loan.book?.guaranteeDebts[0] !== undefined || current === undefined ? null : current.principal + current.interest;
        const amount = c.extraMinor === 0 || due === null ? null : minor(due + BigInt(c.extraMinor));
        const repaymentId = `r${this.seq++}`;
        await this.client(async (node) => {
          const reply = await node.flows.repay(id, { id: repaymentId, amount });
          counts[reply.ok ? 'repayRequested' : `repay:${reply.code}`] = (counts[reply.ok ? 'repayRequested' : `repay:${reply.code}`] ?? 0) + 1;
        });
        return;
      }
      case 'compensate': {
        const id = this.loanIds[c.loan % this.loanIds.length] as string;
        const loan = await this.loan(id);
        const current = await this.currentPeriod(id, loan);
        const period = current?.number ?? 1;
        // Ops compensate overdue periods: half the time the clock is first moved past the due date.
        const dueDate = current?.dueDate;
        if (c.pastDue && dueDate !== undefined) await this.client(async (node) => void (await node.clock.change({ date: addDays(dueDate, 1) })));
        await this.client(async (node) => {
          const reply = await node.flows.compensate(id, { id: `c${this.seq++}`, period });
          counts[reply.ok ? 'compensationRequested' : `compensate:${reply.code}`] = (counts[reply.ok ? 'compensationRequested' : `compensate:${reply.code}`] ?? 0) + 1;
        });
        return;
      }
      case 'advance':
        await this.client(async (node) => void (await node.clock.change({ advanceDays: c.days })));
        return;
      case 'bank': {
        await drain(this);
        const pending = this.bank.pending('repayment');
        const order = pending[c.order % Math.max(pending.length, 1)];
        if (order === undefined) return;
        const callback = this.bank.complete(order.orderNo, c.outcome);
        if (c.delivery !== 'later') await this.deliver(callback);
        if (c.delivery === 'duplicate') await Promise.all([this.deliver(callback), this.deliver(callback)]);
        if (c.delivery === 'later') this.later.push(callback);
        return;
      }
      case 'crash': {
        const old = this.node;
        this.journal = this.journal.reopen();
        const restarting = startNode({ journal: this.journal, ...this.options() }, this.time).then((node) => {
          this.node = node;
        });
        this.crashing = restarting;
        await restarting;
        await old.stop();
        return;
      }
    }
  }

  /** The period open now; before the first payment the loan's book is not open yet, and the plan says what period 1 is. */
  private async currentPeriod(id: string, loan: LoanState): Promise<{ number: number; dueDate: string; principal: bigint; interest: bigint } | undefined> {
    if (loan.book !== null) return loan.book.open[0];
    const plan = await this.node.lending.getPlan(id);
    return plan.ok ? plan.value.periods[0] : undefined;
  }

  private async loan(id: string): Promise<LoanState> {
    const reply = await this.node.lending.getLoan(id);
    if (!reply.ok) throw new Error(`loan ${id}: ${reply.code}`);
    return reply.value;
  }

  private deliver(callback: BankCallbackWire): Promise<void> {
    return this.client(async (node) => {
      const reply = await node.bank.handleCallback(callback);
      if (!reply.ok) throw new Error(`callback ${callback.orderNo}: ${reply.code}`);
    });
  }

  /** Every repayment order gets a result (late callbacks delivered, the rest found by the sweep); then nothing moves. */
  async resolve(): Promise<void> {
    for (let round = 0; round < 30; round++) {
      await drain(this);
      for (const [i, order] of this.bank.pending().entries()) this.bank.complete(order.orderNo, i % 3 === 2 ? 'failed' : 'succeeded');
      for (const callback of this.later.splice(0)) await this.deliver(callback);
      this.time.advance(4 * queryAfterMs);
      await drain(this);
      const moving = [...this.audit().loans.values()].filter((l) => l.repaymentInFlight !== null);
      if (moving.length === 0 && this.bank.pending().length === 0) return;
    }
    throw new Error('payments still under way after the sweep');
  }

  audit() {
    return auditLending(this.journal, shards, this.loanIds, [], 2_000);
  }

  /** Every shard's pools replayed into one state (an investor is served by one shard alone). */
  interestPools(): Map<string, InterestPoolState> {
    const all = initialInterestPoolShardState(-1);
    for (const actorId of this.journal.listActorIds({ prefix: 'ipool:@', after: '', limit: 1_000 })) {
      for (const { event } of this.journal.readEvents(actorId, 1)) evolveInterestPoolShard(all, event as InterestPoolShardEvent);
    }
    assertInterestPoolShard(all);
    return new Map(investors.map((investor) => [investor, poolOf(all, investor)]));
  }
}

/** At every instant, from the journal: money is conserved; each loan's claims add up to its outstanding principal (asserted by the replay); every split sums. */
function checkAlways(run: Run, when: string): void {
  const audit = run.audit();
  for (const loan of audit.loans.values()) {
    for (const repayment of loan.repayments.values()) {
      const split = repayment.split;
      if (split === null) continue;
      const shares = split.shares.reduce((s, x) => s + x.principal + x.interest, 0n);
      if (split.toPool !== repayment.principal || split.toInterestPools + split.toRevenue !== repayment.interest + repayment.penalty || shares !== repayment.total) fail(`${when}: split of ${repayment.id} does not sum`, repayment);
    }
  }
  const money = auditJournal(run.journal, plainLayout(accounts));
  if (money.balanceSum + money.inFlight !== 0n) fail(`${when}: Σ balances + in flight = ${money.balanceSum + money.inFlight}`, money.balances);
  run.interestPools();
}

/** At rest, every account says exactly what the payments say it should. */
function checkAtRest(run: Run, loans: readonly LoanSpec[]): void {
  const audit = run.audit();
  const money = auditJournal(run.journal, plainLayout(accounts));
  const balance = (id: string) => money.balances.get(id) ?? 0n;
  if (money.inFlight !== 0n) fail(`at rest yet ${money.inFlight} in flight`, money.balances);
  if (balance('sys.transit') !== 0n) fail(`at rest the transit holds ${balance('sys.transit')}`, money.balances);
  const pools = run.interestPools();
  const poolSum = [...pools.values()].reduce((s, p) => s + p.balance, 0n);
  if (balance('sys.ipool') !== poolSum) fail(`sys.ipool ${balance('sys.ipool')} ≠ Σ interest pools ${poolSum}`, [...pools]);
  let revenue = 0n;
  let guarantee = 0n;
  const borrowerPaid = new Map<string, bigint>();
  const credited = new Map<string, bigint>();
  for (const loan of audit.loans.values()) {
    const borrower = loan.loan?.borrower as string;
    for (const r of loan.repayments.values()) {
      if (r.stage !== 'succeeded') continue;
      revenue += r.split?.toRevenue ?? 0n;
      if (r.kind === 'compensation') guarantee -= r.total;
      if (r.kind === 'debt') guarantee += r.total;
      if (r.payer === 'borrower') borrowerPaid.set(borrower, (borrowerPaid.get(borrower) ?? 0n) + r.total);
      for (const share of r.split?.shares ?? []) if (share.interestTo === 'interest_pool') credited.set(share.investor, (credited.get(share.investor) ?? 0n) + share.interest);
    }
    if (loan.status === 'settled' && (loan.book?.principalOutstanding !== 0n || loan.claims.some((c) => c.status !== 'finished'))) fail('a settled loan with something out', loan);
  }
  if (balance('sys.revenue') !== revenue) fail(`revenue ${balance('sys.revenue')} ≠ interest claims' interest ${revenue}`, null);
  if (balance('sys.guarantee') !== guarantee) fail(`guarantee ${balance('sys.guarantee')} ≠ debts repaid − compensations ${guarantee}`, null);
  for (const [i, borrower] of borrowers.entries()) {
    const disbursed = loans.reduce((s, spec, j) => (j % 2 === i ? s + BigInt(spec.amountMinor) : s), 0n);
    const expected = borrowerFundingMinor + disbursed - (borrowerPaid.get(borrower) ?? 0n);
    if (balance(borrower) !== expected) fail(`borrower ${borrower} holds ${balance(borrower)}, expected ${expected}`, null);
  }
  for (const [investor, pool] of pools) {
    if (pool.credited !== (credited.get(investor) ?? 0n)) fail(`interest pool of ${investor} credited ${pool.credited}, the splits gave ${credited.get(investor) ?? 0n}`, pool);
  }
  let capitalsFree = 0n;
  for (const capital of audit.capitals.values()) capitalsFree += capital.principal - capital.matched - capital.reserved;
  if (balance('sys.pool') !== capitalsFree) fail(`sys.pool ${balance('sys.pool')} ≠ the capitals' free principal ${capitalsFree}`, [...audit.capitals.values()]);
  for (const investor of investors) if (balance(investor) !== investorFundingMinor - 3_000_00n) fail(`investor ${investor}'s wallet moved`, balance(investor));
  for (const [id, loan] of audit.loans) {
    // The plan the borrower sees agrees with the book the loan decides on.
    let plan = initialPlanState;
    for (const { event } of run.journal.readEvents(`plan:${id}`, 1)) plan = evolvePlan(plan, event as PlanEvent);
    const book = loan.book;
    if (book === null || plan.plan === null) continue;
    const open = plan.plan.periods.filter((p) => p.paid === null && p.compensated === null);
    const openPrincipal = open.reduce((s, p) => s + p.principal, 0n);
    if (open.length !== book.open.length || openPrincipal !== book.principalOutstanding) fail(`loan ${id}: the plan's open periods differ from the loan's book`, { plan: plan.plan.periods, book: book.open });
    const compensatedUnpaid = plan.plan.periods.filter((p) => p.compensated !== null && p.paid === null).length;
    if (compensatedUnpaid !== book.guaranteeDebts.length) fail(`loan ${id}: the plan shows ${compensatedUnpaid} compensated periods unpaid, the book ${book.guaranteeDebts.length} debts`, { plan: plan.plan.periods, book });
  }
  for (const [id, replayed] of audit.loans) {
    const live = run.node.system.inspect(`loan:${id}`)?.state;
    if (live !== undefined && show(live) !== show(replayed)) fail(`loan ${id}: live state differs from its replay`, { live, replayed });
  }
}

const coverage: Record<string, number> = { runs: 0, settled: 0, succeeded: 0, failed: 0, early: 0, late: 0, compensations: 0, debts: 0, reinvested: 0, crashes: 0 };

async function runScenario({ loans, commands }: { loans: LoanSpec[]; commands: Command[] }): Promise<void> {
  coverage.runs = (coverage.runs ?? 0) + 1;
  const run = new Run();
  await run.start(loans);
  try {
    for (const [step, c] of commands.entries()) {
      if (c.kind === 'crash') coverage.crashes = (coverage.crashes ?? 0) + 1;
      await run.send(c, coverage);
      checkAlways(run, `step ${step} ${show(c)}`);
    }
    await run.resolve();
    checkAlways(run, 'resolved');
    checkAtRest(run, loans);
    for (const loan of run.audit().loans.values()) {
      if (loan.status === 'settled') coverage.settled = (coverage.settled ?? 0) + 1;
      for (const r of loan.repayments.values()) {
        const key = r.stage === 'succeeded' ? 'succeeded' : r.stage === 'failed' ? 'failed' : 'other';
        coverage[key] = (coverage[key] ?? 0) + 1;
        if (r.stage !== 'succeeded') continue;
        if (r.kind === 'early') coverage.early = (coverage.early ?? 0) + 1;
        if (r.penalty > 0n && r.kind === 'due') coverage.late = (coverage.late ?? 0) + 1;
        if (r.kind === 'compensation') coverage.compensations = (coverage.compensations ?? 0) + 1;
        if (r.kind === 'debt') coverage.debts = (coverage.debts ?? 0) + 1;
      }
    }
    for (const pool of run.interestPools().values()) coverage.reinvested = (coverage.reinvested ?? 0) + pool.reinvestments;
  } finally {
    await run.node.stop();
  }
}

t.test('property: random loans, repayments (on time, early, late), compensations, bank results (duplicated, reordered, failed) and crashes keep every book whole', async (t) => {
  await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: 100 });
  t.comment(`coverage: ${JSON.stringify(coverage)}`);
  for (const key of ['settled', 'succeeded', 'failed', 'early', 'late', 'compensations', 'debts', 'reinvested', 'crashes']) t.ok((coverage[key] ?? 0) > 0, `covered: ${key}`);
});
