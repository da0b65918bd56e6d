/**
 * The close of a hot account (one split into sub-accounts, "parts"): a process of its own,
 * journaled step by step, so that a crash anywhere resumes it and no part is left closed
 * while another still takes money. One process actor per account runs it in rounds:
 * 1. seal every part (it refuses debits and returns credits from then on) and read what it
 *    holds; a round is complete once every part has answered;
 * 2. balancing moves still in flight (the parts' sibling nets do not sum to zero) → wait and
 *    read again; a hold anywhere → refused; the total not zero → refused;
 * 3. parts other than 0 that hold money (only an account that may overdraw can have parts
 *    with offsetting balances) move it, signed, to part 0, then a new round reads again;
 * 4. every part at zero: parts 1..n-1 close, then part 0, which tells the directory.
 * A refusal unseals every part (the account takes money again) and the close ends; a later
 * close starts afresh under the next number. A part that refuses to close (money that came
 * back to it after the round read it) sends the process to a new round.
 */

/** What a sealed part says of itself; a round adds these up. */
export interface SealedPartReport {
  readonly part: number;
  readonly sealedBy: number | null;
  readonly balance: bigint;
  readonly siblingNet: bigint;
  readonly holds: number;
  readonly closedAt: number | null;
}

export type HotClosePhase = 'idle' | 'sealing' | 'settling' | 'closing_others' | 'closing_first' | 'unsealing' | 'closed';

export interface HotCloseRefusal {
  readonly code: 'account_has_pending_transfers' | 'account_balance_not_zero' | 'account_not_found' | 'account_not_sealed';
  readonly detail: string;
}

/** The state of one account's closes. Its collections hold one entry per part at most (≤ 64). */
export interface HotCloseState {
  readonly accountId: string | null;
  readonly subAccounts: number;
  /** The number of the current (or last) close; 0 before the first. */
  readonly closeNo: number;
  readonly phase: HotClosePhase;
  readonly round: number;
  /** This round's reports by part (phase sealing). */
  readonly reports: ReadonlyMap<number, SealedPartReport>;
  /** The parts whose step this phase still waits for (settling, closing, unsealing). */
  readonly waitingOn: ReadonlySet<number>;
  /** When to read the parts again while balancing moves are in flight. */
  readonly recheckAt: number | null;
  /** Why the last close ended without closing the account. */
  readonly refusal: HotCloseRefusal | null;
  readonly closedAt: number | null;
}

export const initialHotCloseState: HotCloseState = {
  accountId: null,
  subAccounts: 0,
  closeNo: 0,
  phase: 'idle',
  round: 0,
  reports: new Map(),
  waitingOn: new Set(),
  recheckAt: null,
  refusal: null,
  closedAt: null,
};

/** Which close, which round: every step's message and answer carries it, so a late one is told apart. */
export interface CloseStep {
  readonly accountId: string;
  readonly closeNo: number;
  readonly round: number;
}

/** What a part answered to a step other than a seal. */
export type PartStep = 'settled' | 'closed' | 'unsealed';

export type HotCloseCommand =
  | { readonly type: 'close_account'; readonly data: { readonly accountId: string; readonly subAccounts: number; readonly at: number } }
  | { readonly type: 'part_reported'; readonly data: { readonly closeNo: number; readonly round: number; readonly report: SealedPartReport; readonly at: number; readonly recheckMs: number } }
  | { readonly type: 'part_done'; readonly data: { readonly closeNo: number; readonly round: number; readonly part: number; readonly step: PartStep; readonly closedAt: number | null } }
  | { readonly type: 'part_refused'; readonly data: { readonly closeNo: number; readonly round: number; readonly part: number; readonly code: string; readonly detail: string } }
  | { readonly type: 'recheck'; readonly data: { readonly at: number } };

export type HotCloseEvent =
  | { readonly type: 'close_started'; readonly data: CloseStep & { readonly subAccounts: number } }
  | { readonly type: 'part_sealed'; readonly data: { readonly report: SealedPartReport } }
  | { readonly type: 'moves_awaited'; readonly data: { readonly recheckAt: number } }
  | { readonly type: 'round_started'; readonly data: CloseStep & { readonly subAccounts: number } }
  | { readonly type: 'settlement_started'; readonly data: CloseStep & { readonly parts: readonly number[] } }
  | { readonly type: 'closing_started'; readonly data: CloseStep & { readonly parts: readonly number[] } }
  | { readonly type: 'part_finished'; readonly data: { readonly part: number } }
  | { readonly type: 'close_completed'; readonly data: { readonly closedAt: number } }
  | { readonly type: 'close_refused'; readonly data: CloseStep & { readonly subAccounts: number; readonly refusal: HotCloseRefusal } }
  | { readonly type: 'close_ended'; readonly data: { readonly closeNo: number } };

/** What the close's asker hears: where the close stands. */
export interface HotCloseView {
  readonly closeNo: number;
  readonly phase: HotClosePhase;
  readonly closedAt: number | null;
  readonly refusal: HotCloseRefusal | null;
}

export function hotCloseViewOf(state: HotCloseState): HotCloseView {
  return { closeNo: state.closeNo, phase: state.phase, closedAt: state.closedAt, refusal: state.refusal };
}

/** Settled: closed, or no close under way. */
export function isHotCloseSettled(state: HotCloseState): boolean {
  return state.phase === 'idle' || state.phase === 'closed';
}
