import type { ActorBehavior } from '../../actors/runtime/behavior.js';
import { assert } from '../../core/rejection.js';

export type CounterMessage = { type: 'add'; n: number } | { type: 'get' } | { type: 'boom' } | { type: 'wake_me'; at: number } | { type: 'wake' };
export type CounterEvent = { type: 'added'; n: number } | { type: 'wake_set'; at: number | null } | { type: 'woken' };
export interface CounterState {
  total: number;
  wakeAt: number | null;
  wakes: number;
}

/** The smallest actor type: runtime tests use it so that they test the runtime, not the ledger. */
export const counterBehavior: ActorBehavior<CounterState, CounterEvent> = {
  type: 'counter',
  initialState: () => ({ total: 0, wakeAt: null, wakes: 0 }),
  isQuery: (message) => (message as CounterMessage).type === 'get',
  query: (state) => ({ ok: true, value: state }),
  handle(state, message, _lookup, at) {
    const m = message as CounterMessage;
    switch (m.type) {
      case 'add':
        if (state.total + m.n < 0) return { events: [], reply: { ok: false, code: 'would_go_negative', detail: '' } };
        return { events: [{ type: 'added', n: m.n }], reply: { ok: true, value: state.total + m.n } };
      case 'boom':
        throw new Error('a bug in a handler');
      case 'wake_me':
        return { events: [{ type: 'wake_set', at: m.at }], reply: { ok: true, value: m.at } };
      case 'wake':
        if (state.wakeAt === null || state.wakeAt > at) return { events: [], reply: { ok: true, value: 'early' } };
        return { events: [{ type: 'woken' }], reply: { ok: true, value: 'woken' } };
      default:
        throw new Error(`unknown message ${m.type}`);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'added':
        return { ...state, total: state.total + event.n };
      case 'wake_set':
        return { ...state, wakeAt: event.at };
      case 'woken':
        return { ...state, wakeAt: null, wakes: state.wakes + 1 };
    }
  },
  indexWritesOf: () => [],
  deliveriesOf: () => [],
  wakeAt: (state) => state.wakeAt,
  wakeMessage: () => ({ type: 'wake' }),
  assertInvariants: (state) => assert(state.total >= 0, 'a counter never goes below zero'),
};
