import type { Test } from 'tap';
import { isRejection, type Rejection } from '../../../core/rejection.js';

const show = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v] : v));

/**
 * given(events).when(command).then(events) — or .rejects(code) — for any decider
 * `decide(state, command) → events | rejection` with `evolve(state, event) → state`.
 */
export function deciderOf<State, Command, Event>(decide: (state: State, command: Command) => readonly Event[] | Rejection, evolve: (state: State, event: Event) => State, initial: State) {
  return (...events: Event[]) => {
    // A copy each time: a decider may evolve its state in place (a pool shard does).
    const state = events.reduce(evolve, structuredClone(initial));
    return {
      state,
      when(command: Command) {
        const decision = decide(state, command);
        let after: State | undefined;
        return {
          decision,
          /** The state after the decided events (the decision must be accepted); evolved once, from a copy. */
          get after(): State {
            if (isRejection(decision)) throw new Error(`rejected: ${decision.code}`);
            after ??= decision.reduce(evolve, structuredClone(state));
            return after;
          },
          then(t: Test, expected: readonly Event[], message?: string) {
            t.same(decision, expected, message ?? 'the expected events');
          },
          /** The decision accepted with events of these types, in order. */
          emits(t: Test, types: readonly string[], message?: string) {
            t.same(isRejection(decision) ? `rejected: ${decision.code}` : decision.map((e) => (e as { type: string }).type), types, message ?? types.join(', '));
          },
          rejects(t: Test, code: string, message?: string) {
            t.equal(isRejection(decision) ? decision.code : `accepted: ${show(decision)}`, code, message ?? code);
          },
        };
      },
    };
  };
}
