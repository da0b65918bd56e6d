import type { ReconciliationReport } from '../../core/reconciliation/report.js';
import type { ActorBehavior } from '../runtime/behavior.js';

export type RepairAction = 'supplement' | 'reverse';

export interface RepairRecord {
  readonly finding: number;
  readonly action: RepairAction;
  /** The command the repair went through (a transfer, a reversal or a bank order's result); null while it is under way. */
  readonly via: string | null;
  readonly at: number;
}

export interface ReconciliationState {
  readonly report: ReconciliationReport | null;
  /** sha256 of the statement content and options: the same id with other content is refused. */
  readonly digest: string | null;
  readonly repairs: ReadonlyMap<number, RepairRecord>;
}

type ReconciliationEvent =
  | { readonly type: 'reconciliation_recorded'; readonly data: { readonly report: ReconciliationReport; readonly digest: string } }
  | { readonly type: 'repair_begun'; readonly data: { readonly finding: number; readonly action: RepairAction; readonly at: number } }
  | { readonly type: 'repair_recorded'; readonly data: { readonly repair: RepairRecord } };

export type ReconciliationMessage =
  | { readonly type: 'record_report'; readonly data: { readonly report: ReconciliationReport; readonly digest: string } }
  | { readonly type: 'begin_repair'; readonly data: { readonly finding: number; readonly action: RepairAction; readonly at: number } }
  | { readonly type: 'record_repair'; readonly data: { readonly repair: RepairRecord } }
  | { readonly type: 'get_reconciliation' };

export const reconciliationActorId = (id: string) => `recon:${id}`;

function evolveReconciliation(state: ReconciliationState, event: ReconciliationEvent): ReconciliationState {
  switch (event.type) {
    case 'reconciliation_recorded':
      return { ...state, report: event.data.report, digest: event.data.digest };
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
 * One reconciliation: its report, kept for good, and the repairs made on its findings. A
 * repair is begun here before its command is sent, which fixes its action: a second repair
 * of the same finding by the other action is refused even while the first is under way, and
 * a repair a crash interrupted is finished by asking again (its command is idempotent).
 * Nothing here is ever edited or deleted.
 */
export const reconciliationBehavior: ActorBehavior<ReconciliationState, ReconciliationEvent> = {
  type: 'recon',
  initialState: () => ({ report: null, digest: null, repairs: new Map() }),
  isQuery: (message) => (message as ReconciliationMessage).type === 'get_reconciliation',
  query: (state) => ({ ok: true, value: state }),
  handle(state, message) {
    const m = message as ReconciliationMessage;
    if (m.type === 'record_report') {
      if (state.report !== null) {
        return state.digest === m.data.digest
          ? { events: [], reply: { ok: true, value: state } }
          : { events: [], reply: { ok: false, code: 'id_reused_with_different_content', detail: `reconciliation ${m.data.report.id} was made from another statement` } };
      }
      const event: ReconciliationEvent = { type: 'reconciliation_recorded', data: m.data };
      return { events: [event], reply: { ok: true, value: evolveReconciliation(state, event) } };
    }
    if (m.type === 'begin_repair') {
      const begun = state.repairs.get(m.data.finding);
      if (begun !== undefined) {
        return begun.action === m.data.action
          ? { events: [], reply: { ok: true, value: state } }
          : { events: [], reply: { ok: false, code: 'repair_not_applicable', detail: `finding ${m.data.finding} is repaired by ${begun.action}` } };
      }
      const event: ReconciliationEvent = { type: 'repair_begun', data: m.data };
      return { events: [event], reply: { ok: true, value: evolveReconciliation(state, event) } };
    }
    if (m.type === 'record_repair') {
      if (state.repairs.get(m.data.repair.finding)?.via !== null) return { events: [], reply: { ok: true, value: state } };
      const event: ReconciliationEvent = { type: 'repair_recorded', data: m.data };
      return { events: [event], reply: { ok: true, value: evolveReconciliation(state, event) } };
    }
    throw new Error(`unknown reconciliation message ${m.type}`);
  },
  evolve: evolveReconciliation,
  indexWritesOf: () => [],
  deliveriesOf: () => [],
  wakeAt: () => null,
  wakeMessage: () => null,
  assertInvariants: () => {},
};
