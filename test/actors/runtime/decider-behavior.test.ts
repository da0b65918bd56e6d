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
