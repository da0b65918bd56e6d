import type { CauseRun } from '../../core/audit/cause.js';
import { everyActor, type Projector } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

/** Event types listed per row at most (a run of one message rarely has more; the count says how many there were). */
export const auditEventTypesMax = 20;

/** Who caused an entry written before the audit trail: the journal did not say (nor when: its `at` is 0). */
export const unrecordedWho = 'unrecorded';

/**
 * The audit trail: one row per run of events one cause produced (who, the request, the
 * client's order id), for every actor. Idempotent per row (a redelivered entry of a cluster's
 * stream writes the same keys), so it needs no actor state.
 */
export const auditProjector: Projector = {
  actorType: everyActor,
  stateless: true,
  schema: [
    `create table if not exists audit (
      actor_id text not null, first_seq integer not null, count integer not null, at integer not null,
      who text not null, request_id text, order_id text, events text not null,
      primary key (actor_id, first_seq)) without rowid`,
    'create index if not exists audit_by_time on audit (at, actor_id, first_seq)',
    'create index if not exists audit_by_who on audit (who, at, actor_id, first_seq)',
  ],
  initialState: () => null,
  evolve: () => null,
  project(db: ReadDatabase, entry) {
    const runs: readonly CauseRun[] = entry.causes.length > 0 ? entry.causes : [{ who: unrecordedWho, requestId: null, orderId: null, count: entry.events.length }];
    const insert = prepared(db, 'insert or ignore into audit (actor_id, first_seq, count, at, who, request_id, order_id, events) values (?, ?, ?, ?, ?, ?, ?, ?)');
    let offset = 0;
    for (const run of runs) {
      const types = entry.events.slice(offset, offset + Math.min(run.count, auditEventTypesMax)).map(typeOf);
      insert.run(entry.actorId, BigInt(entry.firstSeq + offset), BigInt(run.count), BigInt(entry.at ?? 0), run.who, run.requestId, run.orderId, types.join(','));
      offset += run.count;
    }
  },
};

function typeOf(event: unknown): string {
  const type = (event as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : '?';
}
