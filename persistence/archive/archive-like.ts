import { addMonths } from '../../core/calendar/business-date.js';
import type { ReadDatabase, ReadModel } from '../projections/read-model.js';
import { archiveEndedBefore, removeOlderThan } from './archiver.js';

/**
 * Archives read models rebuilt from the journal as far as the live ones were archived, and
 * removes what retention removed there: the two then compare row for row (a rebuild alone
 * holds every record hot). The live cutoff is the month after the last one archived:
 * records cannot end in a month already past, so the same records move.
 */
export async function archiveLike(live: ReadDatabase, rebuilt: ReadModel): Promise<void> {
  const last = (live.prepare("select max(month) as month from (select month from archive_months union all select month from archived_totals)").get() as { month: string | null }).month;
  if (last !== null) await archiveEndedBefore(rebuilt, addMonths(`${last}-01`, 1));
  const removed = live.prepare('select removed_before as day from archive_removed where id = 1').get() as { day: string } | undefined;
  if (removed !== undefined) removeOlderThan(rebuilt, removed.day, Date.parse(`${removed.day}T00:00:00Z`));
}
