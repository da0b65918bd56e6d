import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import type { JournalReader, LogEntry } from '../../../persistence/journal.js';
import { LmdbJournal } from '../../../persistence/lmdb-journal.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { eventsOfEntry, JournalLogFeed } from '../../../persistence/projections/log-feed.js';
import { tempDir } from '../../helpers/ledger.js';

/** Appends: which of a few actors, and how many events (each names its actor and seq, so a misread shows). */
const appendsArbitrary = fc.array(fc.record({ actor: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 30 });

async function appendAll(journal: LmdbJournal | MemoryJournal, run: number, appends: readonly { actor: number; count: number }[]): Promise<unknown[][]> {
  const heads = new Map<string, number>();
  const written: unknown[][] = [];
  for (const { actor, count } of appends) {
    const actorId = `feed${run}:${actor}`;
    const head = heads.get(actorId) ?? 0;
    const events = Array.from({ length: count }, (_, i) => ({ type: 'noted', data: { actorId, seq: head + 1 + i, amount: BigInt(head + i) * 10n ** 18n } }));
    await journal.append({ actorId, expectedSeq: head, events, indexWrites: [] }).durable;
    heads.set(actorId, head + count);
    written.push(events);
  }
  return written;
}

for (const kind of ['LMDB', 'in-memory'] as const) {
  t.test(`given appends of several actors on the ${kind} journal, when the feed reads the log, then each entry carries exactly its own append's events`, async (t) => {
    const dir = tempDir(t, 'fundcore-log-feed-');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(appendsArbitrary, async (appends) => {
        const journal = kind === 'LMDB' ? new LmdbJournal({ path: join(dir, `journal-${run}`) }) : new MemoryJournal();
        try {
          const written = await appendAll(journal, run++, appends);
          const entries = new JournalLogFeed(journal).entriesAfter(0, Number.POSITIVE_INFINITY);
          t.strictSame(
            entries.map((entry) => entry.events),
            written,
          );
          return entries.length === appends.length;
        } finally {
          await journal.close();
        }
      }),
      { numRuns: 40 },
    );
  });
}

t.test('given a journal whose record at an entry does not hold exactly its events, when the feed reads the entry, then it reads them event by event', async (t) => {
  const journal = new LmdbJournal({ path: join(tempDir(t, 'fundcore-log-feed-'), 'journal') });
  t.teardown(() => journal.close());
  const [first, second] = await appendAll(journal, 0, [
    { actor: 0, count: 2 },
    { actor: 0, count: 3 },
  ]);
  const entries = [...journal.readLog(1)] as LogEntry[];
  // A record longer than its entry (say, appends merged by an upgrade): only the entry's count is the entry's.
  const merged: JournalReader = Object.assign(Object.create(journal) as LmdbJournal, { appendedEvents: () => [...(first ?? []), ...(second ?? [])] });
  t.strictSame(eventsOfEntry(merged, entries[0] as LogEntry), first, 'the first entry: its two events, not five');
  // No record starts at the entry: read from the record that holds it.
  const missing: JournalReader = Object.assign(Object.create(journal) as LmdbJournal, { appendedEvents: () => undefined });
  t.strictSame(eventsOfEntry(missing, entries[1] as LogEntry), second, 'the second entry: read event by event');
});
