import type { BankOrderEvent } from '../../core/bank/events.js';
import { evolveBankOrder } from '../../core/bank/evolve-bank-order.js';
import { initialBankOrderState, type BankOrderState } from '../../core/bank/bank-order.js';
import { fullyMatchedCapital, type Capital } from '../../core/lending/capital.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import { evolveLoan } from '../../core/lending/loan/evolve-loan.js';
import { assertLoanInvariants } from '../../core/lending/loan/loan-invariants.js';
import { initialLoanState, type LoanState } from '../../core/lending/loan/loan.js';
import { evolvePool } from '../../core/lending/pool/evolve-pool.js';
import { assertPoolShard } from '../../core/lending/pool/pool-invariants.js';
import { initialPoolShardState, type PoolEvent, type PoolShardState } from '../../core/lending/pool/pool.js';
import type { JournalReader } from '../../persistence/journal.js';

export interface LendingAudit {
  readonly shards: PoolShardState[];
  readonly capitals: Map<string, Capital>;
  readonly loans: Map<string, LoanState>;
  readonly orders: Map<string, BankOrderState>;
}

function replay<S, E>(journal: JournalReader, actorId: string, evolve: (state: S, event: E) => S, initial: S): S {
  let state = initial;
  for (const { event } of journal.readEvents(actorId, 1)) state = evolve(state, event as E);
  return state;
}

/**
 * The lending books as the journal alone tells them (a consistent cut, read in one pass):
 * every pool shard, loan and bank order replayed from its events, with the deep invariants
 * checked on each — what a crash would leave.
 */
export function auditLending(journal: JournalReader, shards: number, loanIds: readonly string[], orderNos: readonly string[], claimsMax: number): LendingAudit {
  const shardStates: PoolShardState[] = [];
  const capitals = new Map<string, Capital>();
  for (let shard = 0; shard < shards; shard++) {
    const added = new Map<string, Capital>();
    const evolve = (state: PoolShardState, event: PoolEvent) => {
      if (event.type === 'capital_added') added.set(event.data.capital.id, event.data.capital);
      if (event.type === 'capitals_added') for (const capital of event.data.capitals) added.set(capital.id, capital);
      return evolvePool(state, event);
    };
    const state = replay<PoolShardState, PoolEvent>(journal, `pool:${shard}`, evolve, initialPoolShardState(shard));
    assertPoolShard(state);
    shardStates.push(state);
    // A shard keeps only its live capitals: every other one it was given must be fully matched
    // (the callers compare each capital with its claims, which would show one that is not).
    for (const [id, first] of added) capitals.set(id, state.capitals.get(id) ?? { ...fullyMatchedCapital(first), arrival: first.arrival });
  }
  const loans = new Map<string, LoanState>();
  for (const id of loanIds) {
    if (journal.headSeq(`loan:${id}`) === 0) continue;
    const state = replay<LoanState, LoanEvent>(journal, `loan:${id}`, evolveLoan, initialLoanState);
    assertLoanInvariants(state, claimsMax);
    loans.set(id, state);
  }
  const orders = new Map<string, BankOrderState>();
  for (const orderNo of orderNos) {
    if (journal.headSeq(`bank:${orderNo}`) === 0) continue;
    orders.set(orderNo, replay<BankOrderState, BankOrderEvent>(journal, `bank:${orderNo}`, evolveBankOrder, initialBankOrderState));
  }
  return { shards: shardStates, capitals, loans, orders };
}
