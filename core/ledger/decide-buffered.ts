import { isClosing, type AccountState } from './account.js';
import type { PostBufferedCredits } from './commands.js';
import { duplicate, type AccountDecision } from './decision.js';
import type { CreditRecord } from './transfer.js';

/** Why a buffered credit is refused (it is then returned to its sender), or null when it is taken. */
export function bufferedCreditRefusal(state: AccountState, credit: PostBufferedCredits['data']['credits'][number]): string | null {
  if (state.info === null) return 'credit_account_not_found';
  if (state.closedAt !== null) return 'credit_account_closed';
  if (isClosing(state)) return 'account_closing';
  if (state.info.currency !== credit.currency) return 'currencies_must_match';
  return null;
}

/**
 * post_buffered_credits: a non-real-time account posts the credits it buffered, as one
 * event. Each credit is judged as credit_transfer judges it (already credited → skipped,
 * then not found, closed, closing, currency); the ones taken are posted together. Never refused as
 * a whole; nothing to post → no event.
 */
export function decidePostBufferedCredits(state: AccountState, { data }: PostBufferedCredits): AccountDecision {
  const seen = new Set<string>();
  const credits: CreditRecord[] = [];
  for (const credit of data.credits) {
    if (credit.existing !== null || seen.has(credit.transferId)) continue;
    if (bufferedCreditRefusal(state, credit) !== null) continue;
    seen.add(credit.transferId);
    credits.push({
      transferId: credit.transferId,
      account: credit.credit,
      debit: credit.debit,
      amount: credit.amount,
      currency: credit.currency,
      reverses: credit.reverses,
      creditedAt: data.at,
    });
  }
  if (credits.length === 0) return duplicate;
  const total = credits.reduce((sum, credit) => sum + credit.amount, 0n);
  return [{ type: 'credits_posted', data: { credits, total } }];
}
