import type { Decider } from '../decider.js';
import { assert, assertNever } from '../rejection.js';
import { evolveHotClose } from './evolve-hot-close.js';
import {
  hotCloseViewOf,
  initialHotCloseState,
  type HotCloseCommand,
  type HotCloseEvent,
  type HotCloseRefusal,
  type HotCloseState,
  type HotCloseView,
  type SealedPartReport,
} from './hot-close.js';

type Decision = readonly HotCloseEvent[];
type Of<T extends HotCloseCommand['type']> = Extract<HotCloseCommand, { type: T }>;
const nothing: Decision = Object.freeze([]);

/**
 * The hot-account close (core/ledger/hot-close.ts). It refuses no command: a close asked
 * while one is under way, or after the account closed, is answered with where it stands; an
 * answer from a part that is not for the current close, round and phase is stale and ignored.
 */
export const hotCloseDecider: Decider<HotCloseState, HotCloseCommand, HotCloseEvent, never, HotCloseView> = {
  initialState: initialHotCloseState,
  decide(state, command) {
    switch (command.type) {
      case 'close_account':
        return decideClose(state, command);
      case 'part_reported':
        return decideReported(state, command);
      case 'part_done':
        return decideDone(state, command);
      case 'part_refused':
        return decideRefused(state, command);
      case 'recheck':
        return state.phase === 'sealing' && state.recheckAt !== null && command.data.at >= state.recheckAt ? [nextRound(state)] : nothing;
      default:
        return assertNever(command, 'hot close command');
    }
  },
  evolve: evolveHotClose,
  reply: (after) => hotCloseViewOf(after),
};

function decideClose(state: HotCloseState, { data }: Of<'close_account'>): Decision {
  assert(data.subAccounts > 1, `only a hot account closes through a process (${data.accountId} has ${data.subAccounts} part)`);
  if (state.phase !== 'idle') return nothing;
  return [{ type: 'close_started', data: { accountId: data.accountId, subAccounts: data.subAccounts, closeNo: state.closeNo + 1, round: 1 } }];
}

function isCurrent(state: HotCloseState, closeNo: number, round: number): boolean {
  return closeNo === state.closeNo && round === state.round;
}

function decideReported(state: HotCloseState, { data }: Of<'part_reported'>): Decision {
  const { report } = data;
  if (state.phase !== 'sealing' || !isCurrent(state, data.closeNo, data.round) || state.reports.has(report.part)) return nothing;
  if (report.sealedBy !== state.closeNo) return [refused(state, { code: 'account_not_sealed', detail: `part ${report.part} is not sealed by close ${state.closeNo}` })];
  const sealed: HotCloseEvent = { type: 'part_sealed', data: { report } };
  if (state.reports.size + 1 < state.subAccounts) return [sealed];
  return [sealed, roundOutcome(state, [...state.reports.values(), report], data.at, data.recheckMs)];
}

/** A complete round: what the parts hold, added up, decides the next step. */
function roundOutcome(state: HotCloseState, reports: readonly SealedPartReport[], at: number, recheckMs: number): HotCloseEvent {
  const holds = reports.reduce((sum, r) => sum + r.holds, 0);
  if (holds > 0) return refused(state, { code: 'account_has_pending_transfers', detail: `${holds} pending transfer(s) still hold funds` });
  // Sealed parts send nothing more, so their nets only rise, to zero once every move has landed.
  if (reports.reduce((sum, r) => sum + r.siblingNet, 0n) !== 0n) return { type: 'moves_awaited', data: { recheckAt: at + recheckMs } };
  if (reports.reduce((sum, r) => sum + r.balance, 0n) !== 0n) return refused(state, { code: 'account_balance_not_zero', detail: 'only an account with a zero balance can be closed' });
  const step = stepOf(state);
  const holding = reports.filter((r) => r.part !== 0 && r.balance !== 0n).map((r) => r.part);
  if (holding.length > 0) return { type: 'settlement_started', data: { ...step, parts: holding.sort((a, b) => a - b) } };
  return closingOthers(state);
}

function closingOthers(state: HotCloseState): HotCloseEvent {
  const parts = Array.from({ length: state.subAccounts - 1 }, (_, i) => i + 1);
  return { type: 'closing_started', data: { ...stepOf(state), parts } };
}

function decideDone(state: HotCloseState, { data }: Of<'part_done'>): Decision {
  const expected = state.phase === 'settling' ? 'settled' : state.phase === 'closing_others' || state.phase === 'closing_first' ? 'closed' : state.phase === 'unsealing' ? 'unsealed' : null;
  if (expected !== data.step || !isCurrent(state, data.closeNo, data.round) || !state.waitingOn.has(data.part)) return nothing;
  const finished: HotCloseEvent = { type: 'part_finished', data: { part: data.part } };
  if (state.waitingOn.size > 1) return [finished];
  switch (state.phase) {
    case 'settling':
      return [finished, nextRound(state)];
    case 'closing_others':
      return [finished, { type: 'closing_started', data: { ...stepOf(state), parts: [0] } }];
    case 'closing_first':
      return [finished, { type: 'close_completed', data: { closedAt: data.closedAt ?? 0 } }];
    default:
      return [finished, { type: 'close_ended', data: { closeNo: state.closeNo } }];
  }
}

/**
 * A part refused a step. Unsealing: it has nothing to unseal. Closing: money came back to
 * it after the round read it, so read again. Sealing or settling: the close cannot go on.
 */
function decideRefused(state: HotCloseState, { data }: Of<'part_refused'>): Decision {
  if (!isCurrent(state, data.closeNo, data.round)) return nothing;
  switch (state.phase) {
    case 'unsealing':
      return decideDone(state, { type: 'part_done', data: { ...data, step: 'unsealed', closedAt: null } });
    case 'closing_others':
    case 'closing_first':
      return state.waitingOn.has(data.part) ? [nextRound(state)] : nothing;
    case 'sealing':
    case 'settling':
      return [refused(state, { code: refusalCodeOf(data.code), detail: data.detail })];
    default:
      return nothing;
  }
}

function refusalCodeOf(code: string): HotCloseRefusal['code'] {
  return code === 'account_has_pending_transfers' || code === 'account_not_found' || code === 'account_balance_not_zero' ? code : 'account_not_sealed';
}

function stepOf(state: HotCloseState) {
  return { accountId: state.accountId ?? '', closeNo: state.closeNo, round: state.round };
}

function nextRound(state: HotCloseState): HotCloseEvent {
  return { type: 'round_started', data: { ...stepOf(state), round: state.round + 1, subAccounts: state.subAccounts } };
}

function refused(state: HotCloseState, refusal: HotCloseRefusal): HotCloseEvent {
  return { type: 'close_refused', data: { ...stepOf(state), subAccounts: state.subAccounts, refusal } };
}
