import type { CauseRun } from '../../core/audit/cause.js';
import type { JournalReader, LogEntry } from '../journal.js';

/** One committed log entry with its events: what a read side applies. */
export interface FeedEntry {
  /** Where the entry stands in the feed: the node log's position, or the cluster stream's sequence. */
  readonly position: number;
  readonly actorId: string;
  readonly firstSeq: number;
  readonly businessDate: string | null;
  readonly events: readonly unknown[];
  /** Who caused the events, in runs (empty: not recorded — an entry from before the audit trail). */
  readonly causes: readonly CauseRun[];
  /** When the append was decided (null: not recorded). */
  readonly at: number | null;
}

/**
 * The committed log as a read side consumes it, in feed order. Embedded, it is the node's own
 * journal; in a cluster, the stream every node publishes its journal to. The runner is the
 * same over both.
 */
export interface LogFeed {
  /** Entries after `position`, in order, at most `max` (fewer, or none, when the feed holds no more yet). */
  entriesAfter(position: number, max: number): FeedEntry[];
  /** The last position the feed holds (what a read side at it has fully applied). */
  lastPosition(): number;
}

/** The node's own journal as a feed: its node-wide log, with each entry's events read beside it. */
export class JournalLogFeed implements LogFeed {
  constructor(private readonly journal: JournalReader) {}

  entriesAfter(position: number, max: number): FeedEntry[] {
    const entries: FeedEntry[] = [];
    if (max <= 0) return entries;
    for (const entry of this.journal.readLog(position + 1)) {
      entries.push({ position: entry.position, actorId: entry.actorId, firstSeq: entry.firstSeq, businessDate: entry.businessDate, events: eventsOfEntry(this.journal, entry), causes: entry.causes, at: entry.at });
      if (entries.length >= max) break;
    }
    return entries;
  }

  lastPosition(): number {
    return this.journal.lastLogPosition();
  }
}

/**
 * The events of one log entry, read from the journal: the append's own record when it holds
 * exactly the entry's events (an append writes one record), else event by event from its first.
 */
export function eventsOfEntry(journal: JournalReader, entry: LogEntry): readonly unknown[] {
  const record = journal.appendedEvents?.(entry.actorId, entry.firstSeq);
  if (record !== undefined && record.length === entry.count) return record;
  const events: unknown[] = [];
  for (const stored of journal.readEvents(entry.actorId, entry.firstSeq)) {
    if (stored.seq >= entry.firstSeq + entry.count) break;
    events.push(stored.event);
  }
  return events;
}
