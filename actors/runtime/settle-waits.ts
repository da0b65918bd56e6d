import type { ActorBehavior, ActorReply, Handled } from './behavior.js';
import { withFields } from '../../core/with-fields.js';

/** Asks the actor to answer once its saga has settled (or after the hold ends): `await_settled`. */
export const awaitSettledMessage = { type: 'await_settled' } as const;
const settleWaitOver = { type: 'settle_wait_over' } as const;

const typeOf = (message: unknown) => (message as { type?: unknown }).type;

export interface SettleWaitSpec<State> {
  /** True when an `await_settled` is answered at once: the saga settled, or there is nothing to wait for. */
  readonly answersNow: (state: State) => boolean;
  /** The query whose answer an `await_settled` gets (e.g. get_investment). */
  readonly answerQuery: unknown;
  /** The longest an `await_settled` is held before it is answered with the unsettled state. */
  readonly holdMs: number;
}

/**
 * A bounded wait for a saga, kept by the actor itself: `await_settled` is held unanswered
 * (in memory; the asker still owes it) until a batch leaves the actor settled, or `holdMs`
 * passes. A caller on any node waits the same way, with no commit listener in its process.
 */
export function withSettleWaits<State, Event>(behavior: ActorBehavior<State, Event>, spec: SettleWaitSpec<State>): ActorBehavior<State, Event> {
  const answer = (state: State): ActorReply => behavior.query(state, spec.answerQuery, []);
  return {
    ...behavior,
    handle(state, message, lookup, at, held): Handled<Event> {
      if (typeOf(message) === awaitSettledMessage.type) return spec.answersNow(state) ? { events: [], reply: answer(state) } : { events: [], reply: null };
      if (typeOf(message) === settleWaitOver.type) return { events: [], reply: { ok: true, value: null }, releaseHeld: () => answer(state) };
      const handled = behavior.handle(state, message, lookup, at, held);
      if (held.length === 0 || handled.events.length === 0) return handled;
      const after = handled.events.reduce(behavior.evolve, state);
      return spec.answersNow(after) ? withFields(handled, { releaseHeld: () => answer(after) }) : handled;
    },
    holdDelayMs: () => spec.holdMs,
    releaseHeldMessage: () => settleWaitOver,
  };
}
