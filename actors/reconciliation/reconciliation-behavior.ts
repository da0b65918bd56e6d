import type { ReconciliationReport } from '../../core/reconciliation/report.js';
import type { ActorBehavior } from '../runtime/behavior.js';

export interface RepairRecord {
  readonly finding: number;
  readonly action: 'supplement' | 'reverse';
  /** The command the repair went through: a transfer, a reversal or a bank order's result. */
  readonly via: string;
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
  | { readonly type: 'repair_recorded'; readonly data: { readonly repair: RepairRecord } };

export type ReconciliationMessage =
  | { readonly type: 'record_report'; readonly data: { readonly report: ReconciliationReport; readonly digest: string } }
  | { readonly type: 'record_repair'; readonly data: { readonly repair: RepairRecord } }
  | { readonly type: 'get_reconciliation' };

export const reconciliationActorId = (id: string) => `recon:${id}`;

function evolveReconciliation(state: ReconciliationState, event: ReconciliationEvent): ReconciliationState {
  switch (event.type) {
    case 'reconciliation_recorded':
      return { ...state, report: event.data.report, digest: event.data.digest };
    case 'repair_recorded': {
      const repairs = new Map(state.repairs);
      repairs.set(event.data.repair.finding, event.data.repair);
      return { ...state, repairs };
    }
  }
}

/**
 * One reconciliation: its report, kept for good, and the repairs made on its findings (each
 * finding repaired at most once). Nothing here is ever edited or deleted.
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
    if (m.type === 'record_repair') {
      if (state.repairs.has(m.data.repair.finding)) return { events: [], reply: { ok: true, value: state } };
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
