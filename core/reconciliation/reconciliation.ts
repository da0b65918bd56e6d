import type { Decider } from '../decider.js';
import { reject, type Rejection } from '../rejection.js';
import { chunkCount, chunkSpan, type ChunkLayout } from './chunk-layout.js';
import type { ReconciliationEvent, RepairAction, RepairRecord } from './events.js';
import { headerOf, type ReconciliationReport, type ReportHeader } from './report.js';

/**
 * A report as journaled: its header, then its items in chunks (chunk-layout.ts), one event
 * each, kept by the read model for pages. A job a crash (or a failure) interrupted is
 * recorded again from the start as the next attempt; only a complete attempt is ever read.
 */
export interface StoredReport {
  readonly attempt: number;
  readonly header: ReportHeader;
  readonly layout: ChunkLayout;
  readonly chunksRecorded: number;
  readonly complete: boolean;
}

export interface ReconciliationState {
  /** sha256 of the statement content and options: the same id with other content is refused. */
  readonly digest: string | null;
  readonly stored: StoredReport | null;
  /** A report journaled whole, in one event (before reports were chunked): read from memory. */
  readonly legacy: ReconciliationReport | null;
  readonly repairs: ReadonlyMap<number, RepairRecord>;
}

export type ReconciliationCommand =
  | { readonly type: 'begin_report'; readonly data: { readonly digest: string; readonly header: ReportHeader; readonly chunkItemsMax: number } }
  | { readonly type: 'record_chunk'; readonly data: { readonly attempt: number; readonly chunk: number; readonly count: number; readonly items: Uint8Array } }
  | { readonly type: 'begin_repair'; readonly data: { readonly finding: number; readonly action: RepairAction; readonly at: number } }
  | { readonly type: 'record_repair'; readonly data: { readonly repair: RepairRecord } };

export const reconciliationRejectionCodes = ['id_reused_with_different_content', 'reconciliation_busy', 'statement_job_failed', 'repair_not_applicable'] as const;
export type ReconciliationRejectionCode = (typeof reconciliationRejectionCodes)[number];

type Decision = readonly ReconciliationEvent[] | Rejection<ReconciliationRejectionCode>;

/** The report's header once it is wholly recorded (null before). */
export function headerOfState(state: ReconciliationState): ReportHeader | null {
  if (state.legacy !== null) return headerOf(state.legacy);
  return state.stored?.complete === true ? state.stored.header : null;
}

export const initialReconciliationState: ReconciliationState = { digest: null, stored: null, legacy: null, repairs: new Map() };

/** A snapshot written before reports were chunked ({report, digest, repairs}) read as today's state. */
export function upgraded(state: ReconciliationState | { report: ReconciliationReport | null; digest: string | null; repairs: ReadonlyMap<number, RepairRecord> }): ReconciliationState {
  if (!('report' in state)) return state;
  return { ...initialReconciliationState, digest: state.digest, legacy: state.report, repairs: state.repairs };
}

export function evolveReconciliation(before: ReconciliationState, event: ReconciliationEvent): ReconciliationState {
  const state = upgraded(before);
  switch (event.type) {
    case 'report_begun': {
      const { digest, attempt, header, chunkItemsMax } = event.data;
      const layout = { chunkItemsMax, statementCount: header.statementCount, findingCount: header.findingCount };
      return { ...state, digest, stored: { attempt, header, layout, chunksRecorded: 0, complete: false } };
    }
    case 'report_chunk_recorded':
      return { ...state, stored: { ...(state.stored as StoredReport), chunksRecorded: event.data.chunk + 1 } };
    case 'report_completed':
      return { ...state, stored: { ...(state.stored as StoredReport), complete: true } };
    case 'reconciliation_recorded':
      return { ...state, digest: event.data.digest, legacy: event.data.report };
    case 'repair_begun': {
      const repairs = new Map(state.repairs);
      repairs.set(event.data.finding, { ...event.data, via: null });
      return { ...state, repairs };
    }
    case 'repair_recorded': {
      const repairs = new Map(state.repairs);
      repairs.set(event.data.repair.finding, event.data.repair);
      return { ...state, repairs };
    }
  }
}

/**
 * begin_report, in this order: 1. id_reused_with_different_content (the id holds a report of
 * another statement); 2. a finished report → nothing (answered as it is); otherwise the next
 * attempt begins (completed at once when the report has no items).
 */
function beginReport(state: ReconciliationState, data: Extract<ReconciliationCommand, { type: 'begin_report' }>['data']): Decision {
  const finished = state.legacy !== null || state.stored?.complete === true;
  if (state.digest !== null && state.digest !== data.digest) return reject('id_reused_with_different_content', `reconciliation ${data.header.id} was made from another statement`);
  if (finished) return [];
  const attempt = (state.stored?.attempt ?? 0) + 1;
  const begun: ReconciliationEvent = { type: 'report_begun', data: { digest: data.digest, attempt, header: data.header, chunkItemsMax: data.chunkItemsMax } };
  const layout = { chunkItemsMax: data.chunkItemsMax, statementCount: data.header.statementCount, findingCount: data.header.findingCount };
  return chunkCount(layout) === 0 ? [begun, { type: 'report_completed', data: { attempt } }] : [begun];
}

/**
 * record_chunk, in this order: 1. reconciliation_busy (no attempt, or a later attempt took
 * over); 2. a chunk already recorded → nothing; 3. statement_job_failed (a chunk out of order,
 * or not holding its layout's count). The last chunk completes the report.
 */
function recordChunk(state: ReconciliationState, data: Extract<ReconciliationCommand, { type: 'record_chunk' }>['data']): Decision {
  const stored = state.stored;
  if (stored === null || stored.attempt !== data.attempt) return reject('reconciliation_busy', `a later job took over recording reconciliation ${stored?.header.id ?? ''}; retry`);
  if (data.chunk < stored.chunksRecorded) return [];
  if (data.chunk > stored.chunksRecorded) return reject('statement_job_failed', `chunk ${data.chunk} came before chunk ${stored.chunksRecorded}; the report was not recorded`);
  if (data.count !== chunkSpan(stored.layout, data.chunk).count) return reject('statement_job_failed', `chunk ${data.chunk} holds ${data.count} items, not ${chunkSpan(stored.layout, data.chunk).count}`);
  const events: ReconciliationEvent[] = [{ type: 'report_chunk_recorded', data }];
  if (data.chunk + 1 === chunkCount(stored.layout)) events.push({ type: 'report_completed', data: { attempt: data.attempt } });
  return events;
}

/** begin_repair: the same action again → nothing; 1. repair_not_applicable (the finding is being repaired by the other action). */
function beginRepair(state: ReconciliationState, data: Extract<ReconciliationCommand, { type: 'begin_repair' }>['data']): Decision {
  const begun = state.repairs.get(data.finding);
  if (begun !== undefined) return begun.action === data.action ? [] : reject('repair_not_applicable', `finding ${data.finding} is repaired by ${begun.action}`);
  return [{ type: 'repair_begun', data }];
}

/** record_repair: a repair already recorded → nothing (its first record stands). */
function recordRepair(state: ReconciliationState, data: Extract<ReconciliationCommand, { type: 'record_repair' }>['data']): Decision {
  if (state.repairs.get(data.repair.finding)?.via !== null) return [];
  return [{ type: 'repair_recorded', data }];
}

function decideReconciliation(before: ReconciliationState, command: ReconciliationCommand): Decision {
  const state = upgraded(before);
  switch (command.type) {
    case 'begin_report':
      return beginReport(state, command.data);
    case 'record_chunk':
      return recordChunk(state, command.data);
    case 'begin_repair':
      return beginRepair(state, command.data);
    case 'record_repair':
      return recordRepair(state, command.data);
  }
}

/** One reconciliation as one decider: an accepted command answers the state after it. */
export const reconciliationDecider: Decider<ReconciliationState, ReconciliationCommand, ReconciliationEvent, ReconciliationRejectionCode, ReconciliationState> = {
  initialState: initialReconciliationState,
  decide: decideReconciliation,
  evolve: evolveReconciliation,
  reply: (state) => upgraded(state),
};
