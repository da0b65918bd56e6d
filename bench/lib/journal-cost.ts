import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import type { Journal } from '../../persistence/journal.js';
import { deviceWritesWindow } from './device-writes.js';
import { round } from './stats.js';

/** Per operation (a transfer, a payment) over a measured window: what the journal did for it, and what the disk wrote. */
export interface JournalCost {
  /** Journal appends (log entries): what each append's fixed cost multiplies. */
  readonly appendsPerOp: number;
  /** Operations per LMDB commit (each commit waits for its fsync); null off LMDB. */
  readonly opsPerCommit: number | null;
  /** KiB the journal's device wrote per commit and per operation (the whole device: the bench runs one case at a time); null where the kernel does not say. */
  readonly deviceKiBPerCommit: number | null;
  readonly deviceKiBPerOp: number | null;
}


/** Starts a window over `journal` (at `path` on disk); the returned function closes it over `operations`. */
export function journalCostWindow(journal: Journal, path: string): (operations: number) => JournalCost {
  const lmdb = journal instanceof LmdbJournal ? journal : null;
  const logBefore = journal.lastLogPosition();
  const commitsBefore = lmdb?.commitsSoFar() ?? null;
  const writtenSince = deviceWritesWindow(path);
  return (operations) => {
    const per = Math.max(operations, 1);
    const commits = lmdb === null || commitsBefore === null ? null : Math.max(lmdb.commitsSoFar() - commitsBefore, 1);
    const written = writtenSince();
    return {
      appendsPerOp: round((journal.lastLogPosition() - logBefore) / per),
      opsPerCommit: commits === null ? null : round(operations / commits, 1),
      deviceKiBPerCommit: written === null || commits === null ? null : Math.round(written / commits),
      deviceKiBPerOp: written === null ? null : round(written / per, 1),
    };
  };
}

/** The cost's known figures, named per transfer (the bench's result fields). */
export function perTransfer(cost: JournalCost): Record<string, number> {
  return {
    appendsPerTransfer: cost.appendsPerOp,
    ...(cost.opsPerCommit === null ? {} : { transfersPerCommit: cost.opsPerCommit }),
    ...(cost.deviceKiBPerCommit === null ? {} : { deviceKiBPerCommit: cost.deviceKiBPerCommit }),
    ...(cost.deviceKiBPerOp === null ? {} : { deviceKiBPerTransfer: cost.deviceKiBPerOp }),
  };
}

/** The same, named per payment (the repayment day's result fields). */
export function perPayment(cost: JournalCost): Record<string, number> {
  return {
    appendsPerPayment: cost.appendsPerOp,
    ...(cost.opsPerCommit === null ? {} : { paymentsPerCommit: cost.opsPerCommit }),
    ...(cost.deviceKiBPerOp === null ? {} : { deviceKiBPerPayment: cost.deviceKiBPerOp }),
  };
}
