import { reject } from '../rejection.js';
import { availableOf, isClosing, type AccountState } from './account.js';
import type { ReceiveFromSibling, ReleaseToSibling } from './commands.js';
import { duplicate, type AccountDecision } from './decision.js';
import { siblingMoveId, type CreditRecord } from './transfer.js';

/**
 * How much a sub-account gives a short sibling: what it needs, plus a fair share of what
 * this one holds beyond that, so the sibling is topped up ahead of its next debits.
 */
export function releaseAmount(available: bigint, need: bigint, subAccounts: number): bigint {
  if (available <= 0n || need <= 0n) return 0n;
  if (available <= need) return available;
  return need + (available - need) / BigInt(subAccounts);
}

/**
 * release_to_sibling, at a sibling of a short sub-account, checked in this order:
 * 1. account_not_found, 2. sealed by a close, or nothing to give → duplicate (no event;
 *    the reply says 0): a sealed part's balance is what its close counts
 * Never refused otherwise: balancing moves money inside one logical account.
 */
export function decideReleaseToSibling(state: AccountState, { data }: ReleaseToSibling): AccountDecision {
  const info = state.info;
  if (info === null) return reject('account_not_found', 'no such account');
  if (isClosing(state)) return duplicate;
  const amount = releaseAmount(info.overdraft ? 0n : availableOf(state), data.need, info.subAccounts);
  if (amount === 0n) return duplicate;
  return [{ type: 'sibling_sent', data: { moveId: siblingMoveId(data.releaseId), toSubIndex: data.toSubIndex, amount } }];
}

/**
 * receive_from_sibling, delivered at least once: 1. already received → duplicate,
 * 2. account_not_found. A closed sub-account still takes it: the money stays in the account.
 */
export function decideReceiveFromSibling(state: AccountState, { data }: ReceiveFromSibling): AccountDecision {
  if (data.existing !== null) return duplicate;
  const info = state.info;
  if (info === null) return reject('account_not_found', 'no such account');
  const credit: CreditRecord = {
    transferId: data.moveId,
    account: info.id,
    debit: info.id,
    amount: data.amount,
    currency: info.currency,
    reverses: null,
    creditedAt: data.at,
  };
  return [{ type: 'sibling_received', data: { credit } }];
}
