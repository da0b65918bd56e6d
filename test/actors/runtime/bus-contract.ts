import type { Test } from 'tap';
import type { AccountReading } from '../../../actors/account/account-behavior.js';
import type { AccountMessage } from '../../../actors/account/messages.js';
import type { ActorReply } from '../../../actors/runtime/behavior.js';
import { askEach, type Bus } from '../../../actors/runtime/relay.js';
import { systemCause } from '../../../actors/runtime/cause.js';

/** A bus to test, and the journal of the node hosting the accounts it reaches. */
export interface BusHarness {
  readonly bus: Bus;
  /** An account id whose actor the bus reaches (in cluster mode: on another node than the asker). */
  accountId(name: string): string;
  /** Parks the hosting node's journal writes until `release`. */
  hold(): void;
  release(): void;
}

const open = (id: string, overdraft = false): AccountMessage => ({
  type: 'open_account',
  data: { id, kind: 'investor_wallet', currency: 'CNY', overdraft, subAccounts: 1, subIndex: 0, bufferCredits: false },
});
const get: AccountMessage = { type: 'get_account' };

/**
 * The contract every Bus keeps: the in-process ActorSystem and the cluster's NatsBus
 * (test/actors/runtime/bus-in-process.test.ts, test/cluster/nats-bus.test.ts).
 */
export function busContract(t: Test, harness: () => Promise<BusHarness>): void {
  t.test('an ask reaches the actor and brings its reply back, bigints and Maps intact', async (t) => {
    const { bus, accountId } = await harness();
    const id = accountId('a');
    const opened = await bus.ask(`acct:${id}`, open(id, true));
    t.ok(opened.ok);
    const debit: AccountMessage = {
      type: 'create_transfer',
      data: { id: 'x1', content: { debit: id, credit: id, amount: 10n ** 19n, pending: true, timeoutMs: null, memo: null }, final: true },
    };
    await bus.ask(`acct:${id}`, debit);
    const reading = (await bus.ask(`acct:${id}`, get)) as ActorReply<AccountReading>;
    t.ok(reading.ok);
    if (!reading.ok) return;
    t.type(reading.value.state.debitsPosted, 'bigint');
    t.type(reading.value.state.holds, Map, 'the state keeps its Map');
  });

  t.test('a refusal comes back as a reply with its code, not an error', async (t) => {
    const { bus, accountId } = await harness();
    const id = accountId('b');
    await bus.ask(`acct:${id}`, open(id));
    const other = accountId('b2');
    await bus.ask(`acct:${other}`, open(other));
    const debit: AccountMessage = {
      type: 'create_transfer',
      data: { id: 'y1', content: { debit: id, credit: other, amount: 5n, pending: false, timeoutMs: null, memo: null }, final: true },
    };
    const reply = await bus.ask(`acct:${id}`, debit);
    t.same(reply.ok ? 'ok' : reply.code, 'insufficient_funds');
  });

  t.test("one sender's asks to one actor are handled in the order sent", async (t) => {
    const { bus, accountId } = await harness();
    const id = accountId('c');
    const [opened, read] = await Promise.all([bus.ask(`acct:${id}`, open(id)), bus.ask(`acct:${id}`, get)]);
    t.ok(opened.ok);
    t.ok(read.ok && (read.value as AccountReading).state.info !== null, 'the read sent second sees the open sent first');
  });

  t.test('an actor of no known type: actor_unavailable', async (t) => {
    const { bus, accountId } = await harness();
    await t.rejects(bus.ask(`nosuchtype:${accountId('d')}`, get), { name: 'ActorRuntimeError', code: 'actor_unavailable' });
  });

  t.test('no reply in time: ask_timeout (the outcome is unknown)', async (t) => {
    const { bus, accountId, hold, release } = await harness();
    const id = accountId('e');
    hold();
    try {
      await t.rejects(bus.ask(`acct:${id}`, open(id), 300), { name: 'ActorRuntimeError', code: 'ask_timeout' });
    } finally {
      release();
    }
  });

  t.test('given many asks at once, when they are answered, then each has its own reply, in the order given, and one actor handles its asks in that order', async (t) => {
    const { bus, accountId } = await harness();
    const [a, b] = [accountId('m1'), accountId('m2')];
    const asks = [
      { actorId: `acct:${a}`, message: open(a), cause: systemCause },
      { actorId: `acct:${b}`, message: open(b), cause: systemCause },
      { actorId: `acct:${a}`, message: get, cause: systemCause },
      { actorId: `acct:${b}`, message: get, cause: systemCause },
    ];
    const replies = await Promise.all(askEach(bus, asks));
    t.equal(replies.length, 4);
    t.ok(replies[0]?.ok && replies[1]?.ok, 'both opened');
    const readings = [replies[2], replies[3]].map((reply) => (reply?.ok ? (reply.value as AccountReading).state.info?.id : null));
    t.same(readings, [a, b], 'each read answers for its own actor and sees the open asked before it');
  });

  t.test('given many asks at once, when one of them fails, then it fails alone', async (t) => {
    const { bus, accountId } = await harness();
    const c = accountId('m3');
    const [failed, opened] = askEach(bus, [
      { actorId: `nosuchtype:${c}`, message: get, cause: systemCause },
      { actorId: `acct:${c}`, message: open(c), cause: systemCause },
    ]);
    await t.rejects(failed as Promise<unknown>, { name: 'ActorRuntimeError', code: 'actor_unavailable' });
    t.ok((await opened)?.ok, 'the other ask is answered');
  });
}
