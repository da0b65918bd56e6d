import type { Cause } from '../../core/audit/cause.js';
import type { Decider } from '../../core/decider.js';
import { isRejection } from '../../core/rejection.js';
import type { IndexWrite } from '../../persistence/journal.js';
import type { ActorBehavior, ActorReply, Delivery, Handled, IndexLookup } from './behavior.js';

/** What the actor adds to a message to make it a command: the time, its look-ups, and its state (keys some commands look up by). */
export interface CommandContext<State = unknown> {
  readonly at: number;
  readonly lookup: IndexLookup;
  readonly state: State;
}

/**
 * How an actor type runs a decider: which messages are queries and how they are answered,
 * how a message becomes a command, and what its events oblige (index writes, deliveries,
 * wake-ups). Everything else is the decider's.
 */
export interface DeciderActorSpec<State, Message, Command, Event, Code extends string, Reply> {
  readonly type: string;
  readonly decider: Decider<State, Command, Event, Code, Reply>;
  /** Snapshot with every append (an actor whose events are large and whose state is small). */
  readonly snapshotEveryAppend?: boolean;
  /** The first state of one actor of the type, when it depends on the actor's id (a pool shard's number); the decider's otherwise. */
  initialStateOf?(actorId: string): State;
  /** Narrows a message to a query (answered from the committed state, never journaled). */
  isQuery(message: Message): boolean;
  query(state: State, message: Message): ActorReply;
  commandOf(message: Message, context: CommandContext<State>): Command;
  /** See Handled.causes: who each of the command's events is on behalf of (absent: the message's cause for all). */
  eventCausesOf?(message: Message, events: readonly Event[]): readonly (Cause | null)[] | undefined;
  indexWritesOf?(actorId: string, event: Event, stateAfter: State): readonly IndexWrite[];
  deliveriesOf?(actorId: string, event: Event): readonly Delivery[];
  wakeAt?(state: State): number | null;
  wakeMessage?(): Message;
  assertInvariants?(state: State, depth: 'cheap' | 'deep'): void;
  /** See ActorBehavior.snapshotWeight. */
  snapshotWeight?(state: State): number;
  /** See ActorBehavior.recovered. */
  recovered?(state: State): State;
  /** See ActorBehavior.cellIdOf. */
  cellIdOf?(actorId: string): string;
  /** See ActorBehavior.upgradeSnapshot. */
  upgradeSnapshot?(state: State): State;
}

/** A decider's reply; a rejection there is a refusal that was recorded (a ledger transfer's), answered as one. */
function answerOf(value: unknown): ActorReply {
  return isRejection(value) ? { ok: false, code: value.code, detail: value.detail } : { ok: true, value };
}

/**
 * The one adapter between the runtime and a decider: decide → (runtime: evolve, journal,
 * await durable) → reply. A rejection journals nothing and answers its code.
 */
export function deciderBehavior<State, Message, Command, Event, Code extends string, Reply>(
  spec: DeciderActorSpec<State, Message, Command, Event, Code, Reply>,
): ActorBehavior<State, Event> {
  const { decider } = spec;
  return {
    type: spec.type,
    ...(spec.snapshotEveryAppend !== undefined ? { snapshotEveryAppend: spec.snapshotEveryAppend } : {}),
    initialState: (actorId) => spec.initialStateOf?.(actorId) ?? decider.initialState,
    isQuery: (message) => spec.isQuery(message as Message),
    query: (state, message) => spec.query(state, message as Message),
    handle(state, message, lookup, at): Handled<Event> {
      const command = spec.commandOf(message as Message, { at, lookup, state });
      const decision = decider.decide(state, command);
      if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
      // Answered from the state the runtime evolves anyway: no copy evolved here just to reply.
      const reply = (after: unknown) => answerOf(decider.reply(after as State, command, decision));
      const causes = spec.eventCausesOf?.(message as Message, decision);
      return causes === undefined ? { events: decision, reply } : { events: decision, reply, causes };
    },
    evolve: decider.evolve,
    indexWritesOf: (actorId, event, after) => spec.indexWritesOf?.(actorId, event, after) ?? [],
    deliveriesOf: (actorId, event) => spec.deliveriesOf?.(actorId, event) ?? [],
    wakeAt: (state) => spec.wakeAt?.(state) ?? null,
    wakeMessage: () => spec.wakeMessage?.() ?? null,
    assertInvariants: (state, depth) => spec.assertInvariants?.(state, depth),
    ...(spec.recovered !== undefined ? { recovered: spec.recovered } : {}),
    ...(spec.cellIdOf !== undefined ? { cellIdOf: spec.cellIdOf } : {}),
    ...(spec.upgradeSnapshot !== undefined ? { upgradeSnapshot: spec.upgradeSnapshot } : {}),
    ...(spec.snapshotWeight !== undefined ? { snapshotWeight: spec.snapshotWeight } : {}),
  };
}
