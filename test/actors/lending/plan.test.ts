import t, { type Test } from 'tap';
import type { EarlyRepaymentRecord, PlanPeriod, RepaymentPlan } from '../../../core/lending/plan/plan.js';
import type { PlanMessage } from '../../../actors/lending/messages.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeTime } from '../../helpers/fake-time.js';
import { drain, fundedWallet, lendingNode, openAccount, startNode, type LendingHarness } from '../../helpers/lending.js';

/** Loan L1 of 600.00 at 12 % over 3 months, equal principal, approved on 2030-01-01: its plan exists. */
async function plannedLoan(t: Test, options: Parameters<typeof lendingNode>[1] = {}): Promise<LendingHarness> {
  const h = await lendingNode(t, { lending: { poolShards: 2 }, ...options });
  await fundedWallet(h.node, 'alice', '1000.00');
  await openAccount(h.node, 'carol', 'borrower_wallet');
  const invested = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.00', termDays: 365 });
  if (!invested.ok) throw new Error(invested.code);
  const loan = await h.node.lending.publishLoan({ id: 'L1', borrower: 'carol', amount: '600.00', annualRate: '0.12', termDays: null, termMonths: 3, method: 'equal_principal' });
  if (!loan.ok) throw new Error(loan.code);
  await drain(h);
  await h.node.lending.approveLoan('L1');
  await drain(h);
  return h;
}

const ask = (h: { node: LendingHarness['node'] }, message: PlanMessage) => h.node.system.ask('plan:L1', message);

t.test('the plan actor: generated with amounts; settle_period and early repayments recorded once, answered again the same', async (t) => {
  const time = new FakeTime();
  const journal = new MemoryJournal();
  const h = await plannedLoan(t, { time, journal });
  const plan = await h.node.lending.getPlan('L1');
  t.same(
    plan.ok ? (plan.value as RepaymentPlan).periods.map((p) => [p.dueDate, p.principal, p.interest]) : plan,
    [
      ['2030-02-01', 200_00n, 6_00n],
      ['2030-03-01', 200_00n, 4_00n],
      ['2030-04-01', 200_00n, 2_00n],
    ],
  );
  const pay = { type: 'settle_period', data: { period: 1, by: 'borrower', repaymentId: 'R1', on: '2030-02-01', penalty: 0n } } as const;
  const paid = await ask(h, pay);
  t.match(paid.ok && (paid.value as PlanPeriod), { number: 1, paid: { repaymentId: 'R1', on: '2030-02-01' } });
  t.same(await ask(h, pay), paid, 'the same settlement again answers the same');
  const quote = await ask(h, { type: 'quote_early_repayment', data: { on: '2030-02-16', amount: 100_00n } });
  // 400.00 from 02-01 to 02-16: 15 days (30/360) at 12 % = 2.00.
  t.match(quote.ok && (quote.value as EarlyRepaymentRecord), { interest: 2_00n, principal: 98_00n, remaining: 302_00n });
  const early = { type: 'reschedule_after_early_repayment', data: { repaymentId: 'E1', on: '2030-02-16', amount: 100_00n } } as const;
  const rescheduled = await ask(h, early);
  t.match(rescheduled.ok && (rescheduled.value as EarlyRepaymentRecord), { repaymentId: 'E1', interest: 2_00n, principal: 98_00n, remaining: 302_00n });
  t.same(await ask(h, early), rescheduled, 'the same early repayment again answers the same');
  t.match(await ask(h, { ...early, data: { ...early.data, amount: 1n } }), { ok: false, code: 'id_reused_with_different_content' });
  t.match(await ask(h, { type: 'settle_period', data: { period: 3, by: 'borrower', repaymentId: 'R3', on: '2030-04-01', penalty: 0n } }), { ok: false, code: 'earlier_period_open' });
  t.equal([...journal.readEvents('plan:L1', 1)].length, 3, 'generated, settled, rescheduled: three events');
  await h.node.stop();
  const node = await startNode({ journal: journal.reopen(), clock: time, timers: time, bank: h.bank, businessClock: { mode: 'sim', startDate: '2030-01-01' }, lending: { poolShards: 2 } }, time);
  t.teardown(() => node.stop());
  const recovered = await node.lending.getPlan('L1');
  t.same(recovered.ok && (recovered.value as RepaymentPlan).periods.map((p) => [p.principal, p.paid?.repaymentId ?? null]), [
    [200_00n, 'R1'],
    [151_00n, null],
    [151_00n, null],
  ], 'after a restart: the settlement and the rescheduled periods (302.00 in two)');
  t.same(await ask({ node }, early), rescheduled, 'and a redelivered early repayment is still answered from the record');
});
