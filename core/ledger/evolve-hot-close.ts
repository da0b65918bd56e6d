import { assertNever } from '../rejection.js';
import type { HotCloseEvent, HotCloseState } from './hot-close.js';

const noReports: HotCloseState['reports'] = new Map();
const noParts: HotCloseState['waitingOn'] = new Set();

function partsUpTo(count: number): ReadonlySet<number> {
  return new Set(Array.from({ length: count }, (_, i) => i));
}

/** The close's state after one event; the given one is not changed (its maps hold ≤ 64 parts). */
export function evolveHotClose(state: HotCloseState, event: HotCloseEvent): HotCloseState {
  switch (event.type) {
    case 'close_started': {
      const { accountId, subAccounts, closeNo, round } = event.data;
      return { ...state, accountId, subAccounts, closeNo, round, phase: 'sealing', reports: noReports, waitingOn: noParts, recheckAt: null, refusal: null };
    }
    case 'part_sealed':
      return { ...state, reports: new Map(state.reports).set(event.data.report.part, event.data.report) };
    case 'moves_awaited':
      return { ...state, recheckAt: event.data.recheckAt };
    case 'round_started':
      return { ...state, round: event.data.round, phase: 'sealing', reports: noReports, waitingOn: noParts, recheckAt: null };
    case 'settlement_started':
      return { ...state, phase: 'settling', waitingOn: new Set(event.data.parts) };
    case 'closing_started':
      return { ...state, phase: event.data.parts.includes(0) ? 'closing_first' : 'closing_others', waitingOn: new Set(event.data.parts) };
    case 'part_finished': {
      const waitingOn = new Set(state.waitingOn);
      waitingOn.delete(event.data.part);
      return { ...state, waitingOn };
    }
    case 'close_completed':
      return { ...state, phase: 'closed', closedAt: event.data.closedAt, waitingOn: noParts, reports: noReports };
    case 'close_refused':
      return { ...state, phase: 'unsealing', refusal: event.data.refusal, waitingOn: partsUpTo(state.subAccounts), reports: noReports, recheckAt: null };
    case 'close_ended':
      return { ...state, phase: 'idle', waitingOn: noParts };
    default:
      return assertNever(event, 'hot close event');
  }
}
