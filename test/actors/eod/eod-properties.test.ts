import fc from 'fast-check';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { addDays } from '../../../core/calendar/business-date.js';
import type { EodReport } from '../../../core/eod/eod.js';
import { formatAmount } from '../../../core/money/amount.js';
import { transitAccount } from '../../../persistence/projections/ledger-projector.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { quiescent, transfer } from '../../helpers/ledger.js';

/**
 * End of day over random traffic across several business days. Each day: a first batch of
 * commands, concurrently; then a second batch racing the day's close (the clock advanced,
 * the close begun) — postings that miss the cut belong to the next open day.
 */
const wallets = ['a', 'b', 'hot'] as const;
const startDate = '2031-03-02';

type Op =
  | { kind: 'transfer'; debit: string; credit: string; minor: bigint; pending: boolean }
  | { kind: 'post'; back: number }
  | { kind: 'void'; back: number }
  | { kind: 'reverse'; back: number };

const account = fc.constantFrom('bank', ...wallets);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('transfer' as const), debit: account, credit: account, minor: fc.bigInt({ min: 1n, max: 50_000n }), pending: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('post' as const), back: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), back: fc.nat(8) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), back: fc.nat(12) }) },
);
/** advanceFirst: the clock moves to the next day before the close; else ops close the day still under way (postings after the cut, dated that day, go to the next). */
/** closed: false leaves the day open; the next close folds it in (and a first close, all history before it). */
const day = fc.record({ before: fc.array(op, { maxLength: 14 }), racing: fc.array(op, { maxLength: 10 }), advanceFirst: fc.boolean(), closed: fc.boolean() });
const days = fc.array(day, { minLength: 2, maxLength: 4 });

/** Runs ops concurrently; refusals are part of the traffic (insufficient funds, not pending, …). */
async function run(node: FundcoreNode, ops: readonly Op[], ids: string[]): Promise<void> {
  await Promise.all(
    ops.map(async (o) => {
      if (o.kind === 'transfer') {
        if (o.debit === o.credit) return;
        const id = `t${ids.length}`;
        ids.push(id);
        await node.ledger.createTransfer(transfer(id, o.debit, o.credit, formatAmount(o.minor, 'CNY'), { pending: o.pending }));
        return;
      }
      const id = ids[ids.length - 1 - o.back];
      if (id === undefined) return;
      if (o.kind === 'post') await node.ledger.postPending(id, null);
      else if (o.kind === 'void') await node.ledger.voidPending(id);
      else await node.ledger.reverseTransfer(id, null);
    }),
  );
}

/** Every account's balance over the legs assigned to days up to `date` (transit included): independent of the EOD tables. */
async function legBalances(node: FundcoreNode, date: string): Promise<Map<string, bigint>> {
  await node.projections.catchUpFully();
  const rows = node.readModel.db
    .prepare(`select account, sum(case when side = 'credit' then amount else -amount end) as balance from legs where day <= ? group by account`)
    .all(date) as { account: string; balance: bigint }[];
  return new Map(rows.map((r) => [r.account, r.balance]));
}

async function closings(node: FundcoreNode, date: string): Promise<Map<string, bigint>> {
  await node.projections.catchUpFully();
  const found = new Map<string, bigint>();
  let cursor: string | undefined;
  do {
    const page = node.queries.closingBalances(date, cursor, 2);
    for (const row of page.items) found.set(String(row.account), row.closing as bigint);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return found;
}

const nonZero = (balances: Map<string, bigint>) => new Map([...balances].filter(([, v]) => v !== 0n));

t.test('EOD over random traffic across days: each day balanced, closing(d) = opening(d+1), closings are the ledger, closed days never change', async (t) => {
  await fc.assert(
    fc.asyncProperty(days, async (plan) => {
      const node = await FundcoreNode.boot({ journal: new MemoryJournal(), businessClock: { mode: 'sim', startDate }, projectionIntervalMs: 5 });
      try {
        await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
        await node.ledger.openAccount({ id: 'a', kind: 'investor_wallet', currency: 'CNY', overdraft: false });
        await node.ledger.openAccount({ id: 'b', kind: 'investor_wallet', currency: 'CNY', overdraft: false });
        await node.ledger.openAccount({ id: 'hot', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 3 });
        const ids: string[] = [];
        const reports: EodReport[] = [];
        const closedBalances = new Map<string, Map<string, bigint>>();
        let date = startDate;
        const folded: string[] = [];
        for (const [n, { before, racing, advanceFirst, closed: closes }] of plan.entries()) {
          await run(node, before, ids);
          await quiescent(node);
          const last = n === plan.length - 1;
          if (!closes && !last) {
            await Promise.all([node.clock.change({ advanceDays: 1 }), run(node, racing, ids)]);
            folded.push(date);
            date = addDays(date, 1);
            continue;
          }
          // The last day closes quiet, so its closings can be held against the ledger itself.
          const close = advanceFirst ? node.clock.change({ advanceDays: 1 }).then(() => node.eod.close(date)) : node.eod.close(date);
          const [closed] = await Promise.all([close, last ? Promise.resolve() : run(node, racing, ids)]);
          if (!advanceFirst) {
            // Traffic still dated the closed day, after its cut.
            await run(node, last ? [] : racing, ids);
            await node.clock.change({ advanceDays: 1 });
          }
          if (!closed.ok) throw new Error(`close ${date}: ${closed.code} ${closed.detail}`);
          reports.push(closed.value);
          closedBalances.set(date, await closings(node, date));
          date = addDays(date, 1);
        }
        await quiescent(node);
        // Traffic after every close: it must change no closed day.
        await run(node, plan[0]?.before ?? [], ids);
        await quiescent(node);

        for (const day of folded) {
          const covering = reports.find((r) => r.date > day) as EodReport;
          t.same(node.eod.report(day), covering, `${day}, never closed, is covered by the close of ${covering.date}`);
          const legsOn = (node.readModel.db.prepare('select count(*) as n from legs where day = ?').get(day) as { n: bigint }).n;
          t.ok(covering.from <= day || legsOn === 0n, `${covering.date} covers ${day} (from ${covering.from}), or the day had no postings`);
        }
        let previous: { date: string; balances: Map<string, bigint> } | null = null;
        for (const report of reports) {
          for (const line of report.trialBalance) t.equal(line.debits, line.credits, `${report.date} ${line.currency}: Σ debits = Σ credits`);
          t.ok(report.balanced);
          t.same(node.eod.report(report.date), report, `${report.date}: the stored report is the one the close returned`);
          const fromLegs = await legBalances(node, report.date);
          t.equal([...fromLegs.values()].reduce((sum, v) => sum + v, 0n), 0n, `${report.date}: every account with transit sums to zero`);
          fromLegs.delete(transitAccount);
          const closing = await closings(node, report.date);
          t.same(nonZero(closing), nonZero(fromLegs), `${report.date}: closings are the legs of the days up to it`);
          t.same(closing, closedBalances.get(report.date), `${report.date}: later traffic changed no closing`);
          const rows = node.readModel.db.prepare('select account, opening from eod_balances where date = ?').all(report.date) as { account: string; opening: bigint }[];
          for (const row of rows) {
            const carried = previous === null ? 0n : (previous.balances.get(row.account) ?? 0n);
            t.equal(row.opening, carried, `${report.date} ${row.account}: opening = the previous closing`);
          }
          if (previous === null) {
            const before = (node.readModel.db.prepare('select count(*) as n from legs where day < ?').get(report.from) as { n: bigint }).n;
            t.equal(before, 0n, 'the first close covers all history');
          }
          previous = { date: report.date, balances: await legBalances(node, report.date) };
        }

        const lastReport = reports[reports.length - 1] as EodReport;
        t.equal(lastReport.inFlight.length, 0, 'the last day closed quiet: nothing in flight at its cut');
      } finally {
        await node.stop();
      }
    }),
    { numRuns: 25 },
  );
});

t.test('EOD closings of a quiet day are the ledger balances, account by account', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
      const node = await FundcoreNode.boot({ journal: new MemoryJournal(), businessClock: { mode: 'sim', startDate } });
      try {
        await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
        for (const id of ['a', 'b']) await node.ledger.openAccount({ id, kind: 'investor_wallet', currency: 'CNY', overdraft: false });
        await node.ledger.openAccount({ id: 'hot', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 3 });
        await run(node, ops, []);
        await quiescent(node);
        await node.clock.change({ advanceDays: 1 });
        const closed = await node.eod.close(startDate);
        if (!closed.ok) throw new Error(closed.code);
        const closing = await closings(node, startDate);
        for (const id of ['bank', ...wallets]) {
          const account = await node.ledger.getAccount(id);
          if (!account.ok) throw new Error(account.code);
          t.equal(closing.get(id) ?? 0n, account.value.creditsPosted - account.value.debitsPosted, `${id}: closing = ledger balance`);
        }
      } finally {
        await node.stop();
      }
    }),
    { numRuns: 25 },
  );
});
