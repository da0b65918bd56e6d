import t from 'tap';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import { deciderBehavior } from '../../../actors/runtime/decider-behavior.js';
import type { Decider } from '../../../core/decider.js';
import { reject } from '../../../core/rejection.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';

type Command = { readonly type: 'add'; readonly n: number };
type Event = { readonly type: 'added'; readonly n: number };
let evolved = 0;

/** A running total; every evolve is counted. */
const tally: Decider<{ total: number }, Command, Event, 'not_positive', number> = {
  initialState: { total: 0 },
  decide: (_state, command) => (command.n > 0 ? [{ type: 'added', n: command.n }, { type: 'added', n: 0 }] : reject('not_positive', 'n must be positive')),
  evolve: (state, event) => {
    evolved++;
    return { total: state.total + event.n };
  },
  reply: (stateAfter) => stateAfter.total,
};

t.test('given a decider run by the adapter, when commands are decided, then each event is evolved once and the reply reads the state after it', async (t) => {
  const behavior = deciderBehavior<{ total: number }, Command | { type: 'get' }, Command, Event, 'not_positive', number>({
    type: 'tally',
    decider: tally,
    isQuery: (message) => message.type === 'get',
    query: (state) => ({ ok: true, value: state.total }),
    commandOf: (message) => message as Command,
  });
  const actors = new ActorSystem({ journal: new MemoryJournal(), behaviors: [behavior] });
  actors.start();
  t.teardown(() => actors.stop());
  const replies = [];
  for (const n of [2, 3, -1, 5]) replies.push(await actors.ask('tally:1', { type: 'add', n }));
  t.same(replies, [
    { ok: true, value: 2 },
    { ok: true, value: 5 },
    { ok: false, code: 'not_positive', detail: 'n must be positive' },
    { ok: true, value: 10 },
  ]);
  t.equal(evolved, 6, 'three accepted commands, two events each: six evolves, none to answer');
});

t.test('given a message whose events are on behalf of different requests, when it is journaled, then each event and the deliveries it obliges name their own cause', async (t) => {
  type Order = { readonly type: 'add'; readonly n: number; readonly forOther?: boolean };
  const other = { who: 'client:other', requestId: 'req-o', orderId: 'o1' };
  const asker = { who: 'client:asker', requestId: 'req-a', orderId: 'a1' };
  const behavior = deciderBehavior<{ total: number }, Order, Command, Event, 'not_positive', number>({
    type: 'tally',
    decider: tally,
    isQuery: () => false,
    query: (state) => ({ ok: true, value: state.total }),
    commandOf: (message) => ({ type: 'add', n: message.n }),
    // The first event is the other request's; the second falls back to the message's cause.
    eventCausesOf: (message, events) => (message.forOther === true ? events.map((_, i) => (i === 0 ? other : null)) : undefined),
    // An event of a positive amount obliges the same amount to the sink.
    deliveriesOf: (actorId, event) => (actorId === 'tally:1' && event.n > 0 ? [{ to: 'tally:sink', message: { type: 'add', n: event.n }, onRefused: null }] : []),
  });
  const journal = new MemoryJournal();
  const actors = new ActorSystem({ journal, behaviors: [behavior] });
  actors.start();
  t.teardown(() => actors.stop());
  await actors.ask('tally:1', { type: 'add', n: 4, forOther: true }, undefined, asker);
  await actors.ask('tally:1', { type: 'add', n: 1 }, undefined, asker);
  for (let i = 0; i < 50 && actors.relay.backlog > 0; i++) await new Promise((resolve) => setImmediate(resolve));
  const runs = (actorId: string) => [...journal.readLog(1)].filter((entry) => entry.actorId === actorId).map((entry) => entry.causes.map(({ who, count }) => `${who}×${count}`));
  t.same(runs('tally:1'), [['client:other×1', 'client:asker×1'], ['client:asker×2']], 'per event where the message says, else the message cause');
  t.same(runs('tally:sink'), [['client:other×2'], ['client:asker×2']], "each delivery carries its event's cause on");
});
