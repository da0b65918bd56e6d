import { assert, assertNever, reject, type Rejection } from '../../rejection.js';
import { availableOfCapital, sameCapitalContent, type Capital, type CapitalContent } from '../capital.js';
import type { LendingRejectionCode } from '../rejections.js';
import { decidePullBack, decideSettleTransfer } from './decide-redemption-pool.js';
import { queuedCapitalIds } from './match-queue.js';
import type { HeldPiece, PoolCommand, PoolEvent, PoolShardState, ReservationPiece } from './pool.js';

export type PoolDecision = readonly PoolEvent[] | Rejection<LendingRejectionCode>;

const duplicate: readonly PoolEvent[] = Object.freeze([]);

/** The pool shard decider: one pure function per command. */
export function decidePool(state: PoolShardState, command: PoolCommand): PoolDecision {
  switch (command.type) {
    case 'add_capital':
      return decideAddCapital(state, command);
    case 'add_capitals':
      return decideAddCapitals(state, command);
    case 'reserve':
      return decideReserve(state, command);
    case 'confirm_reservations':
      return decideSettle(state, command, 'confirmed');
    case 'release_reservations':
      return decideSettle(state, command, 'released');
    case 'settle_transfer':
      return decideSettleTransfer(state, command);
    case 'pull_back_investment':
      return decidePullBack(state, command);
    default:
      return assertNever(command, 'pool command');
  }
}

/**
 * add_capital, checked in this order:
 * 1. a capital with this id: same content → duplicate, else id_reused_with_different_content
 * 1a. a capital with this id added before and since fully matched (no longer live; its
 *     content cannot be compared any more: capital ids are derived, never a client's) → duplicate
 * 2. capital_shard_mismatch: the capital was routed to another shard than this one
 */
function decideAddCapital(state: PoolShardState, { data }: Extract<PoolCommand, { type: 'add_capital' }>): PoolDecision {
  const existing = state.capitals.get(data.capital.id);
  if (existing !== undefined) {
    return sameCapitalContent(existing, data.capital) ? duplicate : reject('id_reused_with_different_content', `capital ${data.capital.id} exists with other content`);
  }
  if (data.addedBefore === true) return duplicate;
  if (data.shard !== state.shard) return reject('capital_shard_mismatch', `capital ${data.capital.id} belongs to shard ${data.shard}, not ${state.shard}`);
  return [{ type: 'capital_added', data: { capital: newCapital(data.capital, state.arrivals + 1) } }];
}

/**
 * add_capitals (a group that arrives together), checked in this order:
 * 1. the group was added here before (the index says so) → duplicate
 * 2. capital_shard_mismatch: the group was routed to another shard than this one
 * 3. a capital of the group is live here already → id_reused_with_different_content (a
 *    group's capital ids are derived and unique: one seen before means two groups claim it)
 */
function decideAddCapitals(state: PoolShardState, { data }: Extract<PoolCommand, { type: 'add_capitals' }>): PoolDecision {
  if (data.addedBefore === true) return duplicate;
  if (data.shard !== state.shard) return reject('capital_shard_mismatch', `capital group ${data.group} belongs to shard ${data.shard}, not ${state.shard}`);
  const reused = data.capitals.find((content) => state.capitals.has(content.id));
  if (reused !== undefined) return reject('id_reused_with_different_content', `capital ${reused.id} of group ${data.group} exists already`);
  assert(data.capitals.length > 0 && new Set(data.capitals.map((content) => content.id)).size === data.capitals.length, `group ${data.group} holds capitals, each once`);
  const capitals = data.capitals.map((content, i) => newCapital(content, state.arrivals + 1 + i));
  return [{ type: 'capitals_added', data: { group: data.group, capitals } }];
}

/** A capital as it arrives: nothing matched, reserved or pulled back. */
function newCapital(content: CapitalContent, arrival: number): Capital {
  assert(content.principal > 0n, 'a capital has a positive principal');
  // Field by field, not a spread: only the content's own fields are kept (and a spread of a
  // message's object was 4 % of a repayment day).
  const { id, investmentId, investor, principal, property, source, createdOn, investRepayDate } = content;
  return { id, investmentId, investor, principal, property, source, createdOn, investRepayDate, matched: 0n, reserved: 0n, pulledBack: 0n, status: 'normal', arrival };
}

/**
 * reserve never refuses; checked in this order:
 * 1. a recorded answer for (loan, requestNo) → duplicate (the reply restates it)
 * 2. otherwise reserve up to `amount` from capitals of the requested source that are normal,
 *    have money available and mature after `on`, oldest first (by creation date, then
 *    arrival), at most `piecesMax` pieces — and record the answer, even when it is empty
 */
function decideReserve(state: PoolShardState, { data }: Extract<PoolCommand, { type: 'reserve' }>): PoolDecision {
  if (data.recorded !== null) return duplicate;
  assert(data.amount > 0n && data.piecesMax > 0, 'a reservation asks for a positive amount and at least one piece');
  const pieces: ReservationPiece[] = [];
  let left = data.amount;
  for (const capital of candidatesOf(state, data.source, data.on)) {
    const take = availableOfCapital(capital) < left ? availableOfCapital(capital) : left;
    pieces.push({
      capitalId: capital.id,
      investmentId: capital.investmentId,
      investor: capital.investor,
      shard: state.shard,
      amount: take,
      property: capital.property,
      source: capital.source,
      investRepayDate: capital.investRepayDate,
    });
    left -= take;
    if (left === 0n || pieces.length >= data.piecesMax) break;
  }
  return [{ type: 'reservation_answered', data: { loanId: data.loanId, requestNo: data.requestNo, pieces } }];
}

/**
 * Capitals that may be reserved for a source, oldest first (by creation day, then arrival):
 * read from the source's queue, which is in that order, lazily — a reservation stops after
 * its pieces, so it reads only what it takes and what it must skip (capitals reserved in
 * full by loans still matching, or maturing by `on`).
 */
function* candidatesOf(state: PoolShardState, source: Capital['source'], on: string): Generator<Capital> {
  for (const id of queuedCapitalIds(state.matchQueues, source)) {
    const capital = state.capitals.get(id);
    if (capital !== undefined && capital.status === 'normal' && capital.investRepayDate > on && availableOfCapital(capital) > 0n) yield capital;
  }
}

/**
 * confirm_reservations / release_reservations, checked in this order:
 * 1. open reservations of the loan here → confirm (matched) or release (free again)
 * 2. the loan's reservations here ended the other way → reservations_already_released /
 *    reservations_already_confirmed (a bug upstream; refused, never applied)
 * 3. otherwise → duplicate (already settled this way, or nothing was reserved here)
 */
function decideSettle(
  state: PoolShardState,
  { data }: Extract<PoolCommand, { type: 'confirm_reservations' | 'release_reservations' }>,
  wanted: 'confirmed' | 'released',
): PoolDecision {
  const held = state.reservations.get(data.loanId);
  if (held !== undefined) {
    const pieces: HeldPiece[] = [...held].map(([capitalId, amount]) => ({ capitalId, amount }));
    return [{ type: wanted === 'confirmed' ? 'reservations_confirmed' : 'reservations_released', data: { loanId: data.loanId, pieces } }];
  }
  if (data.outcome !== null && data.outcome !== wanted) {
    return reject(data.outcome === 'confirmed' ? 'reservations_already_confirmed' : 'reservations_already_released', `loan ${data.loanId}'s reservations in shard ${state.shard} were ${data.outcome}`);
  }
  return duplicate;
}
