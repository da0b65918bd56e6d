import type { CauseRun } from '../../core/audit/cause.js';
import type { ReadDatabase } from './read-model.js';

/** One log entry, as a projector sees it: whose events, where in the log, on which business date. */
export interface ProjectedEntry {
  readonly position: number;
  /** The partition of the actor (a cluster's nodes publish per partition; a day's cut is one marker per partition). */
  readonly partition: number;
  readonly actorId: string;
  readonly firstSeq: number;
  readonly businessDate: string | null;
  readonly events: readonly unknown[];
  readonly causes: readonly CauseRun[];
  readonly at: number | null;
  /** The actor's state before and after these events (evolved by the projector's `evolve`). */
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Turns one actor type's log entries into rows. Projectors get the actor's state before and
 * after the entry, so they can write rows from state (robust to new event types) or from the
 * events themselves (facts such as ledger legs). They must be deterministic: a rebuild from
 * the journal writes exactly the same rows.
 */
export interface Projector {
  /** The actor id prefix (`acct`, `loan`, …); `*`: every actor's entries (stateless). */
  readonly actorType: string;
  /** DDL, idempotent (`create … if not exists`). */
  readonly schema: readonly string[];
  /**
   * Rows from the events alone: the runner never evolves or replays a state for this type
   * (before and after are the initial state).
   */
  readonly stateless?: boolean;
  initialState(actorId: string): unknown;
  evolve(state: unknown, event: unknown): unknown;
  project(db: ReadDatabase, entry: ProjectedEntry): void;
}

/** The actor type of a projector that sees every entry. */
export const everyActor = '*';
