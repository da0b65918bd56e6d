import { reject, violated, type Rejection } from '../rejection.js';
import { availableOf, isClosing, keepsNatures, type AccountState } from './account.js';
import type { CreateTransfer } from './commands.js';
import type { AccountEvent } from './events.js';
import { duplicate, type AccountDecision } from './decision.js';
import { ledgerLimits } from './limits.js';
import { defaultDraw, drawNatures, isNature, plainNature } from './nature.js';
import type { LedgerRejectionCode } from './rejections.js';
import { partFor } from './routing.js';
import { sameContent, type TransferContent, type TransferRecord } from './transfer.js';

/**
 * create_transfer, at the debit account, checked in this order:
 * 1. an existing record under this id: same content → duplicate, else id_reused_with_different_content
 * 2. amount_must_be_positive, accounts_must_be_different
 * 3. timeout_requires_pending, timeout_too_long, memo_too_long, unknown_nature
 * 4. debit_account_not_found
 * 4a. account_closing: a hot account's close sealed this part; not recorded, since the close
 *     may yet end without closing (the same id can be tried again)
 * — from here on a refusal is recorded (journaled), so the same id gets the same answer —
 * 5. credit_account_not_found
 * 6. debit_account_closed, 7. credit_account_closed
 * 8. currencies_must_match
 * 8a. nature_not_kept: a nature other than withdrawable for an account that keeps none
 * 8b. nature_of_wallet_money: a nature named for money leaving a wallet that keeps natures
 *     (it keeps the ones it has: a wallet's money never changes nature by moving)
 * 9. holds_limit_reached (pending only)
 * 10. insufficient_funds (unless the account may overdraw); on a hot account's first try,
 *     sub_account_short instead, not recorded: the ledger pulls from the siblings and retries.
 *     A wallet that keeps natures also refuses when the natures its strategy may draw
 *     (`draw`, in order) hold less than the amount, whatever the others hold.
 * Booked with a `lien` (an investment's debit), the account also places that investment's lien.
 */
export function decideCreateTransfer(state: AccountState, command: CreateTransfer): AccountDecision {
  const { id, content, at, existing, creditAccount } = command.data;
  if (existing !== null) {
    return sameContent(existing, content) ? duplicate : reject('id_reused_with_different_content', `transfer ${id} exists with other content`);
  }
  const invalid = validateTransferContent(content);
  if (invalid !== null) return invalid;
  const { info } = state;
  if (info === null) return reject('debit_account_not_found', `no account ${content.debit}`);
  if (isClosing(state)) return reject('account_closing', `account ${content.debit} is being closed`);

  const refusal = refusalOf(state, command);
  if (refusal?.code === 'insufficient_funds' && !command.data.final) {
    return reject('sub_account_short', `sub-account ${info.subIndex} of ${info.id} lacks funds`);
  }
  // What a wallet that keeps natures draws, in its strategy's order (checked by refusalOf).
  const drawn = refusal === null && state.natures !== null ? drawNatures(state.natures, content.draw ?? defaultDraw, content.amount) : null;
  const record: TransferRecord = {
    id,
    ...content,
    currency: info.currency,
    status: content.pending ? 'pending' : 'posted',
    createdAt: at,
    updatedAt: at,
    expiresAt: content.pending && content.timeoutMs !== null ? at + content.timeoutMs : null,
    postedAmount: null,
    voidReason: null,
    reverses: null,
    rejection: null,
    returnCode: null,
    debitPart: info.subAccounts > 1 ? info.subIndex : null,
    creditPart: creditAccount === null ? null : partFor(id, creditAccount.subAccounts),
    ...(drawn === null ? {} : { drawn }),
  };
  if (refusal === null && state.natures !== null && drawn === null) violated(`transfer ${id}: the natures were checked`);
  if (refusal !== null) {
    const rejection = { code: refusal.code, detail: refusal.detail };
    return [{ type: 'transfer_rejected', data: { transfer: { ...record, status: 'rejected', expiresAt: null, rejection } } }];
  }
  const booked: AccountEvent = content.pending ? { type: 'transfer_held', data: { transfer: record } } : { type: 'transfer_debited', data: { transfer: record } };
  // An investment's debit places its lien in the same append: no moment when the money is gone and the wallet could close.
  const { lien } = command.data;
  return lien === undefined ? [booked] : [booked, { type: 'investment_lien_placed', data: { investmentId: lien, at } }];
}

/** Rules 2–3: the command as such, before any account is looked at (recorded never). */
export function validateTransferContent(content: TransferContent): Rejection<LedgerRejectionCode> | null {
  if (content.amount <= 0n) return reject('amount_must_be_positive', 'the amount must be greater than zero');
  if (content.debit === content.credit) return reject('accounts_must_be_different', 'debit and credit must be different accounts');
  if (content.timeoutMs !== null && !content.pending) return reject('timeout_requires_pending', 'only a pending transfer can time out');
  if (content.timeoutMs !== null && (content.timeoutMs <= 0 || content.timeoutMs > ledgerLimits.timeoutMsMax)) {
    return reject('timeout_too_long', `timeoutMs must be between 1 and ${ledgerLimits.timeoutMsMax}`);
  }
  if (content.memo !== null && content.memo.length > ledgerLimits.memoLengthMax) {
    return reject('memo_too_long', `a memo has at most ${ledgerLimits.memoLengthMax} characters`);
  }
  const { nature, draw } = content;
  if (nature !== undefined && !isNature(nature)) return reject('unknown_nature', `no nature ${String(nature)}`);
  if (draw !== undefined && (!Array.isArray(draw) || draw.length === 0 || !draw.every(isNature))) {
    return reject('unknown_nature', 'a payment strategy lists one or more natures');
  }
  return null;
}

/** Rules 5–10: refusals that are recorded under the transfer id. */
function refusalOf(state: AccountState, { data: { content, creditAccount } }: CreateTransfer): Rejection<LedgerRejectionCode> | null {
  const info = state.info;
  if (info === null) return reject('debit_account_not_found', `no account ${content.debit}`);
  if (creditAccount === null) return reject('credit_account_not_found', `no account ${content.credit}`);
  if (state.closedAt !== null) return reject('debit_account_closed', `account ${content.debit} is closed`);
  if (creditAccount.closed) return reject('credit_account_closed', `account ${content.credit} is closed`);
  if (creditAccount.currency !== info.currency) {
    return reject('currencies_must_match', `${content.debit} books ${info.currency}, ${content.credit} books ${creditAccount.currency}`);
  }
  if ((content.nature ?? plainNature) !== plainNature && !keepsNatures(creditAccount)) {
    return reject('nature_not_kept', `${content.credit} keeps no natures: only withdrawable money goes there`);
  }
  if (content.nature !== undefined && state.natures !== null) {
    return reject('nature_of_wallet_money', `money leaving ${content.debit} keeps the natures it has there`);
  }
  if (content.pending && state.holds.size >= ledgerLimits.holdsPerAccountMax) {
    return reject('holds_limit_reached', `an account carries at most ${ledgerLimits.holdsPerAccountMax} open holds`);
  }
  if (!info.overdraft && availableOf(state) < content.amount) {
    return reject('insufficient_funds', `account ${content.debit} has not enough available funds`);
  }
  const draw = content.draw ?? defaultDraw;
  if (state.natures !== null && drawNatures(state.natures, draw, content.amount) === null) {
    return reject('insufficient_funds', `account ${content.debit} has not enough ${draw.join(' or ')} money for this`);
  }
  return null;
}
