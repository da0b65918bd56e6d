import { reject } from '../rejection.js';
import { balanceOf, type AccountState } from './account.js';
import type { SealAccount, SettleSealed, UnsealAccount } from './commands.js';
import { duplicate, type AccountDecision } from './decision.js';
import { settlementMoveId } from './transfer.js';

/**
 * seal_account, from a hot account's close, checked in this order:
 * 1. account_not_found
 * 2. already sealed by this close, or this close already ended here (a late redelivery) → duplicate
 * A closed part is sealed too: a close that was interrupted finds it and goes on.
 */
export function decideSealAccount(state: AccountState, { data }: SealAccount): AccountDecision {
  if (state.info === null) return reject('account_not_found', 'no such account');
  if (state.sealedBy === data.closeNo || data.closeNo <= state.closesEnded) return duplicate;
  return [{ type: 'account_sealed', data: { closeNo: data.closeNo } }];
}

/**
 * unseal_account: 1. account_not_found, 2. this close already ended here → duplicate.
 * Recorded even when the seal has not arrived yet, so that a seal delivered late is stale.
 */
export function decideUnsealAccount(state: AccountState, { data }: UnsealAccount): AccountDecision {
  if (state.info === null) return reject('account_not_found', 'no such account');
  if (data.closeNo <= state.closesEnded) return duplicate;
  return [{ type: 'account_unsealed', data: { closeNo: data.closeNo } }];
}

/**
 * settle_sealed, checked in this order:
 * 1. account_not_found, 2. account_not_sealed (not by this close),
 * 3. account_has_pending_transfers, 4. nothing held → duplicate.
 * The whole balance moves, signed, to the sibling (a sibling_sent, received at least once
 * under a move id of this close's round): the part then holds zero. Inside one sealed
 * account, so never refused for funds; only an account that may overdraw has parts below zero.
 */
export function decideSettleSealed(state: AccountState, { data }: SettleSealed): AccountDecision {
  const { info } = state;
  if (info === null) return reject('account_not_found', 'no such account');
  if (state.sealedBy !== data.closeNo) return reject('account_not_sealed', `sub-account ${info.subIndex} of ${info.id} is not sealed by close ${data.closeNo}`);
  if (state.holds.size > 0) return reject('account_has_pending_transfers', `${state.holds.size} pending transfer(s) still hold funds`);
  const amount = balanceOf(state);
  if (amount === 0n) return duplicate;
  const moveId = settlementMoveId(data.closeNo, data.round, info.subIndex);
  return [{ type: 'sibling_sent', data: { moveId, toSubIndex: data.toSubIndex, amount } }];
}
