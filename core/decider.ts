import type { Rejection } from './rejection.js';

/**
 * One aggregate's rules: what a command decides (events, or a rejection with a typed code),
 * how an event changes the state, and what the sender hears back. Pure: time, ids and
 * everything looked up elsewhere come in with the command. The actor runtime runs any
 * decider the same way (actors/runtime/decider-behavior.ts).
 */
export interface Decider<State, Command, Event, Code extends string, Reply> {
  readonly initialState: State;
  decide(state: State, command: Command): readonly Event[] | Rejection<Code>;
  evolve(state: State, event: Event): State;
  /**
   * The answer to an accepted command, from the state after its events; `events` is empty
   * for a duplicate, whose answer restates the first one from the state.
   */
  reply(stateAfter: State, command: Command, events: readonly Event[]): Reply;
}
