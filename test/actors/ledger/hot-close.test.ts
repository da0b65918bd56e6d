import fc from 'fast-check';
import t from 'tap';
import { hotCloseActorId, hotCloseWaitMs } from '../../../actors/ledger/hot-close-behavior.js';
import { totalOf } from '../../../actors/ledger/ledger-service.js';
import { FundcoreNode } from '../../../actors/node.js';
import type { ActorReply } from '../../../actors/runtime/behavior.js';
import { ActorRuntimeError } from '../../../actors/runtime/errors.js';
import type { Bus } from '../../../actors/runtime/relay.js';
import { awaitSettledMessage } from '../../../actors/runtime/settle-waits.js';
import type { HotCloseView } from '../../../core/ledger/hot-close.js';
import type { AccountState } from '../../../core/ledger/account.js';
import type { AccountReading } from '../../../actors/account/account-behavior.js';
import { accountActorId } from '../../../actors/account/messages.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';
import { balanceOf, idFor, memoryNode, openAccount, quiescent, transfer } from '../../helpers/ledger.js';


/** The relay's link: passes the first `allowed` deliveries, then fails every one (a node about to crash). */
class GateBus implements Bus {
  target: Bus | null = null;
  allowed = Number.POSITIVE_INFINITY;
  refused = 0;
  ask(actorId: string, message: unknown): Promise<ActorReply> {
    if (this.target === null || this.allowed <= 0) {
      this.refused++;
      return Promise.reject(new ActorRuntimeError('actor_unavailable', 'link cut'));
    }
    this.allowed--;
    return this.target.ask(actorId, message);
  }
}

/** bank → H lands on part `in`; H → w1 leaves part `out`: an overdraft hot account at zero whose parts hold ±amount. */
async function offsettingHot(node: FundcoreNode, parts = 4, amount = '100.00'): Promise<void> {
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  const opened = await node.ledger.openAccount({ id: 'H', kind: 'transit', currency: 'CNY', overdraft: true, subAccounts: parts });
  if (!opened.ok) throw new Error(opened.code);
  await node.ledger.createTransfer(transfer(idFor('in', 1, parts), 'bank', 'H', amount));
  await node.ledger.createTransfer(transfer(idFor('out', parts - 1, parts), 'H', 'w1', amount));
  await quiescent(node);
}

/** Each part's state, as the part answers it. */
async function partStates(node: FundcoreNode, id: string, count: number): Promise<AccountState[]> {
  const readings = await Promise.all(Array.from({ length: count }, (_, part) => node.system.ask(accountActorId(id, part), { type: 'get_account' })));
  return readings.map((reading) => {
    if (!reading.ok) throw new Error(reading.code);
    return (reading.value as AccountReading).state;
  });
}

async function parts(node: FundcoreNode, id: string) {
  const account = await node.ledger.getAccount(id);
  if (!account.ok) throw new Error(account.code);
  return account.value;
}

t.test('an overdraft hot account whose parts hold offsetting balances closes: they move to part 0, then every part closes', async (t) => {
  const node = memoryNode(t);
  await offsettingHot(node);
  const before = await parts(node, 'H');
  t.same(before.parts.map(totalOf), [0n, 10000n, 0n, -10000n], 'given: +100 on part 1, −100 on part 3');
  const closed = await node.ledger.closeAccount('H');
  t.ok(closed.ok && closed.value.closedAt !== null, 'closed');
  const after = await parts(node, 'H');
  t.same(after.parts.map(totalOf), [0n, 0n, 0n, 0n], 'every part at zero');
  t.ok((await partStates(node, 'H', 4)).every((part) => part.closedAt !== null && part.sealedBy === 1) && after.closedAt !== null, 'every part closed');
  t.equal(await balanceOf(node, 'w1'), 10000n);
  const late = await node.ledger.createTransfer(transfer('late', 'w1', 'H', '1.00'));
  t.equal(late.ok ? 'accepted' : late.code, 'credit_account_closed', 'the directory says closed');
  const again = await node.ledger.closeAccount('H');
  t.same(again, closed, 'closing again answers the same close');
});

t.test('a refused close unseals every part: the account takes and gives money again', async (t) => {
  const node = memoryNode(t);
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await node.ledger.openAccount({ id: 'H', kind: 'platform_revenue', currency: 'CNY', overdraft: false, subAccounts: 3 });
  await node.ledger.createTransfer(transfer('fund', 'bank', 'H', '30.00'));
  await quiescent(node);
  const notZero = await node.ledger.closeAccount('H');
  t.equal(notZero.ok ? 'closed' : notZero.code, 'account_balance_not_zero');
  const pay = await node.ledger.createTransfer(transfer('pay', 'H', 'w1', '30.00'));
  t.ok(pay.ok, 'unsealed: a debit passes');
  await node.ledger.createTransfer(transfer('hold', 'bank', 'H', '5.00'));
  await quiescent(node);
  await node.ledger.createTransfer(transfer(idFor('h', 0, 3), 'H', 'w1', '5.00', { pending: true }));
  const held = await node.ledger.closeAccount('H');
  t.equal(held.ok ? 'closed' : held.code, 'account_has_pending_transfers');
  t.ok((await node.ledger.postPending(idFor('h', 0, 3), null)).ok, 'the hold posts after the refused close');
  await quiescent(node);
  const closed = await node.ledger.closeAccount('H');
  t.ok(closed.ok && closed.value.closedAt !== null, 'at zero with no hold: closed');
  t.equal(await balanceOf(node, 'w1'), 3500n);
});

t.test('credits racing a close are counted (the close is refused) or returned to their sender: no money is lost', async (t) => {
  const node = memoryNode(t);
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  await node.ledger.createTransfer(transfer('fund', 'bank', 'w1', '100.00'));
  await node.ledger.openAccount({ id: 'H', kind: 'platform_revenue', currency: 'CNY', overdraft: false, subAccounts: 4 });
  await quiescent(node);
  const sends = Array.from({ length: 20 }, (_, i) => node.ledger.createTransfer(transfer(`race-${i}`, 'w1', 'H', '1.00')));
  const closing = node.ledger.closeAccount('H');
  const [closed] = await Promise.all([closing, ...sends]);
  await quiescent(node);
  const h = await parts(node, 'H');
  const w1 = await balanceOf(node, 'w1');
  t.equal(w1 + totalOf(h), 10000n, 'what left w1 is on H or back on w1');
  if (closed.ok && closed.value.closedAt !== null) t.equal(totalOf(h), 0n, 'closed: every credit that raced it came back');
  else t.ok(!closed.ok && closed.code === 'account_balance_not_zero', `refused: ${closed.ok ? 'closed' : closed.code}`);
});

t.test('a close interrupted by a crash after any number of its steps resumes on restart and ends closed, money unchanged', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 40 }), async (steps) => {
      const gate = new GateBus();
      const journal = new MemoryJournal();
      const first = FundcoreNode.start({ journal, bus: gate });
      gate.target = first.system;
      try {
        await offsettingHot(first);
        gate.allowed = steps;
        const started = await first.system.ask(hotCloseActorId('H'), { type: 'close_account', data: { accountId: 'H', subAccounts: 4 } });
        if (!started.ok) throw new Error(started.code);
        for (let i = 0; i < 500 && gate.refused === 0 && gate.allowed > 0; i++) await new Promise((resolve) => setImmediate(resolve));
      } finally {
        await first.stop().catch(() => undefined);
      }
      const restarted = FundcoreNode.start({ journal: journal.reopen() });
      try {
        let view: HotCloseView | null = null;
        for (let i = 0; i < 5 && view?.phase !== 'closed'; i++) {
          const waited = await restarted.system.ask(hotCloseActorId('H'), awaitSettledMessage);
          if (waited.ok) view = waited.value as HotCloseView;
        }
        await quiescent(restarted);
        const h = await parts(restarted, 'H');
        return (
          view?.phase === 'closed' &&
          h.parts.every((part) => totalOf(part) === 0n) &&
          (await partStates(restarted, 'H', 4)).every((part) => part.closedAt !== null) &&
          (await balanceOf(restarted, 'w1')) === 10000n &&
          (await balanceOf(restarted, 'bank')) === -10000n
        );
      } finally {
        await restarted.stop();
      }
    }),
    { numRuns: 25 },
  );
});

t.test('a close still under way after the bounded wait answers closedAt null; asked again once its parts answer, it has closed', async (t) => {
  const time = new FakeTime();
  const gate = new GateBus();
  const node = memoryNode(t, { bus: gate, clock: time, timers: time });
  gate.target = node.system;
  await offsettingHot(node);
  gate.allowed = 0;
  const waiting = node.ledger.closeAccount('H');
  await settle(20);
  time.advance(hotCloseWaitMs);
  const first = await waiting;
  t.same(first, { ok: true, value: { closedAt: null } }, 'under way: its parts cannot be reached');
  t.equal((await partStates(node, 'H', 4)).filter((part) => part.sealedBy !== null).length, 0, 'not one part sealed yet');
  gate.allowed = Number.POSITIVE_INFINITY;
  const again = node.ledger.closeAccount('H');
  for (let i = 0; i < 200 && node.system.relay.backlog > 0; i++) {
    time.advance(100);
    await settle(5);
  }
  await settle(20);
  time.advance(hotCloseWaitMs);
  const second = await again;
  t.ok(second.ok && second.value.closedAt !== null, 'closed once the relay delivered its steps');
});
