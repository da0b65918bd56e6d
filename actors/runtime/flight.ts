import type { IndexWrite } from '../../persistence/journal.js';
import type { ActorReply } from './behavior.js';
import type { CauseRun } from './cause.js';
import type { Envelope } from './actor-cell.js';
import type { CausedDelivery } from './relay.js';

/** A message of a batch and its reply ('query': answered from the state the batch leaves, once durable). */
export interface Decided {
  readonly envelope: Envelope;
  readonly reply: ActorReply | 'query';
}

/** Held messages answered together by a message that releases them. */
export interface Release {
  readonly envelopes: readonly Envelope[];
  readonly replyFor: (message: unknown) => ActorReply;
}

/** What deciding a batch's messages made: its events, what they oblige, and the state they leave. */
export interface DecidedBatch<State, Event> {
  readonly replies: Decided[];
  readonly events: Event[];
  readonly indexWrites: IndexWrite[];
  readonly deliveries: CausedDelivery[];
  readonly causes: CauseRun[];
  readonly releases: Release[];
  held: Envelope[];
  tentative: State;
}

/**
 * A batch journaled and not yet durable. An actor whose behavior pipelines its appends may
 * decide its next batch on this one's state meanwhile (`pipelined`); the journal lands its
 * appends in order, so a batch after one that does not land does not land either.
 */
export interface Flight<State, Event> {
  readonly number: number;
  readonly position: number | null;
  /** The actor's seq once the batch is durable. */
  readonly seqEnd: number;
  readonly events: readonly Event[];
  readonly writes: readonly IndexWrite[];
  readonly deliveries: readonly CausedDelivery[];
  /** The replies still to send once durable (those answered once issued are gone). */
  readonly replies: readonly Decided[];
  readonly releases: readonly Release[];
  readonly held: readonly Envelope[];
  readonly stateAfter: State;
  readonly wakeAt: number | null;
  readonly issuedAtMs: number;
  readonly pipelined: boolean;
  /** Resolves once the batch is durable; rejects if it did not land (or its outcome is unknown). */
  readonly landing: Promise<unknown>;
  /** Resolves once what landing obliges is done (committed and replied, or failed and recovered). */
  settled: Promise<void>;
}
