import { assert } from '../../rejection.js';
import { availableOfCapital } from '../capital.js';
import { loanIdOfReservationKey } from '../loan/claim-transfer.js';
import type { HeldPiece, PoolCommand, PoolEvent, PoolShardState } from './pool.js';

type Decided = readonly PoolEvent[];

/**
 * settle_transfer (a claim transfer's switch), checked in this order:
 * 1. open reservations under the key → the named amounts become matched, the rest is freed
 *    (asking to confirm more than is held is a bug upstream: it throws)
 * 2. otherwise → duplicate (settled before; the outcome index says so)
 */
export function decideSettleTransfer(state: PoolShardState, { data }: Extract<PoolCommand, { type: 'settle_transfer' }>): Decided {
  const held = state.reservations.get(data.key);
  if (held === undefined) return [];
  const left = new Map(held);
  for (const piece of data.confirmed) {
    const holds = left.get(piece.capitalId) ?? 0n;
    assert(piece.amount > 0n && piece.amount <= holds, `transfer ${data.key} confirms ${piece.amount} of the ${holds} it holds of ${piece.capitalId}`);
    left.set(piece.capitalId, holds - piece.amount);
  }
  const released: HeldPiece[] = [...left].filter(([, amount]) => amount > 0n).map(([capitalId, amount]) => ({ capitalId, amount }));
  return [{ type: 'reservations_split', data: { loanId: data.key, confirmed: data.confirmed, released } }];
}

/**
 * pull_back_investment never refuses; checked in this order:
 * 1. a recorded answer for (redemption, round) here → duplicate (the reply restates it)
 * 2. otherwise every capital of the investment — principal, and interest capital anchored to
 *    it — gives back what it holds unmatched and unreserved (status pulled_back: never
 *    matched again); the answer names the loans still holding reservations on them —
 *    recorded, even when nothing moved
 */
export function decidePullBack(state: PoolShardState, { data }: Extract<PoolCommand, { type: 'pull_back_investment' }>): Decided {
  if (data.recorded !== null) return [];
  const pieces: HeldPiece[] = [];
  let reservedAmount = 0n;
  let pulledBack = 0n;
  let interestPulledBack = 0n;
  const capitalIds = new Set<string>();
  for (const capitalId of state.byInvestment.get(data.investmentId) ?? []) {
    const capital = state.capitals.get(capitalId);
    if (capital === undefined) continue;
    capitalIds.add(capital.id);
    reservedAmount += capital.reserved;
    const available = availableOfCapital(capital);
    if (available === 0n) continue;
    pieces.push({ capitalId: capital.id, amount: available });
    if (capital.property === 'principal') pulledBack += available;
    else interestPulledBack += available;
  }
  const reservedLoans = new Set<string>();
  for (const [key, held] of state.reservations) {
    for (const capitalId of held.keys()) if (capitalIds.has(capitalId)) reservedLoans.add(loanIdOfReservationKey(key));
  }
  const answer = { shard: state.shard, round: data.round, pulledBack, interestPulledBack, reservedAmount, reservedLoans: [...reservedLoans].sort(), tellsBooking: true };
  const { investmentId, investor, redemptionId } = data;
  return [{ type: 'capital_pulled_back', data: { investmentId, investor, redemptionId, pullBackNo: state.pullBacks + 1, pieces, answer } }];
}
