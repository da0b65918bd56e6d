import { flowOfEvent, type InterestFlow } from '../../core/lending/interest-pool/interest-pool.js';
import type { InterestPoolShardEvent } from '../../core/lending/interest-pool/interest-pool-shard.js';
import { assertNever } from '../../core/rejection.js';
import { postingDay } from './business-day.js';
import type { ProjectedEntry, Projector } from './projector.js';
import { prepared, type ReadDatabase } from './read-model.js';

/**
 * Every investor's interest pool (利息池) and its flows, typed with the seed's codes (11
 * repayment … 22 redemption use), each dated on the business day the cut rule gives it — so
 * an investor's statement and a closed day read the same flows. From the events alone: each
 * flow carries the balance after it, so a pool's row is set from its last flow and its
 * totals move by the flow's amount; no state of the pool is evolved here.
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
  stateless: true,
  initialState: () => null,
  evolve: () => null,
  project(db, entry) {
    for (const event of entry.events as InterestPoolShardEvent[]) projectInterestPoolEvent(db, entry, event);
  },
};

function projectInterestPoolEvent(db: ReadDatabase, entry: ProjectedEntry, event: InterestPoolShardEvent): void {
  const investor = event.data.investor;
  switch (event.type) {
    case 'interest_credited':
    case 'interest_used':
    case 'interest_reinvested':
      return projectFlow(db, entry, investor, flowOfEvent(event) as InterestFlow, event.type === 'interest_reinvested' ? 1n : 0n);
    case 'reinvest_switched':
      ensurePool(db, investor);
      prepared(db, 'update interest_pools set reinvest_on = ? where investor = ?').run(event.data.on ? 1n : 0n, investor);
      return;
    case 'reinvest_held':
    case 'reinvest_released':
      // The switch as set stays what the row shows; holds are the actor's (the interest-pool route answers them).
      return ensurePool(db, investor);
    case 'interest_pool_adopted':
      // A shard took over a per-investor actor's pool: its rows came from that actor's events.
      return ensurePool(db, investor);
    default:
      return assertNever(event, 'interest pool event');
  }
}

/** A pool's row exists from its first event on, as the initial state has it (reinvest on). */
function ensurePool(db: ReadDatabase, investor: string): void {
  prepared(db, 'insert or ignore into interest_pools values (?, 0, 1, 0, 0, 0)').run(investor);
}

/** The pool's row, created at its first flow as the initial state has it (reinvest on), moved by the flow: one statement. */
function projectFlow(db: ReadDatabase, entry: ProjectedEntry, investor: string, flow: InterestFlow, reinvested: bigint): void {
  const credit = flow.amount > 0n ? flow.amount : 0n;
  const debit = flow.amount < 0n ? -flow.amount : 0n;
  prepared(db,
    `insert into interest_pools values (?, ?, 1, ?, ?, ?) on conflict(investor) do update set balance = excluded.balance,
      credited = credited + excluded.credited, debited = debited + excluded.debited, reinvestments = reinvestments + excluded.reinvestments`,
  ).run(investor, flow.balanceAfter, credit, debit, reinvested);
  const day = postingDay(db, entry.partition, entry.position, entry.businessDate ?? flow.on, flow.at);
  prepared(db, 'insert into interest_flows values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    investor, BigInt(flow.seq), flow.flowId, flow.kind, BigInt(flow.code), flow.amount, flow.balanceAfter, flow.ref, flow.on, BigInt(flow.at), day,
  );
}
