import { reject } from '../rejection.js';
import { balanceOf, type AccountState } from './account.js';
import type { CloseAccount, OpenAccount, ReleaseInvestmentLien } from './commands.js';
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
 * 4. account_has_open_investments (a lien: money the wallet invested is still on the platform)
 * 5. account_balance_not_zero
 */
export function decideCloseAccount(state: AccountState, { data }: CloseAccount): AccountDecision {
  if (state.info === null) return reject('account_not_found', 'no such account');
  if (state.closedAt !== null) return duplicate;
  if (state.holds.size > 0) return reject('account_has_pending_transfers', `${state.holds.size} pending transfer(s) still hold funds`);
  const liens = state.investmentLiens.size;
  if (liens > 0) return reject('account_has_open_investments', `${liens} investment(s) funded from this wallet are not redeemed yet: their money is still on the platform`);
  if (balanceOf(state) !== 0n) return reject('account_balance_not_zero', 'only an account with a zero balance can be closed');
  return [{ type: 'account_closed', data: { closedAt: data.at } }];
}

/**
 * release_investment_lien: 1. account_not_found; no such lien (never placed, or released
 * already) → duplicate (a closed account answers the same: it held no lien when it closed);
 * 2. investment_credits_in_flight: a transfer that paid the investment back has not credited
 * this account yet — not recorded; the redemption asks again until it has, so the wallet
 * cannot close with the investment's money still on its way to it.
 */
export function decideReleaseInvestmentLien(state: AccountState, { data }: ReleaseInvestmentLien): AccountDecision {
  if (state.info === null) return reject('account_not_found', 'no such account');
  if (!state.investmentLiens.has(data.investmentId)) return duplicate;
  const pending = data.creditsPending;
  if (pending.length > 0) return reject('investment_credits_in_flight', `${pending.length} credit(s) of investment ${data.investmentId}'s money not in yet: ${pending.slice(0, 3).join(', ')}`);
  return [{ type: 'investment_lien_released', data: { investmentId: data.investmentId } }];
}
