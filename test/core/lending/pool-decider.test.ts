import t from 'tap';
import { poolDecider } from '../../../core/lending/pool/pool-decider.js';
import { isRejection } from '../../../core/rejection.js';
import { initialPoolShardState, type PoolCommand, type PoolEvent, type PoolShardState } from '../../../core/lending/pool/pool.js';
import { capital, capitalContent, piece } from './fixtures.js';

const added_ = (id: string, arrival: number): PoolEvent => ({ type: 'capital_added', data: { capital: capital(id, arrival) } });
// A fresh first state each time: the shard evolves its state in place, so folding onto the
// decider's shared initialState would change it for every later test.
const stateOf = (...events: PoolEvent[]): PoolShardState => events.reduce(poolDecider.evolve, initialPoolShardState(0));

/** What the shard answers for a command on a state: decided, then replied from the command and the events. */
function answer(state: PoolShardState, command: PoolCommand) {
  const decision = poolDecider.decide(state, command);
  if (isRejection(decision)) throw new Error(decision.code);
  return poolDecider.reply(state, command, decision);
}

const reserve = (recorded: ReturnType<typeof piece>[] | null): PoolCommand => ({
  type: 'reserve',
  data: { loanId: 'L1', requestNo: 7, source: 'new', amount: 30_00n, on: '2030-01-01', piecesMax: 10, recorded },
});

t.test('given a capital, when a reserve is decided, then the reply is its pieces; a redelivery with the recorded answer replies the same and decides nothing', async (t) => {
  const state = stateOf(added_('cap-a', 1));
  const first = answer(state, reserve(null));
  t.same(first, { requestNo: 7, pieces: [piece('cap-a', 30_00n)] });
  t.same(poolDecider.decide(state, reserve([piece('cap-a', 30_00n)])), [], 'the redelivery decides nothing');
  t.same(answer(state, reserve([piece('cap-a', 30_00n)])), first, 'and is answered as the first');
});

t.test('given nothing, when a capital is added or settlements arrive, then the replies name them and say whether anything settled', async (t) => {
  t.same(answer(initialPoolShardState(0), { type: 'add_capital', data: { capital: capitalContent('cap-b'), shard: 0 } }), { capitalId: 'cap-b' });
  t.same(answer(initialPoolShardState(0), { type: 'confirm_reservations', data: { loanId: 'L9', outcome: null } }), { loanId: 'L9', settled: false }, 'nothing held: nothing settled');
  const added = stateOf(added_('cap-c', 1));
  t.same(poolDecider.reply(added, { type: 'add_capital', data: { capital: capitalContent('cap-c'), shard: 0 } }, []), { capitalId: 'cap-c' }, 'a duplicate add is answered as the first');
});
