import t from 'tap';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import type { MessageMeter, MessageOutcome, RuntimeObserver } from '../../../actors/runtime/observer.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { counterBehavior } from '../../helpers/counter-behavior.js';
import { FakeTime } from '../../helpers/fake-time.js';
import { InstrumentedJournal } from '../../helpers/journals.js';

/** Records what the runtime tells it: begun and ended messages, issued and durable appends. */
function recordingObserver() {
  const ended: { actor: string; command: string; outcome: MessageOutcome; code: string | null; elapsedMs: number }[] = [];
  const appends: { events: number; durable: boolean }[] = [];
  let begun = 0;
  const meters = new Map<string, MessageMeter>();
  const observer: RuntimeObserver = {
    messageMeter: (actor, command) => {
      begun++;
      const key = `${actor} ${command}`;
      let meter = meters.get(key);
      if (meter === undefined) meters.set(key, (meter = { ended: (outcome, code, elapsedMs) => void ended.push({ actor, command, outcome, code, elapsedMs }) }));
      return meter;
    },
    appendIssued: (events) => void appends.push({ events, durable: false }),
    // Appends are awaited in order of issue here (one actor): the first not yet durable is this one.
    appendDurable: () => {
      const append = appends.find((a) => !a.durable);
      if (append === undefined) throw new Error('an append became durable that was not issued');
      append.durable = true;
    },
  };
  return { observer, ended, appends, begun: () => begun };
}

t.test('the runtime tells its observer how every message ended, once, and when each append is durable', async (t) => {
  // Given an actor system with a recording observer and a mailbox of 2
  const journal = new InstrumentedJournal(new MemoryJournal());
  const time = new FakeTime();
  const recorded = recordingObserver();
  const actors = new ActorSystem({ journal, behaviors: [counterBehavior], clock: time, timers: time, limits: { mailboxDepthMax: 2, batchMessagesMax: 1 }, observer: recorded.observer });
  actors.start();
  t.teardown(() => actors.stop());

  // When two adds are accepted, one refused by the decider, one by a full mailbox, one has no actor type
  journal.hold();
  const first = actors.ask('counter:1', { type: 'add', n: 2 });
  const queued = [actors.ask('counter:1', { type: 'add', n: -5 }), actors.ask('counter:1', { type: 'add', n: 1 })];
  await t.rejects(actors.ask('counter:1', { type: 'add', n: 1 }), { code: 'mailbox_full' });
  await t.rejects(actors.ask('nobody:1', { type: 'add', n: 1 }), { code: 'actor_unavailable' });
  journal.release();
  await Promise.all([first, ...queued]);

  // Then each message ended once with its outcome and code
  t.equal(recorded.begun(), 5);
  t.equal(recorded.ended.length, 5, 'each delivered message ended once');
  t.ok(recorded.ended.every((e) => e.elapsedMs >= 0), 'with the time it took');
  t.same(
    recorded.ended.map((e) => [e.actor, e.command, e.outcome, e.code]).sort(),
    [
      ['counter', 'add', 'failed', 'mailbox_full'],
      ['counter', 'add', 'ok', null],
      ['counter', 'add', 'ok', null],
      ['counter', 'add', 'rejected', 'would_go_negative'],
      ['nobody', 'add', 'failed', 'actor_unavailable'],
    ].sort(),
  );
  // and every append with events was reported, and reported durable
  t.same(recorded.appends.map((a) => a.events), [1, 1], 'the two accepted adds, one batch each');
  t.ok(recorded.appends.every((a) => a.durable));
});
