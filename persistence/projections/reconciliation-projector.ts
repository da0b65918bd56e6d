import type { ReconciliationEvent } from '../../core/reconciliation/events.js';
import type { Projector } from './projector.js';
import { prepared } from './read-model.js';

/** One row per chunk of a recorded report: its items as the actor journaled them (msgpack). */
const schema = [
  `create table if not exists reconciliation_chunks (reconciliation text not null, attempt integer not null, chunk integer not null,
     count integer not null, items blob not null, primary key (reconciliation, attempt, chunk))`,
];

/**
 * Reconciliation reports in the read model, for pages: each chunk the actor journals becomes
 * a row, as it is (the bytes are not unpacked here). A chunk of an attempt that never
 * completed stays, unread: the actor's state says which attempt is the report.
 */
export const reconciliationProjector: Projector = {
  actorType: 'recon',
  schema,
  stateless: true,
  initialState: () => null,
  evolve: () => null,
  project(db, entry) {
    const id = entry.actorId.slice('recon:'.length);
    for (const raw of entry.events) {
      const event = raw as ReconciliationEvent;
      if (event.type !== 'report_chunk_recorded') continue;
      const { attempt, chunk, count, items } = event.data;
      prepared(db, 'insert or ignore into reconciliation_chunks (reconciliation, attempt, chunk, count, items) values (?, ?, ?, ?, ?)').run(
        id,
        BigInt(attempt),
        BigInt(chunk),
        BigInt(count),
        Buffer.from(items.buffer, items.byteOffset, items.byteLength),
      );
    }
  },
};
