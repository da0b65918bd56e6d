import t from 'tap';
import type { Capital } from '../../../core/lending/capital.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { balance, drain, fundedWallet, lendingNode, openAccount, startNode } from '../../helpers/lending.js';
import { FakeTime } from '../../helpers/fake-time.js';
import { CuttableBus } from '../../helpers/cuttable-bus.js';

t.test('an investment debits the wallet into the pool and becomes capital in its shard; the same id again answers the same', async (t) => {
  const h = await lendingNode(t, { lending: { poolShards: 3 } });
  await fundedWallet(h.node, 'alice', '1000.00');
  const placed = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.00', termDays: 365 });
  t.ok(placed.ok && placed.value.settled, 'settled within the wait');
  t.match(placed.ok && placed.value.state, { status: 'active', capitalId: 'cap-i1', investment: { placedOn: '2030-01-01', maturityDate: '2031-01-01', amount: 600_00n } });
  await drain(h);
  t.equal(await balance(h.node, 'alice'), 400_00n);
  t.equal(await balance(h.node, 'sys.pool'), 600_00n);
  const detail = await h.node.lending.getInvestment('i1');
  t.match(detail.ok && detail.value.capital, { id: 'cap-i1', principal: 600_00n, matched: 0n, reserved: 0n, status: 'normal', property: 'principal', source: 'new', investRepayDate: '2031-01-01' });
  const again = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.00', termDays: 365 });
  t.same(again.ok && again.value.state, placed.ok && placed.value.state, 'a retry gets the same state');
  const reused = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.01', termDays: 365 });
  t.equal(!reused.ok && reused.code, 'id_reused_with_different_content');
  await drain(h);
  t.equal(await balance(h.node, 'sys.pool'), 600_00n, 'nothing moved twice');
});

t.test('a debit refused for want of funds ends the investment failed; the same id once the money is there is placed again and moves it once', async (t) => {
  const h = await lendingNode(t);
  await fundedWallet(h.node, 'alice', '10.00');
  const first = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.00', termDays: 30 });
  t.match(first.ok && first.value.state, { status: 'failed', failure: { code: 'insufficient_funds' } });
  await fundedWallet(h.node, 'alice2', '1000.00');
  await h.node.ledger.createTransfer({ id: 'topup', debit: 'ext', credit: 'alice', amount: '1000.00', pending: false, timeoutMs: null, memo: null });
  await drain(h);
  t.equal(await balance(h.node, 'sys.pool'), 0n, 'nothing moved for the refusal');
  const retry = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.00', termDays: 30 });
  t.match(retry.ok && retry.value.state, { status: 'active', failure: null, attempts: 2 }, 'the money is there now: placed again');
  const repeat = await h.node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '600.00', termDays: 30 });
  t.match(repeat.ok && repeat.value.state, { status: 'active', attempts: 2 }, 'an active investment again is a duplicate');
  await drain(h);
  t.equal(await balance(h.node, 'sys.pool'), 600_00n, 'moved once');
  t.equal(await balance(h.node, 'alice'), 410_00n);
});

t.test('validation refusals record nothing', async (t) => {
  const h = await lendingNode(t);
  await openAccount(h.node, 'carol', 'borrower_wallet');
  const cases: [Parameters<typeof h.node.lending.placeInvestment>[0], string][] = [
    [{ id: 'i1', investor: 'nobody', amount: '10.00', termDays: 30 }, 'investor_not_found'],
    [{ id: 'i1', investor: 'carol', amount: '10.00', termDays: 30 }, 'account_kind_not_allowed'],
    [{ id: 'i1', investor: 'carol', amount: '10.001', termDays: 30 }, 'amount_too_precise'],
    [{ id: 'i1', investor: 'carol', amount: '0.99', termDays: 30 }, 'investment_amount_out_of_range'],
    [{ id: 'i1', investor: 'carol', amount: '10.00', termDays: 9999 }, 'investment_term_out_of_range'],
  ];
  for (const [input, code] of cases) {
    const reply = await h.node.lending.placeInvestment(input);
    t.equal(reply.ok ? 'ok' : reply.code, code, code);
  }
  t.equal(h.journal.headSeq('inv:i1'), 0, 'no investment journaled');
});

t.test('the saga survives a crash between its steps: the outbox resumes it from the journal, once', async (t) => {
  const time = new FakeTime();
  const journal = new MemoryJournal();
  const bus = new CuttableBus();
  const options = { clock: time, timers: time, businessClock: { mode: 'sim', startDate: '2030-01-01' } as const, lending: { settleWaitMs: 50 } };
  const node = await startNode({ journal, bus, ...options }, time);
  bus.target = node.system;
  await openAccount(node, 'ext', 'bank_settlement', true);
  await fundedWallet(node, 'alice', '100.00');
  while (node.system.relay.backlog > 0) await new Promise((resolve) => setImmediate(resolve));
  bus.cut = true;
  const pending = node.lending.placeInvestment({ id: 'i1', investor: 'alice', amount: '60.00', termDays: 30 });
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    time.advance(10);
  }
  const placed = await pending;
  t.match(placed.ok && placed.value, { settled: false, state: { status: 'placed' } }, 'the debit never went out: still placed when the wait ran out (a 202)');
  // Crash: nothing but the journal survives.
  const restarted = await startNode({ journal: journal.reopen(), ...options }, time);
  t.teardown(() => restarted.stop());
  await drain({ node: restarted, time });
  const after = await restarted.lending.getInvestment('i1');
  t.match(after.ok && after.value, { investment: { status: 'active' }, capital: { principal: 60_00n } });
  t.equal(await balance(restarted, 'alice'), 40_00n, 'debited once');
  t.equal(await balance(restarted, 'sys.pool'), 60_00n);
  const shard = after.ok ? (after.value.capital as Capital) : null;
  t.ok(shard !== null);
});
