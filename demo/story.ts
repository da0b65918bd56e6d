import { until, type DemoHttp } from './http.js';

/**
 * A whole lending story over HTTP, step by step: two investors and a borrower, their depository
 * accounts and deposits, two investments, a loan matched from both, its approval and payout, a
 * repayment a month later, an overdue period and its compensation, a redemption at maturity
 * (claims transferred to other capital), the day's close and a reconciliation of the bank's
 * statement. Each step waits (bounded) where the platform is asynchronous.
 */
export interface StoryContext {
  http: DemoHttp;
  /** Prefix of every id, so the story can run again on the same node. */
  readonly run: string;
  /** What the story met that a reader should know (a known defect, a step skipped). */
  readonly notes: string[];
  /** The business clock is simulated: the story can move it. */
  simulated: boolean;
}

export interface Step {
  readonly title: string;
  /** Moves the business clock: skipped on a wall-clock node. */
  readonly needsSimulatedClock?: boolean;
  run(ctx: StoryContext): Promise<string>;
}

const id = (ctx: StoryContext, name: string) => `${ctx.run}-${name}`;
const people = ['ann', 'ben', 'xu'] as const;
const settled = ['succeeded', 'failed'];

async function today(ctx: StoryContext): Promise<string> {
  return ((await ctx.http.read('/ops/clock', ctx.http.opsKey)) as { date: string }).date;
}

async function moveClockTo(ctx: StoryContext, date: string): Promise<string> {
  const moved = await ctx.http.must('/ops/clock', { date }, [200], ctx.http.opsKey);
  return moved.date as string;
}

/** The relay has delivered every credit (a bank result reaches the wallet through the outbox). */
async function quiet(ctx: StoryContext): Promise<void> {
  await until('the outbox is empty', async () => (await ctx.http.read('/health')).relay.backlog === 0);
}

async function payment(ctx: StoryContext, loan: string, paymentId: string): Promise<any> {
  await until(`payment ${paymentId} completes`, async () => settled.includes((await ctx.http.read(`/v1/loans/${loan}/repayments/${paymentId}`)).status));
  await quiet(ctx);
  return ctx.http.read(`/v1/loans/${loan}/repayments/${paymentId}`);
}

async function period(ctx: StoryContext, number: number): Promise<{ dueDate: string; total: string; status: string }> {
  const schedule = await ctx.http.read(`/v1/loans/${id(ctx, 'loan')}/schedule`);
  return (schedule.periods as { number: number; dueDate: string; total: string; status: string }[]).find((p) => p.number === number) as never;
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const setupSteps: readonly Step[] = [
  {
    title: 'the business clock',
    async run(ctx) {
      const clock = await ctx.http.read('/ops/clock', ctx.http.opsKey);
      ctx.simulated = clock.mode === 'sim';
      if (!ctx.simulated) ctx.notes.push('the node runs on the wall clock: steps that move the business date were skipped (start it with FUNDCORE_CLOCK=sim for the whole story)');
      return `${clock.mode} clock, business date ${clock.date}`;
    },
  },
  {
    title: 'wallets: investors ann and ben, borrower xu',
    async run(ctx) {
      for (const name of people) await ctx.http.must('/v1/accounts', { id: id(ctx, name), kind: name === 'xu' ? 'borrower_wallet' : 'investor_wallet' }, [201]);
      return people.map((name) => id(ctx, name)).join(', ');
    },
  },
  {
    title: 'depository accounts at the bank (opened asynchronously: wait until open)',
    async run(ctx) {
      for (const name of people) await ctx.http.must('/v1/depository-accounts', { id: id(ctx, name), account: id(ctx, name) }, [201]);
      for (const name of people) await until(`${name}'s depository account opens`, async () => (await ctx.http.read(`/v1/depository-accounts/${id(ctx, name)}`)).status === 'open');
      return 'all three open';
    },
  },
  {
    title: 'deposits through the bank: ann 5,000.00, ben 5,000.00, xu 1,000.00',
    async run(ctx) {
      const amounts = { ann: '5000.00', ben: '5000.00', xu: '1000.00' } as const;
      for (const name of people) await ctx.http.must('/v1/deposits', { id: id(ctx, `dep-${name}`), account: id(ctx, name), amount: amounts[name] }, [201]);
      for (const name of people) await until(`${name}'s deposit succeeds`, async () => (await ctx.http.read(`/v1/deposits/${id(ctx, `dep-${name}`)}`)).status === 'succeeded');
      await quiet(ctx);
      const totals = await Promise.all(people.map(async (name) => `${name} ${(await ctx.http.read(`/v1/accounts/${id(ctx, name)}`)).total}`));
      return `credited: ${totals.join(', ')}`;
    },
  },
  {
    title: 'investments: ann 3,000.00 for 90 days, ben 4,000.00 for 365 days',
    async run(ctx) {
      const ann = await ctx.http.must('/v1/investments', { id: id(ctx, 'inv-ann'), investor: id(ctx, 'ann'), amount: '3000.00', termDays: 90 }, [201]);
      const ben = await ctx.http.must('/v1/investments', { id: id(ctx, 'inv-ben'), investor: id(ctx, 'ben'), amount: '4000.00', termDays: 365 }, [201]);
      return `active; ann's matures ${ann.maturityDate}, ben's ${ben.maturityDate}`;
    },
  },
  {
    title: 'a loan: xu borrows 5,000.00 at 9.5 % for 3 months, equal installments (matched from the pool)',
    async run(ctx) {
      const loan = id(ctx, 'loan');
      await ctx.http.must('/v1/loans', { id: loan, borrower: id(ctx, 'xu'), amount: '5000.00', annualRate: '0.095', termMonths: 3, method: 'equal_installment' }, [201]);
      await until('the loan is fully funded', async () => (await ctx.http.read(`/v1/loans/${loan}`)).status === 'funded');
      const claims = (await ctx.http.read(`/v1/loans/${loan}`)).claims as { investor: string; amount: string }[];
      return `funded by ${claims.map((c) => `${c.investor} ${c.amount}`).join(', ')}`;
    },
  },
  {
    title: 'approval (满标审核, ops key): the bank pays the loan out to xu',
    async run(ctx) {
      const loan = id(ctx, 'loan');
      await ctx.http.must(`/v1/loans/${loan}/approve`, undefined, [200], ctx.http.opsKey);
      await until('the loan is paid out', async () => (await ctx.http.read(`/v1/loans/${loan}`)).status === 'repaying');
      await quiet(ctx);
      const first = await period(ctx, 1);
      return `repaying; period 1 due ${first.dueDate}: ${first.total}`;
    },
  },
];

export const laterSteps: readonly Step[] = [
  {
    title: 'a month later: xu repays period 1 on its due date (split across the claims)',
    needsSimulatedClock: true,
    async run(ctx) {
      const loan = id(ctx, 'loan');
      const due = await moveClockTo(ctx, (await period(ctx, 1)).dueDate);
      await ctx.http.must(`/v1/loans/${loan}/repayments`, { id: id(ctx, 'r1') }, [201, 202]);
      const paid = await payment(ctx, loan, id(ctx, 'r1'));
      if (paid.status !== 'succeeded') throw new Error(`the repayment failed: ${JSON.stringify(paid.failure)}`);
      return `${due}: paid ${paid.total} (principal ${paid.principal}, interest ${paid.interest}); to the pool ${paid.split.toPool}, interest pools ${paid.split.toInterestPools}, revenue ${paid.split.toRevenue}`;
    },
  },
  {
    title: 'period 2 goes unpaid: 3 days overdue, the guarantee compensates it (ops key)',
    needsSimulatedClock: true,
    async run(ctx) {
      const loan = id(ctx, 'loan');
      const date = await moveClockTo(ctx, addDays((await period(ctx, 2)).dueDate, 3));
      const overdue = await period(ctx, 2);
      await ctx.http.must(`/v1/loans/${loan}/compensations`, { id: id(ctx, 'c2'), period: 2 }, [201, 202], ctx.http.opsKey);
      const compensated = await payment(ctx, loan, id(ctx, 'c2'));
      // npm start deposits the platform's guarantee reserve at the bank: the guarantee pays.
      if (compensated.status !== 'succeeded') throw new Error(`the compensation failed: ${JSON.stringify(compensated.failure)}`);
      return `${date}: period 2 ${overdue.status}; the guarantee paid ${compensated.total}`;
    },
  },
  {
    title: "ann's investment matures: redemption, her claims transferred to other capital",
    needsSimulatedClock: true,
    async run(ctx) {
      const investment = id(ctx, 'inv-ann');
      const date = await moveClockTo(ctx, (await ctx.http.read(`/v1/investments/${investment}`)).maturityDate);
      await ctx.http.must(`/v1/investments/${investment}/redeem`, {}, [202]);
      await until('the redemption completes', async () => (await ctx.http.read(`/v1/investments/${investment}/redemption`)).status === 'completed', 60_000);
      await quiet(ctx);
      const done = await ctx.http.read(`/v1/investments/${investment}/redemption`);
      return `${date}: pulled back ${done.pulledBack}, transferred ${done.transferred}, interest paid ${done.interestPaid}`;
    },
  },
];

export const closingSteps: readonly Step[] = [
  {
    title: 'end of day: close the business date (trial balance, closing balances)',
    async run(ctx) {
      const date = await today(ctx);
      const closed = await ctx.http.post(`/v1/eod/${date}/close`, undefined, ctx.http.opsKey);
      if (closed.status !== 200) throw new Error(`closing ${date} answered ${closed.status}: ${JSON.stringify(closed.body)}`);
      const lines = (closed.body.trialBalance as { currency: string; debits: string; credits: string }[]).map((l) => `${l.currency} debits ${l.debits} = credits ${l.credits}`);
      return `${date} closed, balanced: ${closed.body.balanced}; ${lines.join('; ')}`;
    },
  },
  {
    title: "reconciliation of the bank's statement (camt.053) against fundcore's records",
    async run(ctx) {
      const statement = await ctx.http.get('/ops/bank/statement', ctx.http.opsKey);
      if (statement.status === 404) {
        ctx.notes.push('the node talks to an external bank (FUNDCORE_BANK_URL): reconcile its statement with POST /v1/reconciliations');
        return 'skipped: no embedded bank simulator';
      }
      if (statement.status !== 200) throw new Error(`GET /ops/bank/statement answered ${statement.status}`);
      const report = await ctx.http.must('/v1/reconciliations', { id: id(ctx, 'recon'), format: 'camt.053', content: statement.body }, [201], ctx.http.opsKey);
      return `findings: ${JSON.stringify(report.summary)}`;
    },
  },
];

export const story: readonly Step[] = [...setupSteps, ...laterSteps, ...closingSteps];

/** The books at the end: each wallet and the platform's accounts. */
export async function finalBooks(ctx: StoryContext): Promise<string[]> {
  const accounts = [...people.map((name) => id(ctx, name)), 'sys.pool', 'sys.ipool', 'sys.revenue', 'sys.guarantee', 'sys.transit', 'sys.bank'];
  const lines: string[] = [];
  for (const account of accounts) {
    const found = await ctx.http.get(`/v1/accounts/${account}`);
    if (found.status === 200) lines.push(`${account.padEnd(24)} available ${String(found.body.available).padStart(12)}  frozen ${String(found.body.frozen).padStart(10)}  total ${String(found.body.total).padStart(12)}`);
  }
  return lines;
}
