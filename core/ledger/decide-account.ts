import { reject } from '../rejection.js';
import { balanceOf, type AccountState } from './account.js';
import type { CloseAccount, OpenAccount } from './commands.js';
import { duplicate, type AccountDecision } from './decision.js';

/**
 * open_account, checked in this order:
 * 1. already open with the same kind, currency and overdraft → duplicate (the first result)
 * 2. already open otherwise → id_reused_with_different_content
 */
export function decideOpenAccount(state: AccountState, { data }: OpenAccount): AccountDecision {
  const { info } = state;
  if (info !== null) {
    const same =
      info.kind === data.kind &&
      info.currency === data.currency &&
      info.overdraft === data.overdraft &&
      info.subAccounts === data.subAccounts &&
      info.bufferCredits === data.bufferCredits;
    return same ? duplicate : reject('id_reused_with_different_content', `account ${data.id} is already open with other settings`);
  }
  const { id, kind, currency, overdraft, subAccounts, subIndex, bufferCredits } = data;
  const account = { id, kind, currency, overdraft, openedAt: data.at, subAccounts, subIndex, bufferCredits };
  return [{ type: 'account_opened', data: { account } }];
}

/**
 * close_account, checked in this order:
 * 1. account_not_found
 * 2. already closed → duplicate
 * 3. account_has_pending_transfers (open holds)
 * 4. account_balance_not_zero
 */
export function decideCloseAccount(state: AccountState, { data }: CloseAccount): AccountDecision {
  if (state.info === null) return reject('account_not_found', 'no such account');
  if (state.closedAt !== null) return duplicate;
  if (state.holds.size > 0) return reject('account_has_pending_transfers', `${state.holds.size} pending transfer(s) still hold funds`);
  if (balanceOf(state) !== 0n) return reject('account_balance_not_zero', 'only an account with a zero balance can be closed');
  return [{ type: 'account_closed', data: { closedAt: data.at } }];
}
