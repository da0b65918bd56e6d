import { decideEod, evolveEod, initialEodState, type EodCommand, type EodEvent, type EodState } from '../../core/eod/eod.js';
import { isRejection } from '../../core/rejection.js';
import type { ActorBehavior } from '../runtime/behavior.js';

export const eodActorId = 'eod:ledger';

/** The one actor that closes business days: it orders closes and keeps each closed day's report. */
export const eodBehavior: ActorBehavior<EodState, EodEvent> = {
  type: 'eod',
  initialState: () => initialEodState,
  isQuery: (message) => (message as { type: string }).type === 'get_eod',
  query: (state) => ({ ok: true, value: state }),
  handle(state, message, _lookup, at) {
    const m = message as EodCommand;
    const command: EodCommand = m.type === 'begin_close' ? { type: 'begin_close', data: { ...m.data, at } } : m;
    const decision = decideEod(state, command);
    if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
    const after = decision.reduce(evolveEod, state);
    return { events: decision, reply: { ok: true, value: after } };
  },
  evolve: evolveEod,
  indexWritesOf: (_actorId, event) => (event.type === 'day_closed' ? [{ index: 'eod_reports', key: event.data.report.date, value: event.data.report }] : []),
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: () => {},
};
