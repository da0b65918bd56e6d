import type { Decider } from '../decider.js';
import { addDays, type BusinessDate } from '../calendar/business-date.js';
import { reject, type Rejection } from '../rejection.js';

/** Per currency: the day's debits and credits over every leg (transit included), which must be equal. */
export interface TrialBalanceLine {
  readonly currency: string;
  readonly debits: bigint;
  readonly credits: bigint;
}

/** What a closed day's report keeps for good; every account's closing balance is in the read model, digested here. */
export interface EodReport {
  readonly date: BusinessDate;
  /** The first business day this report covers (days never closed before it are folded in). */
  readonly from: BusinessDate;
  /** The highest position of the day's cut markers (one per partition; the entries of a partition after its marker belong to later days). */
  readonly cutPosition: number;
  /**
   * Each partition's hash-chain head as its cut recorded it (position in that partition's
   * node journal, link): history before the cut cannot change unnoticed. Absent in reports
   * from before the chain.
   */
  readonly chainHeads?: readonly { readonly partition: number; readonly position: number; readonly hash: string }[];
  readonly trialBalance: readonly TrialBalanceLine[];
  readonly balanced: boolean;
  readonly accounts: number;
  /** sha256 of every account's `account currency opening debits credits closing` lines, sorted. */
  readonly balancesDigest: string;
  /** Money between journals at the cut, per currency (the transit account's balance). */
  readonly inFlight: readonly { readonly currency: string; readonly amount: bigint }[];
  /** Lines from other parts of the system (accruals, overdue classification) when they report. */
  readonly sections: Readonly<Record<string, unknown>>;
  readonly closedAt: number;
}

export interface EodState {
  readonly closedThrough: BusinessDate | null;
  /** A close begun and not completed: its day, first day and cut. */
  readonly closing: { readonly date: BusinessDate; readonly from: BusinessDate } | null;
}

export const initialEodState: EodState = { closedThrough: null, closing: null };

export type EodEvent =
  | { readonly type: 'day_close_begun'; readonly data: { readonly date: BusinessDate; readonly from: BusinessDate; readonly at: number } }
  | { readonly type: 'day_closed'; readonly data: { readonly report: EodReport } };

export type EodCommand =
  | {
      readonly type: 'begin_close';
      /** firstDay: the earliest business day with postings (null: none yet), so the first close covers all history. */
      readonly data: { readonly date: BusinessDate; readonly today: BusinessDate; readonly firstDay: BusinessDate | null; readonly at: number };
    }
  | { readonly type: 'complete_close'; readonly data: { readonly report: EodReport } };

export const eodRejectionCodes = ['eod_day_not_over', 'eod_day_not_closing', 'eod_close_in_progress'] as const;
export type EodRejectionCode = (typeof eodRejectionCodes)[number];

/**
 * What a close may answer beyond the decider's codes: it waits for the read side to hold every
 * partition's cut marker, and says so when they do not all arrive in time.
 */
export const eodCloseRefusalCodes = ['eod_cut_incomplete'] as const;
export type EodCloseRefusalCode = (typeof eodCloseRefusalCodes)[number];

export type EodDecision = readonly EodEvent[] | Rejection<EodRejectionCode>;

/**
 * begin_close, checked in this order:
 * 1. already closed (D ≤ the last closed day) → nothing to do (the stored report answers)
 * 2. the same close begun and not completed → nothing to do (finish it)
 * 3. eod_close_in_progress (another day's close is not completed)
 * 4. eod_day_not_over (D is after today's business date)
 * The first day covered is the day after the last closed one; at the first close, the
 * earliest day with postings (or D itself when that is later or there is none).
 */
export function decideEod(state: EodState, command: EodCommand): EodDecision {
  switch (command.type) {
    case 'begin_close': {
      const { date, today, firstDay, at } = command.data;
      if (state.closedThrough !== null && date <= state.closedThrough) return [];
      if (state.closing !== null && state.closing.date === date) return [];
      if (state.closing !== null) return reject('eod_close_in_progress', `the close of ${state.closing.date} is not completed`);
      if (date > today) return reject('eod_day_not_over', `${date} is after today's business date ${today}`);
      const from = state.closedThrough !== null ? addDays(state.closedThrough, 1) : firstDay !== null && firstDay < date ? firstDay : date;
      return [{ type: 'day_close_begun', data: { date, from, at } }];
    }
    case 'complete_close': {
      const { report } = command.data;
      if (state.closedThrough !== null && report.date <= state.closedThrough) return [];
      if (state.closing === null || state.closing.date !== report.date) return reject('eod_day_not_closing', `no close of ${report.date} is under way`);
      return [{ type: 'day_closed', data: { report } }];
    }
  }
}

export function evolveEod(state: EodState, event: EodEvent): EodState {
  switch (event.type) {
    case 'day_close_begun':
      return { ...state, closing: { date: event.data.date, from: event.data.from } };
    case 'day_closed':
      return { closedThrough: event.data.report.date, closing: null };
  }
}

/** End of day as one decider: an accepted command answers the state after it. */
export const eodDecider: Decider<EodState, EodCommand, EodEvent, EodRejectionCode, EodState> = {
  initialState: initialEodState,
  decide: decideEod,
  evolve: evolveEod,
  reply: (state) => state,
};
