import type { ChainHead } from '../../core/audit/chain-head.js';
import type { Cause } from '../../core/audit/cause.js';
import type { IndexName, IndexWrite } from '../../persistence/journal.js';

/** Every reply an actor gives: a value, or a refusal with its stable code. */
export type ActorReply<Value = unknown> =
  | { readonly ok: true; readonly value: Value }
  | { readonly ok: false; readonly code: string; readonly detail: string };

/** Reads of the journal's indexes as this batch sees them (its own writes included). */
export interface IndexLookup {
  get(index: IndexName, key: string): unknown;
  /** The last sealed link of the hash chain of the asking actor's partition (null: none, or no chain). */
  chainHead?(): ChainHead | null;
}

/** A reply read from the state the message's events leave (the runtime evolves them once). */
export type ReplyFromState = (stateAfter: unknown) => ActorReply;

/** The reply of a handled message, given the state after its events. */
export function replyOf(reply: ActorReply | null | ReplyFromState, stateAfter: unknown): ActorReply | null {
  return typeof reply === 'function' ? reply(stateAfter) : reply;
}

export interface Handled<Event> {
  readonly events: readonly Event[];
  /**
   * The reply — or null to hold the message unanswered: the runtime keeps it (in memory;
   * its sender still owes it, so a crash loses nothing) until a later message releases it —
   * or a function of the state after the events, called once the runtime has evolved them
   * (so no second copy of the state is evolved just to answer).
   */
  readonly reply: ActorReply | null | ReplyFromState;
  /** Answers every held message (those of earlier batches and this one) once this batch is durable. */
  readonly releaseHeld?: (message: unknown) => ActorReply;
  /**
   * Who each event is on behalf of, by position, for a message that carries the orders of
   * several requests (the claims of the single transfers of one turn); null or absent: the
   * message's own cause. Its events' deliveries carry the same cause on.
   */
  readonly causes?: readonly (Cause | null)[];
}

/**
 * A message an event obliges the node to deliver, at least once: the outbox. The relay
 * derives deliveries from journaled events (again after a crash), so receivers dedupe.
 */
export interface Delivery {
  readonly to: string;
  readonly message: unknown;
  /** What to deliver when the receiver refuses for good (e.g. a return to the sender); null: drop it. */
  readonly onRefused: ((code: string, detail: string) => Delivery | null) | null;
  /**
   * What to deliver when the receiver accepts: how a saga continues (the reply goes back to
   * the actor that owes the next step, which journals it). Absent or null: nothing.
   */
  readonly onAccepted?: ((value: unknown) => Delivery | null) | null;
  /**
   * For a message that only says something happened (the same message whichever event
   * obliged it, and idempotent): deliveries to the same receiver with the same key that
   * leave the relay together are asked once, and that one answer is each one's. Absent:
   * every delivery is asked on its own.
   */
  readonly coalesceKey?: string;
  /**
   * Refusals that mean "not yet" (the receiver recorded nothing): the relay asks again later,
   * as it does an unreachable receiver, instead of taking the refusal as the answer.
   */
  readonly retryOnRefusal?: readonly string[];
}

/**
 * An actor type. The runtime runs it as: dequeue → handle (decide) → evolve → journal →
 * await durable → commit state → reply. Everything here is synchronous and deterministic.
 */
export interface ActorBehavior<State = unknown, Event = unknown> {
  /** The prefix of this type's actor ids (`acct` for `acct:W1`). */
  readonly type: string;
  initialState(actorId: string): State;
  /**
   * The actor that serves an address of this type, when many addresses share one actor (an
   * investor's interest pool is served by its partition's shard). It must name an actor of
   * the same type in the same partition (the cluster routes by the address). Absent: itself.
   */
  cellIdOf?(actorId: string): string;
  /**
   * Snapshot with every append (not only every `snapshotEveryEvents`): for an actor whose
   * events are large and whose state is small, so waking it never reads its events back.
   */
  readonly snapshotEveryAppend?: boolean;
  /**
   * How many records a snapshot of this state writes, roughly (its largest collection's
   * size). A snapshot is then taken only once at least that many events came since the last
   * one (and `snapshotEveryEvents` at the least), so writing snapshots costs O(1) per event
   * however large the state grows; recovery replays at most about as many events as the
   * state holds records. Absent: `snapshotEveryEvents`.
   */
  snapshotWeight?(state: State): number;
  /** Read-only messages: answered from the committed state, in mailbox order, never journaled. */
  isQuery(message: unknown): boolean;
  query(state: State, message: unknown, held: readonly unknown[]): ActorReply;
  /**
   * Decides one message against the state so far in this batch; `held` are the messages
   * held unanswered so far, oldest first. Throwing is a bug.
   */
  handle(state: State, message: unknown, lookup: IndexLookup, at: number, held: readonly unknown[]): Handled<Event>;
  evolve(state: State, event: Event): State;
  indexWritesOf(actorId: string, event: Event, stateAfter: State): readonly IndexWrite[];
  deliveriesOf(actorId: string, event: Event): readonly Delivery[];
  /**
   * For an actor that holds messages: the longest it may hold the first one before the
   * runtime sends it `releaseHeldMessage()` (in memory, like what it holds). Null: never holds.
   */
  holdDelayMs?(state: State): number | null;
  releaseHeldMessage?(): unknown;
  /** When the actor wants its wake message next (epoch ms), or null. */
  wakeAt(state: State): number | null;
  wakeMessage(): unknown;
  /**
   * The state as recovered (snapshot + replay), before it is checked and used: rebuilds what
   * the state derives from itself (indexes over its collections), so a snapshot need not be
   * trusted for them.
   */
  recovered?(state: State): State;
  /**
   * A snapshot's state as an older version of the type wrote it, made this version's before
   * events are replayed on it (after missing fields took their initial values).
   */
  upgradeSnapshot?(state: State): State;
  /** Throws InvariantViolation when the state is impossible. `deep` after replay and snapshot load. */
  assertInvariants(state: State, depth: 'cheap' | 'deep'): void;
}

export function actorTypeOf(actorId: string): string {
  const colon = actorId.indexOf(':');
  return colon < 0 ? '' : actorId.slice(0, colon);
}
