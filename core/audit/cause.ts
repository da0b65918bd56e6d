/**
 * Who caused a command, kept with the events it produced (the audit trail): the API key's
 * identity (a fingerprint, never the key), `bank` for the bank's callbacks, `system` for
 * timers and what fundcore does on its own; the request that carried it and the client's
 * order id (the command's id), when there was one.
 */
export interface Cause {
  readonly who: string;
  readonly requestId: string | null;
  readonly orderId: string | null;
}

/** A run of `count` consecutive events of one append, all caused by one cause. */
export interface CauseRun extends Cause {
  readonly count: number;
}

export const systemCause: Cause = Object.freeze({ who: 'system', requestId: null, orderId: null });

export function sameCause(a: Cause, b: Cause): boolean {
  return a.who === b.who && a.requestId === b.requestId && a.orderId === b.orderId;
}

/** The runs of an append, one event's cause at a time: consecutive equal causes share a run. */
export function addToRuns(runs: CauseRun[], cause: Cause, count: number): void {
  if (count === 0) return;
  const last = runs[runs.length - 1];
  if (last !== undefined && sameCause(last, cause)) runs[runs.length - 1] = { ...last, count: last.count + count };
  else runs.push({ who: cause.who, requestId: cause.requestId, orderId: cause.orderId, count });
}

/** The cause of the event at `index` of an append with these runs (system when the runs do not say: an append from before the audit trail). */
export function causeAt(runs: readonly CauseRun[], index: number): Cause {
  let end = 0;
  for (const run of runs) {
    end += run.count;
    if (index < end) return run;
  }
  return systemCause;
}
