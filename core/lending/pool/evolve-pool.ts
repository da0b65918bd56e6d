import { assert, assertNever } from '../../rejection.js';
import type { Capital } from '../capital.js';
import { assertCapital } from './pool-invariants.js';
import type { HeldPiece, PoolEvent, PoolShardState } from './pool.js';

/** The shard after one event; a new state, the given one untouched. Each changed capital is checked where it is written. */
export function evolvePool(state: PoolShardState, event: PoolEvent): PoolShardState {
  switch (event.type) {
    case 'capital_added': {
      const { capital } = event.data;
      assertCapital(capital);
      return { ...state, capitals: new Map(state.capitals).set(capital.id, capital), arrivals: Math.max(state.arrivals, capital.arrival) };
    }
    case 'reservation_answered': {
      const { loanId, pieces } = event.data;
      if (pieces.length === 0) return state;
      const capitals = new Map(state.capitals);
      const held = new Map(state.reservations.get(loanId) ?? []);
      for (const piece of pieces) {
        const capital = mustHave(capitals, piece.capitalId);
        capitals.set(piece.capitalId, checked({ ...capital, reserved: capital.reserved + piece.amount }));
        held.set(piece.capitalId, (held.get(piece.capitalId) ?? 0n) + piece.amount);
      }
      return { ...state, capitals, reservations: new Map(state.reservations).set(loanId, held) };
    }
    case 'reservations_confirmed':
      return settle(state, event.data.loanId, event.data.pieces, (capital, amount) => {
        const matched = capital.matched + amount;
        return { ...capital, reserved: capital.reserved - amount, matched, status: matched === capital.principal ? 'fully_matched' : capital.status };
      });
    case 'reservations_released':
      return settle(state, event.data.loanId, event.data.pieces, (capital, amount) => ({ ...capital, reserved: capital.reserved - amount }));
    case 'reservations_split': {
      const { loanId, confirmed, released } = event.data;
      const pieces = [...confirmed.map((piece) => ({ ...piece, confirm: true })), ...released.map((piece) => ({ ...piece, confirm: false }))];
      const held = state.reservations.get(loanId);
      assert(held !== undefined, `${loanId} holds reservations in shard ${state.shard}`);
      const capitals = new Map(state.capitals);
      for (const piece of pieces) {
        const capital = mustHave(capitals, piece.capitalId);
        const matched = piece.confirm ? capital.matched + piece.amount : capital.matched;
        const status = matched === capital.principal ? 'fully_matched' : capital.status;
        capitals.set(piece.capitalId, checked({ ...capital, reserved: capital.reserved - piece.amount, matched, status }));
      }
      const reservations = new Map(state.reservations);
      reservations.delete(loanId);
      return { ...state, capitals, reservations };
    }
    case 'capital_pulled_back': {
      const capitals = new Map(state.capitals);
      for (const piece of event.data.pieces) {
        const capital = mustHave(capitals, piece.capitalId);
        capitals.set(piece.capitalId, checked({ ...capital, pulledBack: capital.pulledBack + piece.amount, status: 'pulled_back' }));
      }
      return { ...state, capitals, pullBacks: Math.max(state.pullBacks, event.data.pullBackNo) };
    }
    default:
      return assertNever(event, 'pool event');
  }
}

/** The capitals an event may change: what a reader of the shard's changes looks at, instead of every capital. */
export function capitalIdsTouchedBy(event: PoolEvent): readonly string[] {
  switch (event.type) {
    case 'capital_added':
      return [event.data.capital.id];
    case 'reservation_answered':
    case 'reservations_confirmed':
    case 'reservations_released':
    case 'capital_pulled_back':
      return event.data.pieces.map((piece) => piece.capitalId);
    case 'reservations_split':
      return [...event.data.confirmed, ...event.data.released].map((piece) => piece.capitalId);
    default:
      return assertNever(event, 'pool event');
  }
}

function settle(state: PoolShardState, loanId: string, pieces: readonly HeldPiece[], apply: (capital: Capital, amount: bigint) => Capital): PoolShardState {
  const held = state.reservations.get(loanId);
  assert(held !== undefined, `loan ${loanId} holds reservations in shard ${state.shard}`);
  const capitals = new Map(state.capitals);
  for (const piece of pieces) {
    assert(held.get(piece.capitalId) === piece.amount, `loan ${loanId} holds ${piece.amount} of ${piece.capitalId}`);
    capitals.set(piece.capitalId, checked(apply(mustHave(capitals, piece.capitalId), piece.amount)));
  }
  assert(pieces.length === held.size, `every reservation of loan ${loanId} is settled at once`);
  const reservations = new Map(state.reservations);
  reservations.delete(loanId);
  return { ...state, capitals, reservations };
}

function mustHave(capitals: ReadonlyMap<string, Capital>, id: string): Capital {
  const capital = capitals.get(id);
  assert(capital !== undefined, `capital ${id} is in this shard`);
  return capital;
}

function checked(capital: Capital): Capital {
  assertCapital(capital);
  return capital;
}
