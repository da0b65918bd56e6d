import type { ReconciliationEvent, RepairAction, RepairRecord } from '../../core/reconciliation/events.js';
import type { ReconciliationReport, ReportHeader } from '../../core/reconciliation/report.js';
import { headerOf } from '../../core/reconciliation/report.js';
import { assertNever } from '../../core/rejection.js';
import type { ActorBehavior, ActorReply, Handled } from '../runtime/behavior.js';
import { chunkCount, chunkSpan, type ChunkLayout } from './report-chunks.js';

export type { ReconciliationEvent, RepairAction, RepairRecord };

/**
 * A report as journaled: its header, then its items in chunks (report-chunks.ts), one event
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

export type ReconciliationMessage =
  | { readonly type: 'begin_report'; readonly data: { readonly digest: string; readonly header: ReportHeader; readonly chunkItemsMax: number } }
  | { readonly type: 'record_chunk'; readonly data: { readonly attempt: number; readonly chunk: number; readonly count: number; readonly items: Uint8Array } }
  | { readonly type: 'begin_repair'; readonly data: { readonly finding: number; readonly action: RepairAction; readonly at: number } }
  | { readonly type: 'record_repair'; readonly data: { readonly repair: RepairRecord } }
  | { readonly type: 'get_reconciliation' };

export const reconciliationActorId = (id: string) => `recon:${id}`;

/** The report's header once it is wholly recorded (null before). */
export function headerOfState(state: ReconciliationState): ReportHeader | null {
  if (state.legacy !== null) return headerOf(state.legacy);
  return state.stored?.complete === true ? state.stored.header : null;
}

const initialState = (): ReconciliationState => ({ digest: null, stored: null, legacy: null, repairs: new Map() });

/** A snapshot written before reports were chunked ({report, digest, repairs}) read as today's state. */
function upgraded(state: ReconciliationState | { report: ReconciliationReport | null; digest: string | null; repairs: ReadonlyMap<number, RepairRecord> }): ReconciliationState {
  if (!('report' in state)) return state;
  return { ...initialState(), digest: state.digest, legacy: state.report, repairs: state.repairs };
}

function evolveReconciliation(before: ReconciliationState, event: ReconciliationEvent): ReconciliationState {
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

type Decision = Handled<ReconciliationEvent>;

const answer = (state: ReconciliationState): Decision => ({ events: [], reply: { ok: true, value: state } });
const refusal = (code: string, detail: string): Decision => ({ events: [], reply: { ok: false, code, detail } });

function decided(state: ReconciliationState, events: ReconciliationEvent[]): Decision {
  return { events, reply: { ok: true, value: events.reduce(evolveReconciliation, state) } satisfies ActorReply };
}

/**
 * Begins recording a report: the first time, or again (the next attempt) when an earlier job
 * with the same statement did not finish. A finished report is answered as it is; another
 * statement under the id is refused.
 */
function beginReport(state: ReconciliationState, data: Extract<ReconciliationMessage, { type: 'begin_report' }>['data']): Decision {
  const finished = state.legacy !== null || state.stored?.complete === true;
  if (state.digest !== null && state.digest !== data.digest) return refusal('id_reused_with_different_content', `reconciliation ${data.header.id} was made from another statement`);
  if (finished) return answer(state);
  const attempt = (state.stored?.attempt ?? 0) + 1;
  const begun: ReconciliationEvent = { type: 'report_begun', data: { digest: data.digest, attempt, header: data.header, chunkItemsMax: data.chunkItemsMax } };
  const layout = { chunkItemsMax: data.chunkItemsMax, statementCount: data.header.statementCount, findingCount: data.header.findingCount };
  return decided(state, chunkCount(layout) === 0 ? [begun, { type: 'report_completed', data: { attempt } }] : [begun]);
}

/** Chunks are recorded in order, each once: one already recorded is answered as it is. */
function recordChunk(state: ReconciliationState, data: Extract<ReconciliationMessage, { type: 'record_chunk' }>['data']): Decision {
  const stored = state.stored;
  if (stored === null || stored.attempt !== data.attempt) return refusal('reconciliation_busy', `a later job took over recording reconciliation ${stored?.header.id ?? ''}; retry`);
  if (data.chunk < stored.chunksRecorded) return answer(state);
  if (data.chunk > stored.chunksRecorded) return refusal('statement_job_failed', `chunk ${data.chunk} came before chunk ${stored.chunksRecorded}; the report was not recorded`);
  if (data.count !== chunkSpan(stored.layout, data.chunk).count) return refusal('statement_job_failed', `chunk ${data.chunk} holds ${data.count} items, not ${chunkSpan(stored.layout, data.chunk).count}`);
  const events: ReconciliationEvent[] = [{ type: 'report_chunk_recorded', data }];
  if (data.chunk + 1 === chunkCount(stored.layout)) events.push({ type: 'report_completed', data: { attempt: data.attempt } });
  return decided(state, events);
}

function beginRepair(state: ReconciliationState, data: Extract<ReconciliationMessage, { type: 'begin_repair' }>['data']): Decision {
  const begun = state.repairs.get(data.finding);
  if (begun !== undefined) return begun.action === data.action ? answer(state) : refusal('repair_not_applicable', `finding ${data.finding} is repaired by ${begun.action}`);
  return decided(state, [{ type: 'repair_begun', data }]);
}

function recordRepair(state: ReconciliationState, data: Extract<ReconciliationMessage, { type: 'record_repair' }>['data']): Decision {
  if (state.repairs.get(data.repair.finding)?.via !== null) return answer(state);
  return decided(state, [{ type: 'repair_recorded', data }]);
}

/**
 * One reconciliation: its report, kept for good, and the repairs made on its findings. The
 * report is recorded in chunks (its events never grow with the statement; the read model
 * keeps them for pages), and the actor snapshots with every append, so waking it never
 * reads them back. A repair is begun here
 * before its command is sent, which fixes its action: a second repair of the same finding by
 * the other action is refused even while the first is under way, and a repair a crash
 * interrupted is finished by asking again (its command is idempotent). Nothing here is ever
 * edited or deleted.
 */
export const reconciliationBehavior: ActorBehavior<ReconciliationState, ReconciliationEvent> = {
  type: 'recon',
  initialState,
  snapshotEveryAppend: true,
  isQuery: (message) => (message as ReconciliationMessage).type === 'get_reconciliation',
  query: (state) => ({ ok: true, value: upgraded(state) }),
  handle(before, message) {
    const state = upgraded(before);
    const m = message as ReconciliationMessage;
    switch (m.type) {
      case 'begin_report':
        return beginReport(state, m.data);
      case 'record_chunk':
        return recordChunk(state, m.data);
      case 'begin_repair':
        return beginRepair(state, m.data);
      case 'record_repair':
        return recordRepair(state, m.data);
      case 'get_reconciliation':
        return answer(state);
      default:
        return assertNever(m, 'reconciliation message');
    }
  },
  evolve: evolveReconciliation,
  indexWritesOf: () => [],
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: () => {},
};
