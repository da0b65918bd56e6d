import type { ReadModel } from '../projections/read-model.js';
import { archiveEndedBefore, removeOlderThan, type ArchiveRun, type RetentionRun } from './archiver.js';

/** What one archiving turn is to do (archive-service.ts decides it from the business date and the configuration). */
export interface ArchivePlan {
  /** Ended records before this day (a month's first) leave the hot read models; null: none. */
  readonly endedBefore: string | null;
  /** Archived months and audit rows before this day (a month's first, at this instant) are removed; null: kept for good. */
  readonly removeBefore: { readonly day: string; readonly atMs: number } | null;
}

export interface ArchiveOutcome {
  readonly archived: ArchiveRun | null;
  readonly removed: RetentionRun | null;
}

/** Runs a plan on the read models, in their writer (the read side's thread or worker), in steps between which projection goes on. */
export async function runArchivePlan(model: ReadModel, plan: ArchivePlan): Promise<ArchiveOutcome> {
  const archived = plan.endedBefore === null ? null : await archiveEndedBefore(model, plan.endedBefore);
  const removed = plan.removeBefore === null ? null : removeOlderThan(model, plan.removeBefore.day, plan.removeBefore.atMs);
  return { archived, removed };
}
