import { InvariantViolation } from '../../core/rejection.js';
import type { AppendRequest, IndexWrite, Journal, JournalReader, LogEntry } from '../../persistence/journal.js';
import { upgradedSnapshotState } from './actor-cell.js';
import { actorTypeOf, type ActorBehavior } from './behavior.js';

/** Appends issued before their commit is awaited, at most (one group commit). */
export const replayAppendsPerCommitMax = 1_000;

export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

interface Live {
  state: unknown;
  seq: number;
}

/**
 * Carries a later copy's appends into a restored journal, in log order, from after
 * `afterPosition` up to the last one decided at or before `untilMs` (the first one after it
 * ends the replay: what is replayed is a prefix of the log, the state at that instant). Each
 * append is made again as its actor made it — the same events, causes, time and business
 * date — with the index writes and the wake-up its actor type derives from them, so the
 * target's indexes, log and hash chain are its own and consistent. Nothing is decided anew.
 */
export async function replayJournal(source: JournalReader, target: Journal, behaviors: readonly ActorBehavior<any, any>[], range: { readonly afterPosition: number; readonly untilMs: number }): Promise<{ readonly replayed: number; readonly nextAt: number | null }> {
  const byType = new Map(behaviors.map((behavior) => [behavior.type, behavior]));
  const live = new Map<string, Live>();
  let pending: Promise<unknown>[] = [];
  let inBatch = new Set<string>();
  let replayed = 0;
  const flush = async () => {
    await Promise.all(pending);
    pending = [];
    inBatch = new Set();
  };
  for (const entry of source.readLog(range.afterPosition + 1)) {
    if (entry.at === null) throw new ReplayError(`log entry ${entry.position} (${entry.actorId}) has no time (journaled before the audit trail): a point in time cannot be told`);
    if (entry.at > range.untilMs) {
      await flush();
      return { replayed, nextAt: entry.at };
    }
    const behavior = byType.get(actorTypeOf(entry.actorId));
    if (behavior === undefined) throw new ReplayError(`log entry ${entry.position}: no actor type for ${entry.actorId}`);
    // An actor appended to twice in one commit would find its head not yet moved.
    if (inBatch.has(entry.actorId) || pending.length >= replayAppendsPerCommitMax) await flush();
    const actor = live.get(entry.actorId) ?? recovered(target, behavior, entry.actorId);
    live.set(entry.actorId, actor);
    if (actor.seq !== entry.firstSeq - 1) throw new ReplayError(`log entry ${entry.position}: ${entry.actorId} is at seq ${actor.seq} in the restored journal, the entry starts at ${entry.firstSeq} (the copies do not continue each other)`);
    pending.push(target.append(appendOf(source, entry, behavior, actor)).durable);
    inBatch.add(entry.actorId);
    replayed++;
  }
  await flush();
  return { replayed, nextAt: null };
}

/** The append, and the actor's state moved past it. */
function appendOf(source: JournalReader, entry: LogEntry, behavior: ActorBehavior<any, any>, actor: Live): AppendRequest {
  const events: unknown[] = [];
  const indexWrites: IndexWrite[] = [];
  for (const stored of source.readEvents(entry.actorId, entry.firstSeq)) {
    if (events.length >= entry.count) break;
    actor.state = behavior.evolve(actor.state, stored.event);
    indexWrites.push(...behavior.indexWritesOf(entry.actorId, stored.event, actor.state));
    events.push(stored.event);
  }
  if (events.length !== entry.count) throw new ReplayError(`log entry ${entry.position}: ${entry.count} events named, ${events.length} found`);
  indexWrites.push({ index: 'timers', key: entry.actorId, value: behavior.wakeAt(actor.state) });
  const expectedSeq = actor.seq;
  actor.seq += events.length;
  return {
    actorId: entry.actorId,
    expectedSeq,
    events,
    indexWrites,
    causes: entry.causes,
    ...(entry.at !== null ? { at: entry.at } : {}),
    ...(entry.businessDate !== null ? { businessDate: entry.businessDate } : {}),
    ...(entry.epoch !== null ? { epoch: entry.epoch } : {}),
  };
}

/** The actor as the restored journal holds it: its snapshot and the events after it. */
function recovered(journal: JournalReader, behavior: ActorBehavior<any, any>, actorId: string): Live {
  const snapshot = journal.readSnapshot(actorId);
  const initial = behavior.initialState(actorId);
  let state = snapshot === undefined ? initial : upgradedSnapshotState(behavior, initial, snapshot.state);
  let seq = snapshot?.seq ?? 0;
  for (const stored of journal.readEvents(actorId, seq + 1)) {
    if (stored.seq !== seq + 1) throw new InvariantViolation(`journal of ${actorId} skips from seq ${seq} to ${stored.seq}`);
    state = behavior.evolve(state, stored.event);
    seq = stored.seq;
  }
  return { state: behavior.recovered === undefined ? state : behavior.recovered(state), seq };
}
