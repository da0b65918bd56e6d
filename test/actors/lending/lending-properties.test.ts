import fc from 'fast-check';
import t from 'tap';
import type { FundcoreNode } from '../../../actors/node.js';
import { isRuntimeError } from '../../../actors/runtime/errors.js';
import type { BankCallbackWire } from '../../../actors/bank/wire.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeBank } from '../../helpers/fake-bank.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { auditJournal, plainLayout } from '../../helpers/journal-audit.js';
import { auditLending } from '../../helpers/lending-audit.js';
import { drain, fundedWallet, openAccount, pumped, startNode } from '../../helpers/lending.js';

const investors = ['a', 'b', 'c'] as const;
const borrowers = ['x', 'y'] as const;
const shards = 3;
const claimsMax = 12;
const queryAfterMs = 1_000;
const fundingMinor = 3_000_00n;

type Command =
  | { kind: 'invest'; investor: number; amountMinor: number; termDays: number }
  | { kind: 'publish'; borrower: number; amountMinor: number }
  | { kind: 'approve'; loan: number }
  | { kind: 'bank'; order: number; outcome: 'succeeded' | 'failed'; delivery: 'callback' | 'duplicate' | 'later' | 'lost' }
  | { kind: 'flush'; reverse: boolean }
  | { kind: 'sweep' }
  | { kind: 'settle'; rounds: number }
  | { kind: 'crash' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('invest' as const), investor: fc.nat(2), amountMinor: fc.integer({ min: 100, max: 1_500_00 }), termDays: fc.constantFrom(30, 90, 365) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('publish' as const), borrower: fc.nat(1), amountMinor: fc.integer({ min: 100_00, max: 1_200_00 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('approve' as const), loan: fc.nat(20) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('bank' as const),
      order: fc.nat(20),
      outcome: fc.constantFrom('succeeded' as const, 'succeeded' as const, 'failed' as const),
      delivery: fc.constantFrom('callback' as const, 'duplicate' as const, 'later' as const, 'lost' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const), reverse: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const), rounds: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const) }) },
);

/** Commands in bursts: the commands of one burst are sent together, without waiting for each other. */
const scenario = fc.array(fc.array(command, { minLength: 1, maxLength: 3 }), { minLength: 4, maxLength: 16 });

const show = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v));

class Run {
  node!: FundcoreNode;
  journal = new MemoryJournal();
  readonly time = new FakeTime();
  readonly bank = new FakeBank();
  readonly loanIds: string[] = [];
  readonly investments: string[] = [];
  readonly later: BankCallbackWire[] = [];
  private seq = 0;

  options() {
    return { clock: this.time, timers: this.time, bank: this.bank, businessClock: { mode: 'sim', startDate: '2030-01-01' } as const, lending: { poolShards: shards, claimsPerLoanMax: claimsMax, bankQueryAfterMs: queryAfterMs, bankQueryIntervalMaxMs: 4 * queryAfterMs, settleWaitMs: 5 } };
  }

  async start(): Promise<void> {
    this.node = await startNode({ journal: this.journal, ...this.options() }, this.time);
    await openAccount(this.node, 'ext', 'bank_settlement', true);
    for (const investor of investors) await fundedWallet(this.node, investor, '3000.00');
    for (const borrower of borrowers) await openAccount(this.node, borrower, 'borrower_wallet');
    await drain(this);
  }

  private crashing: Promise<void> = Promise.resolve();

  /**
   * A client command; when its outcome is unknown (a runtime failure: the node crashed under
   * it), it is sent again with the same id once the node is back — as a client must.
   */
  private async client(send: (node: FundcoreNode) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // A crashed node answers nobody: wait for its successor.
      await this.crashing;
      try {
        return await send(this.node);
      } catch (error) {
        if (!isRuntimeError(error) || attempt >= 5) throw error;
        await settle();
      }
    }
  }

  async send(c: Command): Promise<void> {
    switch (c.kind) {
      case 'invest': {
        const id = `i${this.seq++}`;
        this.investments.push(id);
        const investor = investors[c.investor] as string;
        await this.client(async (node) => {
          const reply = await pumped(node.lending.placeInvestment({ id, investor, amount: minor(c.amountMinor), termDays: c.termDays }), this.time);
          if (!reply.ok) throw new Error(`invest ${id}: ${reply.code}`);
        });
        return;
      }
      case 'publish': {
        const id = `L${this.loanIds.length}`;
        this.loanIds.push(id);
        await this.client(async (node) => {
          const reply = await node.lending.publishLoan({ id, borrower: borrowers[c.borrower] as string, amount: minor(c.amountMinor), annualRate: '0.1', termDays: 90, termMonths: null, method: 'bullet' });
          if (!reply.ok) throw new Error(`publish ${id}: ${reply.code}`);
        });
        return;
      }
      case 'approve': {
        const id = this.loanIds[c.loan % Math.max(this.loanIds.length, 1)];
        if (id === undefined) return;
        await this.client(async (node) => {
          const reply = await node.lending.approveLoan(id);
          // A loan published in this very burst may not exist yet.
          if (!reply.ok && reply.code !== 'loan_not_funded' && reply.code !== 'loan_not_found') throw new Error(`approve: ${reply.code}`);
        });
        return;
      }
      case 'bank': {
        const pending = this.bank.pending();
        const order = pending[c.order % Math.max(pending.length, 1)];
        if (order === undefined) return;
        const callback = this.bank.complete(order.orderNo, c.outcome);
        if (c.delivery === 'callback' || c.delivery === 'duplicate') await this.deliver(callback);
        if (c.delivery === 'duplicate') await Promise.all([this.deliver(callback), this.deliver(callback)]);
        if (c.delivery === 'later') this.later.push(callback);
        return;
      }
      case 'flush': {
        const callbacks = this.later.splice(0);
        if (c.reverse) callbacks.reverse();
        for (const callback of callbacks) await this.deliver(callback);
        return;
      }
      case 'sweep':
        await settle();
        this.time.advance(queryAfterMs);
        return;
      case 'settle':
        await settle(c.rounds);
        return;
      case 'crash': {
        // Only the journal survives; the old node can no longer write (its journal is closed).
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

  /** The bank retries a callback until it is acknowledged. */
  private deliver(callback: BankCallbackWire): Promise<void> {
    return this.client(async (node) => {
      const reply = await node.bank.handleCallback(callback);
      if (!reply.ok) throw new Error(`callback ${callback.orderNo}: ${reply.code}`);
    });
  }

  /**
   * The end: every funded loan is approved, every bank order gets a result (left pending:
   * two in three succeed, their callbacks lost, so the sweep must find them), then the
   * sweep and the relay finish everything.
   */
  async resolve(): Promise<void> {
    await drain(this);
    for (const id of this.loanIds) await this.client(async (node) => void (await node.lending.approveLoan(id)));
    for (let round = 0; round < 30; round++) {
      await drain(this);
      for (const [i, order] of this.bank.pending().entries()) this.bank.complete(order.orderNo, i % 3 === 2 ? 'failed' : 'succeeded');
      for (const callback of this.later.splice(0)) await this.deliver(callback);
      this.time.advance(4 * queryAfterMs);
      await drain(this);
      const audit = this.audit();
      const out = [...audit.orders.values()].filter((o) => o.order !== null && (o.order.status === 'sending' || o.order.status === 'accepted' || o.order.status === 'holding'));
      const moving = [...audit.loans.values()].filter((l) => l.status === 'approved' || l.status === 'disbursing' || l.walk !== null);
      if (out.length === 0 && moving.length === 0 && this.bank.pending().length === 0) return;
    }
    throw new Error('orders or loans still in flight after the sweep');
  }

  audit() {
    const orderNos = [...this.loanIds.map((id) => `disb-${id}`)];
    return auditLending(this.journal, shards, this.loanIds, orderNos, claimsMax);
  }
}

function minor(value: number): string {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}

function fail(message: string, context: unknown): never {
  throw new Error(`${message}\n${show(context)}`);
}

/** The invariants that must hold at every instant, read from the journal. */
function checkAlways(run: Run, when: string): void {
  const audit = run.audit();
  for (const capital of audit.capitals.values()) {
    if (capital.matched < 0n || capital.reserved < 0n || capital.matched + capital.reserved > capital.principal) fail(`${when}: capital ${capital.id} over-reserved`, capital);
  }
  const claimed = new Map<string, { live: bigint; matched: bigint }>();
  const orderNos = new Set<string>();
  for (const loan of audit.loans.values()) {
    const amount = loan.loan?.amount ?? 0n;
    const live = loan.claims.filter((c) => c.status !== 'failed').reduce((sum, c) => sum + c.amount, 0n);
    if (['funded', 'approved', 'disbursing', 'repaying'].includes(loan.status) && live !== amount) fail(`${when}: loan ${loan.loan?.id} is ${loan.status} with claims of ${live}`, loan);
    for (const claim of loan.claims) {
      if (orderNos.has(claim.orderNo)) fail(`${when}: claim ${claim.orderNo} twice`, claim);
      orderNos.add(claim.orderNo);
      const entry = claimed.get(claim.capitalId) ?? { live: 0n, matched: 0n };
      if (claim.status === 'matched') entry.matched += claim.amount;
      else if (claim.status !== 'failed') entry.live += claim.amount;
      claimed.set(claim.capitalId, entry);
    }
  }
  // A capital's matched money is exactly its matched claims: no claim matched twice, none lost. (The shard may
  // lag the loan by one delivery, so `matched` may be below; never above.)
  for (const capital of audit.capitals.values()) {
    const entry = claimed.get(capital.id) ?? { live: 0n, matched: 0n };
    if (capital.matched > entry.matched) fail(`${when}: capital ${capital.id} matched ${capital.matched} but its matched claims hold ${entry.matched}`, { capital, entry });
  }
  const money = auditJournal(run.journal, plainLayout(['ext', ...investors, ...borrowers, 'sys.pool', 'sys.bank']));
  if (money.balanceSum + money.inFlight !== 0n) fail(`${when}: Σ balances + in flight = ${money.balanceSum + money.inFlight}`, money);
}

/** At rest, everything adds up exactly. */
function checkAtRest(run: Run): void {
  const audit = run.audit();
  const money = auditJournal(run.journal, plainLayout(['ext', ...investors, ...borrowers, 'sys.pool', 'sys.bank']));
  if (money.inFlight !== 0n) fail(`at rest yet ${money.inFlight} in flight`, money);
  const balance = (id: string) => money.balances.get(id) ?? 0n;
  let principal = 0n;
  let matched = 0n;
  const byCapital = new Map<string, { reserved: bigint; matched: bigint }>();
  for (const loan of audit.loans.values()) {
    for (const claim of loan.claims) {
      const entry = byCapital.get(claim.capitalId) ?? { reserved: 0n, matched: 0n };
      if (claim.status === 'matched') entry.matched += claim.amount;
      if (claim.status === 'pre_processing' || claim.status === 'matching') entry.reserved += claim.amount;
      byCapital.set(claim.capitalId, entry);
    }
  }
  for (const capital of audit.capitals.values()) {
    principal += capital.principal;
    matched += capital.matched;
    const entry = byCapital.get(capital.id) ?? { reserved: 0n, matched: 0n };
    if (capital.reserved !== entry.reserved || capital.matched !== entry.matched) fail(`capital ${capital.id}: shard says reserved ${capital.reserved} matched ${capital.matched}; the claims say ${show(entry)}`, capital);
  }
  if (balance('sys.pool') !== principal - matched) fail(`the pool account holds ${balance('sys.pool')}, the capitals ${principal - matched}`, { principal, matched });
  for (const borrower of borrowers) {
    const paid = [...audit.loans.values()].filter((l) => l.loan?.borrower === borrower && l.status === 'repaying').reduce((sum, l) => sum + (l.loan?.amount ?? 0n), 0n);
    if (balance(borrower) !== paid) fail(`borrower ${borrower} holds ${balance(borrower)}, was paid ${paid}`, [...audit.loans.values()]);
  }
  const invested = investors.reduce((sum, investor) => sum + (fundingMinor - balance(investor)), 0n);
  if (invested !== principal) fail(`investors gave ${invested}, the pool's capitals hold ${principal}`, { invested, principal });
  if (balance('ext') + fundingMinor * BigInt(investors.length) !== 0n) fail('the outside world changed', balance('ext'));
  for (const loan of audit.loans.values()) {
    if (loan.status === 'approved' || loan.status === 'disbursing') fail(`loan ${loan.loan?.id} stuck ${loan.status}`, loan);
  }
}

/** What the runs covered, so a property that passes vacuously shows. */
const coverage = { runs: 0, crashes: 0, loansRepaying: 0, loansFailed: 0, loansWaiting: 0, claims: 0, sharedCapitals: 0, duplicates: 0, lost: 0, reordered: 0 };

async function runScenario(bursts: Command[][]): Promise<void> {
  coverage.runs++;
  for (const c of bursts.flat()) {
    if (c.kind === 'crash') coverage.crashes++;
    if (c.kind === 'bank' && c.delivery === 'duplicate') coverage.duplicates++;
    if (c.kind === 'bank' && c.delivery === 'lost') coverage.lost++;
    if (c.kind === 'bank' && c.delivery === 'later') coverage.reordered++;
  }
  const run = new Run();
  await run.start();
  try {
    for (const [step, burst] of bursts.entries()) {
      await Promise.all(burst.map((c) => run.send(c)));
      checkAlways(run, `burst ${step} ${show(burst)}`);
    }
    await run.resolve();
    checkAlways(run, 'resolved');
    checkAtRest(run);
    // The live actors agree with their journal.
    const audit = run.audit();
    const loans = [...audit.loans.values()];
    coverage.loansRepaying += loans.filter((l) => l.status === 'repaying').length;
    coverage.loansFailed += loans.filter((l) => l.status === 'failed').length;
    coverage.loansWaiting += loans.filter((l) => l.status === 'matching').length;
    coverage.claims += loans.reduce((sum, l) => sum + l.claims.length, 0);
    const lenders = new Map<string, Set<string>>();
    for (const l of loans) for (const c of l.claims) lenders.set(c.capitalId, (lenders.get(c.capitalId) ?? new Set()).add(c.loanId));
    coverage.sharedCapitals += [...lenders.values()].filter((set) => set.size > 1).length;
    for (const [id, replayed] of audit.loans) {
      const live = run.node.system.inspect(`loan:${id}`)?.state;
      if (show(live) !== show(replayed)) fail(`loan ${id}: live state differs from its replay`, { live, replayed });
    }
  } finally {
    await run.node.stop();
  }
}

t.test('property: random interleavings of investments, loans, approvals, bank results (duplicated, reordered, lost), sweeps and crashes keep the pool and the money whole', async (t) => {
  await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: 150 });
  t.comment(`coverage: ${JSON.stringify(coverage)}`);
  t.ok(coverage.loansRepaying > 20 && coverage.loansFailed > 10 && coverage.loansWaiting > 10, 'loans ended every way');
  t.ok(coverage.crashes > 20 && coverage.sharedCapitals > 20, 'crashes happened; capitals were shared by several loans');
});
