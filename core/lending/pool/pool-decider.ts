import type { Decider } from '../../decider.js';
import { assertNever } from '../../rejection.js';
import type { LendingRejectionCode } from '../rejections.js';
import { decidePool } from './decide-pool.js';
import { evolvePool } from './evolve-pool.js';
import { initialPoolShardState, type PoolCommand, type PoolEvent, type PoolShardState, type PullBackAnswer, type ReservationReply } from './pool.js';

/** What a shard answers: to reserve, the pieces; to a pull-back, its answer; to the others, what they settled. */
export type PoolReply =
  | ReservationReply
  | { readonly capitalId: string }
  | { readonly group: string }
  | { readonly loanId: string; readonly settled: boolean }
  | { readonly key: string; readonly settled: boolean }
  | PullBackAnswer
  | null;

/**
 * From the command and the events alone. A recorded answer (a redelivered reserve or
 * pull-back) restates the first one: the events are empty then and the command carries
 * what was recorded.
 */
function replyOf(_state: PoolShardState, command: PoolCommand, events: readonly PoolEvent[]): PoolReply {
  switch (command.type) {
    case 'reserve': {
      const answered = events[0];
      const pieces = answered?.type === 'reservation_answered' ? answered.data.pieces : (command.data.recorded ?? []);
      return { requestNo: command.data.requestNo, pieces };
    }
    case 'add_capital':
      return { capitalId: command.data.capital.id };
    case 'add_capitals':
      return { group: command.data.group };
    case 'confirm_reservations':
    case 'release_reservations':
      return { loanId: command.data.loanId, settled: events.length > 0 };
    case 'settle_transfer':
      return { key: command.data.key, settled: events.length > 0 };
    case 'pull_back_investment': {
      const pulled = events[0];
      return pulled?.type === 'capital_pulled_back' ? pulled.data.answer : command.data.recorded;
    }
    default:
      return assertNever(command, 'pool command');
  }
}

/** A pool shard as one decider. Its first state depends on its shard number: the actor gives it (`initialStateOf`). */
export const poolDecider: Decider<PoolShardState, PoolCommand, PoolEvent, LendingRejectionCode, PoolReply> = {
  initialState: initialPoolShardState(0),
  decide: decidePool,
  evolve: evolvePool,
  reply: replyOf,
};
