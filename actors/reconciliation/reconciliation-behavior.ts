import type { ReconciliationEvent, RepairAction, RepairRecord } from '../../core/reconciliation/events.js';
import {
  reconciliationDecider,
  upgraded,
  type ReconciliationCommand,
  type ReconciliationRejectionCode,
  type ReconciliationState,
} from '../../core/reconciliation/reconciliation.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';

export type { ReconciliationEvent, RepairAction, RepairRecord };
export { headerOfState, type ReconciliationState, type StoredReport } from '../../core/reconciliation/reconciliation.js';

export type ReconciliationMessage = ReconciliationCommand | { readonly type: 'get_reconciliation' };

export const reconciliationActorId = (id: string) => `recon:${id}`;

/**
 * One reconciliation: its report, kept for good, and the repairs made on its findings
 * (core/reconciliation/reconciliation.ts decides). The report is recorded in chunks (its
 * events never grow with the statement; the read model keeps them for pages), and the actor
 * snapshots with every append, so waking it never reads them back. A repair is begun here
 * before its command is sent, which fixes its action: a second repair of the same finding by
 * the other action is refused even while the first is under way, and a repair a crash
 * interrupted is finished by asking again (its command is idempotent). Nothing here is ever
 * edited or deleted.
 */
export const reconciliationBehavior: ActorBehavior<ReconciliationState, ReconciliationEvent> = deciderBehavior<
  ReconciliationState,
  ReconciliationMessage,
  ReconciliationCommand,
  ReconciliationEvent,
  ReconciliationRejectionCode,
  ReconciliationState
>({
  type: 'recon',
  decider: reconciliationDecider,
  snapshotEveryAppend: true,
  isQuery: (message) => message.type === 'get_reconciliation',
  query: (state) => ({ ok: true, value: upgraded(state) }),
  commandOf(message): ReconciliationCommand {
    if (message.type === 'get_reconciliation') throw new Error('get_reconciliation is a query');
    return message;
  },
});
