import t, { type Test } from 'tap';
import { ActorSystem } from '../../../actors/runtime/actor-system.js';
import type { ActorBehavior, ActorReply } from '../../../actors/runtime/behavior.js';
import { awaitSettledMessage, withSettleWaits } from '../../../actors/runtime/settle-waits.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { FakeTime, settle } from '../../helpers/fake-time.js';

type SagaState = { readonly stage: 'none' | 'running' | 'done' };
type SagaEvent = { readonly type: 'started' } | { readonly type: 'finished' };

/** A saga of two steps: `start` leaves it running, `finish` settles it. */
const saga: ActorBehavior<SagaState, SagaEvent> = {
  type: 'saga',
  initialState: () => ({ stage: 'none' }),
  isQuery: (message) => (message as { type: string }).type === 'get',
  query: (state) => (state.stage === 'none' ? { ok: false, code: 'saga_not_found', detail: '' } : { ok: true, value: state.stage }),
  handle(state, message) {
    const type = (message as { type: string }).type;
    if (type === 'start') return { events: state.stage === 'none' ? [{ type: 'started' }] : [], reply: { ok: true, value: null } };
    if (type === 'finish') return { events: state.stage === 'running' ? [{ type: 'finished' }] : [], reply: { ok: true, value: null } };
    throw new Error(`unexpected ${type}`);
  },
  evolve: (_state, event) => ({ stage: event.type === 'started' ? 'running' : 'done' }),
  indexWritesOf: () => [],
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: () => {},
};

const holdMs = 2_000;

function start(t: Test) {
  const time = new FakeTime();
  const behavior = withSettleWaits(saga, { answersNow: (state) => state.stage !== 'running', answerQuery: { type: 'get' }, holdMs });
  const system = new ActorSystem({ journal: new MemoryJournal(), behaviors: [behavior], clock: time, timers: time });
  system.start();
  t.teardown(() => system.stop());
  return { system, time };
}

t.test('await_settled: answered at once when settled or absent; held while running, answered when the saga settles', async (t) => {
  const { system } = start(t);
  t.same(await system.ask('saga:none', awaitSettledMessage), { ok: false, code: 'saga_not_found', detail: '' }, 'nothing to wait for: the query answer');
  await system.ask('saga:a', { type: 'start' });
  let answer: ActorReply | null = null;
  void system.ask('saga:a', awaitSettledMessage).then((reply) => (answer = reply));
  await settle();
  t.equal(answer, null, 'held while running');
  await system.ask('saga:a', { type: 'finish' });
  await settle();
  t.same(answer, { ok: true, value: 'done' }, 'answered with the settled state');
  t.same(await system.ask('saga:a', awaitSettledMessage), { ok: true, value: 'done' }, 'settled: at once');
});

t.test('await_settled: a saga that does not settle in holdMs answers its unsettled state then', async (t) => {
  const { system, time } = start(t);
  await system.ask('saga:b', { type: 'start' });
  const answers: ActorReply[] = [];
  void system.ask('saga:b', awaitSettledMessage).then((reply) => answers.push(reply));
  void system.ask('saga:b', awaitSettledMessage).then((reply) => answers.push(reply));
  await settle();
  time.advance(holdMs - 1);
  await settle();
  t.equal(answers.length, 0, 'still held just before holdMs');
  time.advance(1);
  await settle();
  t.same(answers, [{ ok: true, value: 'running' }, { ok: true, value: 'running' }], 'every waiter answered with the state so far');
});
