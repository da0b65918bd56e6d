import t from 'tap';
import type { InterestFlow } from '../../../core/lending/interest-pool/interest-pool.js';
import type { InterestPoolShardEvent } from '../../../core/lending/interest-pool/interest-pool-shard.js';
import { interestPoolProjector } from '../../../persistence/projections/interest-pool-projector.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel, prepared } from '../../../persistence/projections/read-model.js';

const flow = (seq: number, amount: bigint, balanceAfter: bigint, kind: InterestFlow['kind'] = 'repayment', code: InterestFlow['code'] = 11): InterestFlow => ({
  seq,
  flowId: `f${seq}`,
  kind,
  code,
  amount,
  balanceAfter,
  ref: `ref${seq}`,
  on: '2030-01-02',
  at: 1_000 + seq,
});

const credited = (investor: string, f: InterestFlow): InterestPoolShardEvent => ({ type: 'interest_credited', data: { investor, flow: f, anchor: null } }) as InterestPoolShardEvent;
const used = (investor: string, f: InterestFlow): InterestPoolShardEvent => ({ type: 'interest_used', data: { investor, flow: f } }) as InterestPoolShardEvent;
const reinvested = (investor: string, f: InterestFlow): InterestPoolShardEvent =>
  ({ type: 'interest_reinvested', data: { investor, flow: f, capital: {} as never, shard: 0 } }) as InterestPoolShardEvent;
const switched = (investor: string, on: boolean): InterestPoolShardEvent => ({ type: 'reinvest_switched', data: { investor, on, at: 0 } }) as unknown as InterestPoolShardEvent;

t.test('given credits, uses and a reinvestment of two investors, when projected, then each pool row holds the last balance, the totals moved by each flow and the switch as last set', async (t) => {
  const model = new ReadModel(':memory:', allProjectors);
  t.teardown(() => model.close());
  const events = [
    credited('alice', flow(1, 40_00n, 40_00n)),
    credited('bob', flow(1, 5_00n, 5_00n)),
    switched('bob', false),
    credited('alice', flow(2, 70_00n, 110_00n)),
    reinvested('alice', flow(3, -100_00n, 10_00n, 'reinvest', 21)),
    used('bob', flow(2, -3_00n, 2_00n, 'redemption_use', 22)),
    credited('bob', flow(3, 1_00n, 3_00n)),
  ];
  events.forEach((event, i) => interestPoolProjector.project(model.db, { position: i + 1, partition: 0, actorId: 'ipool:@0', firstSeq: i + 1, businessDate: '2030-01-02', events: [event], causes: [], at: 0, before: null, after: null }));
  const rows = prepared(model.db, 'select investor, balance, reinvest_on, credited, debited, reinvestments from interest_pools order by investor').all();
  t.same(rows, [
    { investor: 'alice', balance: 10_00n, reinvest_on: 1n, credited: 110_00n, debited: 100_00n, reinvestments: 1n },
    { investor: 'bob', balance: 3_00n, reinvest_on: 0n, credited: 6_00n, debited: 3_00n, reinvestments: 0n },
  ]);
  t.equal((prepared(model.db, 'select count(*) as n from interest_flows').get() as { n: bigint }).n, 6n, 'every flow has its row (the switch is none)');
});
