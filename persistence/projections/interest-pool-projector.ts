import { evolveInterestPool } from '../../core/lending/interest-pool/evolve-interest-pool.js';
import { initialInterestPoolState, type InterestPoolState } from '../../core/lending/interest-pool/interest-pool.js';
import { postingDay } from './business-day.js';
import type { Projector } from './projector.js';
import { prepared } from './read-model.js';

/**
 * Every investor's interest pool (利息池) and its flows, typed with the seed's codes (11
 * repayment … 22 redemption use), each dated on the business day the cut rule gives it — so
 * an investor's statement and a closed day read the same flows.
 */
export const interestPoolProjector: Projector = {
  actorType: 'ipool',
  schema: [
    `create table if not exists interest_pools (investor text primary key, balance integer not null, reinvest_on integer not null,
      credited integer not null, debited integer not null, reinvestments integer not null)`,
    `create table if not exists interest_flows (investor text not null, seq integer not null, flow_id text not null, kind text not null,
      code integer not null, amount integer not null, balance_after integer not null, ref text not null, on_date text not null, at integer not null,
      day text not null, primary key (investor, seq))`,
    'create index if not exists interest_flows_by_day on interest_flows(day, investor)',
  ],
  initialState: () => initialInterestPoolState,
  evolve: (state, event) => evolveInterestPool(state as InterestPoolState, event as never),
  project(db, entry) {
    const before = entry.before as InterestPoolState;
    const after = entry.after as InterestPoolState;
    if (after.investor === null) return;
    prepared(db,
      `insert into interest_pools values (?, ?, ?, ?, ?, ?) on conflict(investor) do update set balance = excluded.balance, reinvest_on = excluded.reinvest_on,
        credited = excluded.credited, debited = excluded.debited, reinvestments = excluded.reinvestments`,
    ).run(after.investor, after.balance, after.reinvestOn ? 1n : 0n, after.credited, after.debited, BigInt(after.reinvestments));
    const insert = prepared(db, 'insert into interest_flows values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const flow of after.flows.slice(before.flows.length)) {
      const day = postingDay(db, entry.partition, entry.position, entry.businessDate ?? flow.on, flow.at);
      insert.run(after.investor, BigInt(flow.seq), flow.flowId, flow.kind, BigInt(flow.code), flow.amount, flow.balanceAfter, flow.ref, flow.on, BigInt(flow.at), day);
    }
  },
};
