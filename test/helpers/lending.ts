import type { Test } from 'tap';
import { FundcoreNode, type NodeOptions } from '../../actors/node.js';
import type { AccountReading } from '../../actors/account/account-behavior.js';
import { accountActorId, type AccountMessage } from '../../actors/account/messages.js';
import type { AccountKind } from '../../core/ledger/account.js';
import type { Journal } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { FakeBank } from './fake-bank.js';
import { FakeTime, settle } from './fake-time.js';

export interface LendingHarness {
  readonly node: FundcoreNode;
  readonly bank: FakeBank;
  readonly time: FakeTime;
  readonly journal: Journal;
}

export const simStart = '2030-01-01';

/**
 * A node with lending on an in-memory journal, a fake bank, fake time and a simulated
 * business clock (starting 2030-01-01). The test account `ext` (a bank settlement account
 * that may overdraw) funds wallets through the plain ledger.
 */
export async function lendingNode(t: Test, options: Partial<NodeOptions> & { readonly bank?: FakeBank; readonly time?: FakeTime } = {}): Promise<LendingHarness> {
  const time = options.time ?? new FakeTime();
  const bank = options.bank ?? new FakeBank();
  const journal = options.journal ?? new MemoryJournal();
  const node = await startNode({ journal, clock: time, timers: time, businessClock: { mode: 'sim', startDate: simStart }, ...options, bank }, time);
  t.teardown(() => node.stop());
  await openAccount(node, 'ext', 'bank_settlement', true);
  return { node, bank, time, journal };
}

/** boot, with fake time moving while it waits (its asks go through the same timers). */
export function startNode(options: NodeOptions, time: FakeTime): Promise<FundcoreNode> {
  return pumped(FundcoreNode.boot(options), time, 0);
}

/**
 * Awaits `work` while fake time moves on by `stepMs` per round: what a caller does when the
 * work itself may wait on a timer (a bounded wait for a saga, an ask's timeout).
 */
export async function pumped<T>(work: Promise<T>, time: FakeTime, stepMs = 1): Promise<T> {
  let done = false;
  work.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    await settle();
    if (!done) time.advance(stepMs);
  }
  return work;
}

export async function openAccount(node: FundcoreNode, id: string, kind: AccountKind = 'investor_wallet', overdraft = false): Promise<void> {
  const reply = await node.ledger.openAccount({ id, kind, currency: 'CNY', overdraft });
  if (!reply.ok) throw new Error(`open ${id}: ${reply.code}`);
}

/** Opens a wallet and credits it from `ext` through the plain ledger. */
export async function fundedWallet(node: FundcoreNode, id: string, amount: string, kind: AccountKind = 'investor_wallet'): Promise<void> {
  await openAccount(node, id, kind);
  if (amount === '0') return;
  const reply = await node.ledger.createTransfer({ id: `fund-${id}`, debit: 'ext', credit: id, amount, pending: false, timeoutMs: null, memo: null });
  if (!reply.ok) throw new Error(`fund ${id}: ${reply.code}`);
}

/**
 * Until nothing moves: the relay is empty, no mailbox holds anything, no timer is due. Time
 * does not advance — except, while the relay still holds deliveries and nothing else is
 * due, to its next timer (a delivery waiting to be retried), at most `retryWaitMaxMs` in all.
 */
export async function drain(h: Pick<LendingHarness, 'node' | 'time'>, roundsMax = 2_000, retryWaitMaxMs = 60_000): Promise<void> {
  let waitedMs = 0;
  for (let round = 0; round < roundsMax; round++) {
    await settle();
    const busy = h.node.system.anyBusy();
    const backlog = h.node.system.relay.backlog;
    if (!h.time.hasDue() && !busy && backlog === 0) return;
    const next = h.time.nextTimerAt();
    if (!h.time.hasDue() && !busy && backlog > 0 && next !== null && waitedMs < retryWaitMaxMs) {
      // Only retries are left: let the relay's own timer fire.
      const stepMs = Math.max(0, next - h.time.now());
      waitedMs += stepMs;
      h.time.advance(stepMs);
      continue;
    }
    h.time.advance(0);
  }
  throw new Error(`the node did not come to rest (relay backlog ${h.node.system.relay.backlog})`);
}

/** Drains, then moves fake time on by `ms` (timers fire: the bank sweep, relay retries), and drains again. */
export async function elapse(h: Pick<LendingHarness, 'node' | 'time'>, ms: number): Promise<void> {
  await drain(h);
  h.time.advance(ms);
  await drain(h);
}

/**
 * Fake time moves on by `ms` in steps of 50 ms, settling between: for waits while something
 * keeps being retried (an unreachable bank, a cut link), where drain would not come to rest.
 */
export async function waitMs(h: Pick<LendingHarness, 'time'>, ms: number): Promise<void> {
  for (let step = 0; step < ms; step += 50) {
    await settle();
    h.time.advance(50);
  }
  await settle();
}

/** Approves a funded loan and has the bank pay it out (the fake bank's callback), draining after each step. */
export async function paidOut(h: LendingHarness, loanId = 'L1'): Promise<void> {
  await drain(h);
  await h.node.lending.approveLoan(loanId);
  await drain(h);
  await h.node.bank.handleCallback(h.bank.complete(`disb-${loanId}`, 'succeeded'));
  await drain(h);
}

export async function balance(node: FundcoreNode, id: string): Promise<bigint> {
  const reply = await node.system.ask(accountActorId(id), { type: 'get_account' } satisfies AccountMessage);
  if (!reply.ok) throw new Error(`balance ${id}: ${reply.code}`);
  const { state } = reply.value as AccountReading;
  return state.creditsPosted - state.debitsPosted + state.siblingNet;
}

/**
 * The bank answers every claim-transfer batch out at it (`outcome`), by callback, and the node
 * drains — again while new batches go out (the switch waits for the bank's success).
 */
export async function bankAnswersTransfers(h: LendingHarness, outcome: 'succeeded' | 'failed' = 'succeeded', roundsMax = 100): Promise<number> {
  let answered = 0;
  for (let round = 0; round < roundsMax; round++) {
    const pending = h.bank.pending('transfer');
    if (pending.length === 0) return answered;
    for (const order of pending) await h.node.bank.handleCallback(h.bank.complete(order.orderNo, outcome));
    answered += pending.length;
    await drain(h);
  }
  throw new Error(`claim-transfer batches still out after ${roundsMax} rounds`);
}
