import t from 'tap';
import { eventually } from '../helpers/callback-receiver.js';
import { e2eKeys, startSimulatedPlatform } from '../helpers/e2e.js';
import { amountOf, minorOf, type HttpClient } from '../helpers/http-client.js';
import { statementCamt053 } from '../../bench/bank-sim/statement.js';
import { parseFeeRule, type FeeRule } from '../../core/clearing/fee.js';
import { defaultProduct } from '../../core/lending/schedule/product.js';

/**
 * A year of lending over HTTP with the simulated business clock: 50 investors, 20 loans of
 * every method and several terms, every period repaid — most on their due date, some late
 * (with penalty), some compensated by the guarantee and the debt repaid later — and every
 * investment redeemed at its maturity (claims of loans still running transferred to other
 * capital). At the end every wallet reconciles and every interest pool's flows sum to it.
 * Issue 17's checks ride along: compensations paid at the bank (the guarantee's reserve), two
 * claim-transfer batches declined and undone, a claim moved between two investments of one
 * investor (the twin), two redemptions of one investor under way at once (the pair), and at
 * two quiet points every investor's bank account = wallet + capital not paid out + interest
 * pool, computed here from the shards' capitals.
 */
const { opsKey } = e2eKeys;
const startDate = '2030-01-01';
/** A month before the year: the twin's and the pair's prologue (see below). */
const prologueDate = '2029-12-01';
const investors = Array.from({ length: 50 }, (_, i) => `inv${String(i).padStart(2, '0')}`);
const borrowers = ['b0', 'b1', 'b2', 'b3', 'b4'];
const rechargeMinor = 20_000_00n;
const borrowerRechargeMinor = 40_000_00n;
const withdrawalMinor = 100_00n;
const withdrawalFeeMinor = 2_00n;
const methods = ['equal_installment', 'equal_principal', 'interest_first', 'bullet'] as const;
const terms = [{ termMonths: 3 }, { termMonths: 6 }, { termMonths: 12 }, { termDays: 90 }, { termDays: 180 }] as const;

interface Investment {
  readonly id: string;
  readonly on: string;
  readonly investor: string;
  readonly amountMinor: bigint;
  readonly termDays: number;
}

type Action =
  | { readonly kind: 'repay'; readonly loan: string; readonly id: string }
  | { readonly kind: 'compensate'; readonly loan: string; readonly id: string; readonly period: number }
  | { readonly kind: 'redeem'; readonly investment: string }
  /** Redemptions asked at once, the bank slowed so that none can end before all have started. */
  | { readonly kind: 'redeem_together'; readonly investor: string; readonly investments: readonly string[] };

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function ok(http: HttpClient, path: string, body: object | undefined, expected: readonly number[], key?: string): Promise<any> {
  const answer = await http.post(path, body, key);
  if (!expected.includes(answer.status)) throw new Error(`POST ${path} ${JSON.stringify(body)} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A bounded wait that says what it waited for when it runs out. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  try {
    await eventually(condition, timeoutMs);
  } catch {
    throw new Error(`never happened: ${what}`);
  }
}

/** A payment, asked again while a claim of the loan is changing holders at the bank (redemption and repayment exclude each other). */
async function paid(http: HttpClient, path: string, body: object, key: string | undefined): Promise<void> {
  let answer = await http.post(path, body, key);
  await until(`${path}: no claim transfer in the way`, async () => {
    if (answer.status !== 409 || answer.body.error?.code !== 'claim_transfer_in_progress') return true;
    answer = await http.post(path, body, key);
    return false;
  });
  if (answer.status !== 201 && answer.status !== 202) throw new Error(`POST ${path} ${JSON.stringify(body)} → ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Claims that moved from one investment to another of the same investor, read from every investment's claims. */
async function transfersWithinInvestor(http: HttpClient, investmentIds: readonly string[]): Promise<number> {
  const claims: { orderNo: string; investor: string; lastOrderNo: string | null; transferred: boolean }[] = [];
  for (const id of investmentIds) claims.push(...(await http.get(`/v1/investments/${id}/claims`)).body.claims);
  const investorOf = new Map(claims.map((claim) => [claim.orderNo, claim.investor]));
  return claims.filter((claim) => claim.transferred && claim.lastOrderNo !== null && investorOf.get(claim.lastOrderNo) === claim.investor).length;
}

async function invest(http: HttpClient, investment: Investment): Promise<void> {
  await ok(http, '/v1/investments', { id: investment.id, investor: investment.investor, amount: amountOf(investment.amountMinor), termDays: investment.termDays }, [201]);
}

/**
 * What the bank should hold for each investor (issue 17): the wallet + the capital not paid out
 * at the bank (principal − matched − pulled back, over every capital of the investor in every
 * shard: its own, repayment-reinvest and interest capital) + the interest pool. Read at rest.
 */
async function booksPerInvestor(http: HttpClient, investors: readonly string[], shards: number): Promise<Map<string, bigint>> {
  const unmatched = new Map<string, bigint>();
  for (let shard = 0; shard < shards; shard++) {
    const state = (await http.get(`/ops/actors/pool:${shard}`, e2eKeys.opsKey)).body.state as { capitals: Record<string, { investor: string; principal: string; matched: string; pulledBack: string }> };
    for (const capital of Object.values(state.capitals)) {
      const free = BigInt(capital.principal) - BigInt(capital.matched) - BigInt(capital.pulledBack);
      unmatched.set(capital.investor, (unmatched.get(capital.investor) ?? 0n) + free);
    }
  }
  const books = new Map<string, bigint>();
  for (const investor of investors) {
    const wallet = minorOf((await http.get(`/v1/accounts/${investor}`)).body.total);
    const pool = minorOf((await http.get(`/v1/investors/${investor}/interest-pool?limit=1`)).body.balance);
    books.set(investor, wallet + (unmatched.get(investor) ?? 0n) + pool);
  }
  return books;
}

async function quiet(http: HttpClient): Promise<void> {
  await until('the outbox empties', async () => (await http.get('/health')).body.relay.backlog === 0);
}

t.test('lifecycle: 50 investors, 20 loans, a year of repayments (some late, some compensated), every investment redeemed at maturity; wallets and interest pools reconcile', async (t) => {
  const { http, sim } = await startSimulatedPlatform(t, {
    seed: 5,
    behaviour: { delayMinMs: 1, delayMaxMs: 5 },
    startDate: prologueDate,
    poolShards: 4,
    // The clearing rules: 10 % of investors' interest to the platform at each split, 2.00 a withdrawal.
    lending: { redemptionRecheckMs: 100, products: [{ ...defaultProduct, serviceFee: parseFeeRule({ rate: '0.10' }, 'CNY', 'serviceFee') as FeeRule }], withdrawalFee: parseFeeRule({ fixed: '2.00' }, 'CNY', 'withdrawal fee') as FeeRule },
  });

  // The platform's guarantee reserve at the bank (its own money, outside fundcore's client
  // API): compensations are paid from it. In fundcore's ledger the guarantee account advances.
  sim.books.open('sys.guarantee', prologueDate);
  sim.books.deposit('sys.guarantee', 1_000_000_00n, prologueDate, 'guarantee-reserve', 'guarantee-reserve');

  // Wallets, depository accounts, recharges through the bank.
  const everyone = [...investors, 'twin', 'pair'];
  for (const id of everyone) await ok(http, '/v1/accounts', { id, kind: 'investor_wallet' }, [201]);
  for (const id of borrowers) await ok(http, '/v1/accounts', { id, kind: 'borrower_wallet' }, [201]);
  for (const id of [...everyone, ...borrowers]) await ok(http, '/v1/depository-accounts', { id, account: id }, [201]);
  await until('depository accounts open', async () => {
    for (const id of [...everyone, ...borrowers]) if ((await http.get(`/v1/depository-accounts/${id}`)).body.status !== 'open') return false;
    return true;
  });
  for (const id of everyone) await ok(http, '/v1/deposits', { id: `dep-${id}`, account: id, amount: amountOf(rechargeMinor) }, [201]);
  for (const id of borrowers) await ok(http, '/v1/deposits', { id: `dep-${id}`, account: id, amount: amountOf(borrowerRechargeMinor) }, [201]);
  await until('recharges succeed', async () => {
    for (const id of [...everyone, ...borrowers]) if ((await http.get(`/v1/deposits/dep-${id}`)).body.status !== 'succeeded') return false;
    return true;
  });
  await quiet(http);

  // The twin's prologue, while the pool is empty: twin-a funds loan LT alone; twin-b is then
  // the only capital, so redeeming twin-a moves its claim to twin-b — the same investor, one
  // depository account: the bank has nothing to move (an item from an account to itself
  // would make the bank refuse the whole batch).
  const investments: Investment[] = [
    { id: 'twin-a', on: prologueDate, investor: 'twin', amountMinor: 1_000_00n, termDays: 30 },
    { id: 'twin-b', on: prologueDate, investor: 'twin', amountMinor: 1_000_00n, termDays: 400 },
  ];
  const [twinA, twinB] = investments as [Investment, Investment];
  const twinLoan = { id: 'LT', borrower: 'b0', amount: '1000.00', annualRate: '0.1', termMonths: 3, method: 'equal_principal' };
  await invest(http, twinA);
  await ok(http, '/v1/loans', twinLoan, [201]);
  await until('LT funded', async () => (await http.get('/v1/loans/LT')).body.status === 'funded');
  await ok(http, '/v1/loans/LT/approve', undefined, [200], opsKey);
  await until('LT paid out', async () => (await http.get('/v1/loans/LT')).body.status === 'repaying');
  // The pair's prologue: pair-a and pair-b (one investor) alone fund loan LP, and both mature on
  // the same day while LP runs: their two redemptions are under way at once (see the calendar).
  const pairA: Investment = { id: 'pair-a', on: prologueDate, investor: 'pair', amountMinor: 500_00n, termDays: 60 };
  const pairB: Investment = { id: 'pair-b', on: prologueDate, investor: 'pair', amountMinor: 500_00n, termDays: 60 };
  investments.push(pairA, pairB);
  const pairLoan = { id: 'LP', borrower: 'b1', amount: '1000.00', annualRate: '0.1', termMonths: 12, method: 'equal_installment' };
  await invest(http, pairA);
  await invest(http, pairB);
  await ok(http, '/v1/loans', pairLoan, [201]);
  await until('LP funded', async () => (await http.get('/v1/loans/LP')).body.status === 'funded');
  await ok(http, '/v1/loans/LP/approve', undefined, [200], opsKey);
  await until('LP paid out', async () => (await http.get('/v1/loans/LP')).body.status === 'repaying');
  await invest(http, twinB);
  await ok(http, '/ops/clock', { date: addDays(prologueDate, twinA.termDays) }, [200], opsKey);
  await ok(http, '/v1/investments/twin-a/redeem', {}, [202]);
  await until('twin-a redeemed', async () => (await http.get('/v1/investments/twin-a/redemption')).body.status === 'completed');
  await ok(http, '/ops/clock', { date: startDate }, [200], opsKey);

  // Two investments each: one of 120..400 days, one of 400 days (capital that takes over claims).
  for (const [i, investor] of investors.entries()) {
    investments.push({ id: `${investor}-a`, on: startDate, investor, amountMinor: 4_000_00n + BigInt(i % 5) * 500_00n, termDays: [120, 200, 300, 400][i % 4] as number });
    investments.push({ id: `${investor}-b`, on: startDate, investor, amountMinor: 3_000_00n, termDays: 400 });
  }
  for (const investment of investments.slice(4)) await invest(http, investment);

  // Twenty loans of every method and five terms, approved and paid out.
  const loans = Array.from({ length: 20 }, (_, n) => ({
    id: `L${n}`,
    borrower: borrowers[n % borrowers.length] as string,
    amount: amountOf(8_000_00n + BigInt(n) * 700_00n),
    annualRate: ['0.08', '0.095', '0.11', '0.12'][n % 4] as string,
    ...terms[n % terms.length],
    method: methods[n % methods.length] as string,
  }));
  for (const loan of loans) await ok(http, '/v1/loans', loan, [201]);
  await until('loans funded', async () => (await Promise.all(loans.map(async (loan) => (await http.get(`/v1/loans/${loan.id}`)).body.status))).every((s) => s === 'funded'));
  for (const loan of loans) await ok(http, `/v1/loans/${loan.id}/approve`, undefined, [200], opsKey);
  await until('loans paid out', async () => (await Promise.all(loans.map(async (loan) => (await http.get(`/v1/loans/${loan.id}`)).body.status))).every((s) => s === 'repaying'));
  await quiet(http);

  // The year's calendar: each period paid on its due date, 5 days late, or compensated 3 days
  // after it and the debt paid back 10 days after it; each investment redeemed at maturity.
  const calendar = new Map<string, Action[]>();
  const at = (date: string, action: Action) => calendar.set(date, [...(calendar.get(date) ?? []), action]);
  let late = 0;
  let compensated = 0;
  for (const [n, loan] of [...loans, twinLoan, pairLoan].entries()) {
    const schedule = (await http.get(`/v1/loans/${loan.id}/schedule`)).body;
    for (const period of schedule.periods as { number: number; dueDate: string }[]) {
      const choice = (n * 7 + period.number * 3) % 13;
      if (choice === 0) {
        compensated++;
        at(addDays(period.dueDate, 3), { kind: 'compensate', loan: loan.id, id: `c-${loan.id}-${period.number}`, period: period.number });
        at(addDays(period.dueDate, 10), { kind: 'repay', loan: loan.id, id: `r-${loan.id}-${period.number}` });
      } else if (choice === 1 || choice === 2) {
        late++;
        at(addDays(period.dueDate, 5), { kind: 'repay', loan: loan.id, id: `r-${loan.id}-${period.number}` });
      } else {
        at(period.dueDate, { kind: 'repay', loan: loan.id, id: `r-${loan.id}-${period.number}` });
      }
    }
  }
  for (const investment of [twinB, ...investments.slice(4)]) at(addDays(investment.on, investment.termDays), { kind: 'redeem', investment: investment.id });
  at(addDays(prologueDate, pairA.termDays), { kind: 'redeem_together', investor: 'pair', investments: [pairA.id, pairB.id] });
  t.ok(late > 3 && compensated > 2, `periods paid late: ${late}; compensated: ${compensated}`);

  // The first two claim-transfer batches the bank sees are declined: each transfer fails,
  // nothing is paid, and the redemption's next round transfers the claim again.
  sim.declineNext('transfer', 2);
  // Issue 18, defect 13: the bank's closing balance of every wallet is what the ledger says it
  // should hold (wallet + capital not paid out at the bank + interest pool): no balance drift.
  const wallets = new Set([...everyone, ...borrowers]);
  const noDrift = async (label: string) => {
    await quiet(http);
    const content = statementCamt053(sim.books.entries, null, new Date(), [...sim.books.accounts.keys()]);
    const report = await ok(http, '/v1/reconciliations', { id: `drift-${label}`, format: 'camt.053', content }, [201], opsKey);
    const drifts = (report.findings as { kind: string; drift: { account: string } | null }[]).filter((f) => f.kind === 'balance_drift' && wallets.has(f.drift?.account ?? ''));
    t.same(drifts, [], `${label}: no wallet drifts from its bank account`);
  };
  // The first maturity of the year's investments (the pair's, a month in, comes earlier: months of payments are checked here).
  const firstRedemption = [...calendar].filter(([, actions]) => actions.some((a) => a.kind === 'redeem')).map(([date]) => date).sort()[0] ?? '9999-12-31';
  const bankAgrees = async (label: string) => {
    await quiet(http);
    const books = await booksPerInvestor(http, everyone, 4);
    const differing = everyone.filter((investor) => (sim.books.accounts.get(investor)?.balance ?? 0n) !== books.get(investor)).map((investor) => `${investor}: bank ${sim.books.accounts.get(investor)?.balance}, books ${books.get(investor)}`);
    t.same(differing, [], `${label}: every investor's bank account = wallet + capital not paid out + interest pool`);
  };
  let together = 0;

  // The year, date by date.
  let payments = 0;
  let checkedBeforeRedemptions = false;
  for (const date of [...calendar.keys()].sort()) {
    if (!checkedBeforeRedemptions && date >= firstRedemption) {
      checkedBeforeRedemptions = true;
      await noDrift('before-redemptions');
      await bankAgrees('before-redemptions');
    }
    await ok(http, '/ops/clock', { date }, [200], opsKey);
    for (const action of calendar.get(date) ?? []) {
      if (action.kind === 'redeem') {
        const redeemed = await ok(http, `/v1/investments/${action.investment}/redeem`, {}, [202]);
        t.equal(redeemed.investmentId, action.investment);
        continue;
      }
      if (action.kind === 'redeem_together') {
        // Their claims go to other capital through the bank: at 300 ms a batch, neither ends before both hold reinvest off.
        sim.setBehaviour({ delayMinMs: 300, delayMaxMs: 300 });
        await Promise.all(action.investments.map((id) => ok(http, `/v1/investments/${id}/redeem`, {}, [202])));
        const holds = action.investments.map((id) => `rdm-${id}`);
        await until(`${action.investor}: both redemptions hold reinvest off at once`, async () => {
          const held = (await http.get(`/v1/investors/${action.investor}/interest-pool?limit=1`)).body.reinvestHeldBy as string[];
          return holds.every((hold) => held.includes(hold));
        });
        sim.setBehaviour({ delayMinMs: 1, delayMaxMs: 5 });
        together++;
        continue;
      }
      const path = action.kind === 'repay' ? `/v1/loans/${action.loan}/repayments` : `/v1/loans/${action.loan}/compensations`;
      const body = action.kind === 'repay' ? { id: action.id } : { id: action.id, period: action.period };
      await paid(http, path, body, action.kind === 'compensate' ? opsKey : undefined);
      const payment = async () => (await http.get(`/v1/loans/${action.loan}/repayments/${action.id}`)).body;
      await until(`${date}: payment ${action.id} succeeds`, async () => (await payment()).status === 'succeeded').catch(async (error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(await payment())}`);
      });
      payments++;
    }
  }
  await quiet(http);
  t.comment(`payments: ${payments}`);

  // Every loan settled; every redemption completed.
  for (const loan of [...loans, twinLoan, pairLoan]) t.equal((await http.get(`/v1/loans/${loan.id}`)).body.status, 'settled', `${loan.id} settled`);
  await until('every redemption completes', async () => {
    for (const investment of investments) if ((await http.get(`/v1/investments/${investment.id}/redemption`)).body.status !== 'completed') return false;
    return true;
  }, 60_000);
  await quiet(http);

  // Each investor takes 100.00 out through the bank.
  for (const id of everyone) await ok(http, '/v1/withdrawals', { id: `wd-${id}`, account: id, amount: amountOf(withdrawalMinor) }, [201]);
  await until('withdrawals succeed', async () => {
    for (const id of everyone) if ((await http.get(`/v1/withdrawals/wd-${id}`)).body.status !== 'succeeded') return false;
    return true;
  });
  await quiet(http);

  // Every wallet: recharge − invest + returned principal + interest − fees − withdrawals = balance.
  let transferred = 0n;
  let interestTotal = 0n;
  for (const investor of everyone) {
    const own = investments.filter((investment) => investment.investor === investor);
    let invested = 0n;
    let principalBack = 0n;
    let interest = 0n;
    for (const investment of own) {
      const redemption = (await http.get(`/v1/investments/${investment.id}/redemption`)).body;
      invested += investment.amountMinor;
      principalBack += minorOf(redemption.pulledBack) + minorOf(redemption.transferred);
      interest += minorOf(redemption.interestPaid);
      transferred += minorOf(redemption.transferred);
    }
    interestTotal += interest;
    t.equal(principalBack, invested, `${investor}: the whole principal came back`);
    const balance = minorOf((await http.get(`/v1/accounts/${investor}`)).body.total);
    t.equal(balance, rechargeMinor - invested + principalBack + interest - withdrawalFeeMinor - withdrawalMinor, `${investor}: recharge − invest + principal + interest − fees − withdrawals = balance`);
    // Everything redeemed and paid out: the bank holds for the investor exactly the wallet.
    const atBank = sim.books.accounts.get(investor)?.balance;
    t.equal(atBank, balance, `${investor}: the bank's books agree`);
    const pool = (await http.get(`/v1/investors/${investor}/interest-pool?limit=500`)).body;
    const flows = (pool.flows as { amount: string }[]).reduce((sum, flow) => sum + minorOf(flow.amount), 0n);
    t.equal(flows, minorOf(pool.balance), `${investor}: the interest pool's flows sum to its balance`);
    t.ok(pool.flowCount <= 500, `${investor}: every flow read`);
    t.equal(pool.balance, '0.00', `${investor}: the interest pool was paid out (the last redemption came after the last repayment)`);
  }
  t.ok(transferred > 0n, `claims were transferred at redemption: ${amountOf(transferred)}`);
  t.equal(sim.declinesLeft('transfer'), 0, 'two claim-transfer batches were declined at the bank, and undone');
  const withinInvestor = await transfersWithinInvestor(http, investments.map((investment) => investment.id));
  t.ok(withinInvestor > 0, `claims moved between two investments of one investor (no bank item from an account to itself): ${withinInvestor}`);
  await noDrift('end');
  await bankAgrees('end');
  t.equal(together, 1, 'two redemptions of one investor ran at once');
  t.match((await http.get('/v1/investors/pair/interest-pool?limit=1')).body, { reinvestOn: true, reinvestHeldBy: [] }, 'both ended: no hold left, the investor\'s own switch untouched');
  const pairRedemptions = await Promise.all([pairA, pairB].map(async (investment) => (await http.get(`/v1/investments/${investment.id}/redemption`)).body));
  t.ok(pairRedemptions.every((r) => minorOf(r.transferred) > 0n), "the pair's claims were transferred (through the bank) by both redemptions");
  t.ok(interestTotal > 0n, `interest paid out: ${amountOf(interestTotal)}`);
  // The platform's revenue: the withdrawals' fees and the service fees on interest, and the bank holds them for it too.
  const revenue = minorOf((await http.get('/v1/accounts/sys.revenue')).body.total);
  t.ok(revenue > BigInt(everyone.length) * withdrawalFeeMinor, `revenue holds the withdrawal fees and the service fees: ${amountOf(revenue)}`);
  t.equal(sim.books.accounts.get('sys.revenue')?.balance, revenue, "the bank's revenue account agrees");
  t.equal((await http.get('/v1/accounts/sys.transit')).body.total, '0.00', 'nothing between payer and split');
  t.equal((await http.get('/health')).body.relay.backlog, 0, 'the outbox is empty');
  t.comment(`bank: ${JSON.stringify(sim.stats)}`);
});
