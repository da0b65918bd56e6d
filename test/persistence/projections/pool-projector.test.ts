import t from 'tap';
import type { PoolEvent } from '../../../core/lending/pool/pool.js';
import { poolProjector } from '../../../persistence/projections/pool-projector.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel, prepared } from '../../../persistence/projections/read-model.js';
import { capital } from '../../core/lending/fixtures.js';

const rowsOf = (model: ReadModel) => ({
  capitals: prepared(model.db, 'select id, shard, principal, matched, reserved, status from capitals order by id').all(),
  flows: prepared(model.db, 'select capital_id, day, delta from capital_flows order by capital_id, position').all(),
});

function projected(events: readonly PoolEvent[]): ReturnType<typeof rowsOf> {
  const model = new ReadModel(':memory:', allProjectors);
  try {
    events.forEach((event, i) =>
      poolProjector.project(model.db, { position: i + 1, partition: 0, actorId: 'pool:3', firstSeq: i + 1, businessDate: '2030-01-02', events: [event], causes: [], at: 0, before: null, after: null }),
    );
    return rowsOf(model);
  } finally {
    model.close();
  }
}

t.test('given a group of capitals added as one, when projected, then the rows are those of the same capitals added one by one', async (t) => {
  const [a, b] = [capital('cap-a', 1), capital('cap-b', 2, { property: 'interest' })];
  const reserved: PoolEvent = { type: 'reservation_answered', data: { loanId: 'L1', requestNo: 1, pieces: [{ capitalId: 'cap-b', investmentId: 'i1', investor: 'alice', shard: 3, amount: 40_00n, property: 'interest', source: 'new', investRepayDate: '2031-01-01' }] } };
  const together = projected([{ type: 'capitals_added', data: { group: 'L1:r1', capitals: [a, b] } }, reserved]);
  const alone = projected([{ type: 'capital_added', data: { capital: a } }, { type: 'capital_added', data: { capital: b } }, reserved]);
  t.same(together.capitals, alone.capitals);
  t.same(together.capitals, [
    { id: 'cap-a', shard: 3n, principal: 100_00n, matched: 0n, reserved: 0n, status: 'normal' },
    { id: 'cap-b', shard: 3n, principal: 100_00n, matched: 0n, reserved: 40_00n, status: 'normal' },
  ]);
  t.same(together.flows, [
    { capital_id: 'cap-a', day: '2030-01-02', delta: 100_00n },
    { capital_id: 'cap-b', day: '2030-01-02', delta: 100_00n },
  ], 'each capital\'s money at the investor\'s bank account, from the day it arrived');
});
