import { assert, reject, violated } from '../rejection.js';
import { availableOf, isClosing, type AccountState } from './account.js';
import type { CreditTransfer, ReturnCredit, ReverseTransfer } from './commands.js';
import { duplicate, type AccountDecision } from './decision.js';
import { drawExactly, plainNature, plainSplit, splitTotal, type NatureSplit } from './nature.js';
import { partFor } from './routing.js';
import type { CreditRecord, TransferRecord } from './transfer.js';

/**
 * credit_transfer, at the credit account (delivered at least once), checked in this order:
 * 1. already credited → duplicate (the delivery is acknowledged again)
 * 2. credit_account_not_found, 3. credit_account_closed,
 * 4. account_closing (a hot account's close sealed this part), 5. currencies_must_match
 * 6. nature_not_kept (a nature other than withdrawable for an account that keeps none; the
 *    debit side checked it first, so only a bug gets here)
 * A refusal here is final: the debit side journals a return. In a wallet that keeps natures,
 * the money keeps the natures it had in the wallet it left (a reversal's: those its original
 * drew), else it takes the transfer's nature.
 */
export function decideCreditTransfer(state: AccountState, { data }: CreditTransfer): AccountDecision {
  if (data.existing !== null) return duplicate;
  if (state.info === null) return reject('credit_account_not_found', `no account ${data.credit}`);
  if (state.closedAt !== null) return reject('credit_account_closed', `account ${data.credit} is closed`);
  if (isClosing(state)) return reject('account_closing', `account ${data.credit} is being closed`);
  if (state.info.currency !== data.currency) {
    return reject('currencies_must_match', `${data.credit} books ${state.info.currency}, the transfer is in ${data.currency}`);
  }
  const nature = data.nature ?? plainNature;
  if (nature !== plainNature && state.natures === null) return reject('nature_not_kept', `${data.credit} keeps no natures`);
  const credit: CreditRecord = {
    transferId: data.transferId,
    account: data.credit,
    debit: data.debit,
    amount: data.amount,
    currency: data.currency,
    reverses: data.reverses,
    creditedAt: data.at,
  };
  // Withdrawable money alone is what a credit without natures means: the common case records none.
  if (state.natures === null || (data.natures === undefined && nature === plainNature)) return [{ type: 'transfer_credited', data: { credit } }];
  const natures: NatureSplit = data.natures ?? [{ nature, amount: data.amount }];
  if (splitTotal(natures) !== data.amount) violated(`credit ${data.transferId}: its natures sum to its amount`);
  return [{ type: 'transfer_credited', data: { credit: { ...credit, natures } } }];
}

/**
 * return_credit, at the debit account, checked in this order:
 * 1. transfer_not_found, 2. already returned → duplicate, 3. transfer_not_posted
 */
export function decideReturnCredit(_state: AccountState, { data }: ReturnCredit): AccountDecision {
  const { existing } = data;
  if (existing === null || existing.status === 'rejected') return reject('transfer_not_found', `no transfer ${data.transferId}`);
  if (existing.status === 'returned') return duplicate;
  if (existing.status !== 'posted') return reject('transfer_not_posted', `transfer ${data.transferId} is ${existing.status}`);
  const transfer: TransferRecord = { ...existing, status: 'returned', returnCode: data.code, updatedAt: data.at };
  return [{ type: 'credit_returned', data: { transfer } }];
}

/**
 * reverse_transfer, at the original credit account (the reversal's debit side), checked in this order:
 * 1. already reversed → duplicate (a transfer is reversed at most once)
 * 2. transfer_not_found, 3. cannot_reverse_a_reversal, 4. transfer_not_posted
 * 5. transfer_credit_in_flight (the original's money has not arrived here yet)
 * 6. debit_account_not_found, 7. debit_account_closed, 7a. account_closing
 * 8. credit_account_not_found, 9. credit_account_closed (the original debit account)
 * 10. insufficient_funds (sub_account_short, unrecorded, on a hot account's first try); a
 *     wallet that keeps natures takes back exactly the natures the credit brought, or refuses
 */
export function decideReverseTransfer(state: AccountState, { data }: ReverseTransfer): AccountDecision {
  const { original, credit, existingReversal, originalDebitAccount } = data;
  if (existingReversal !== null) {
    assert(existingReversal.reverses === data.transferId, `reversal ${data.reversalId} reverses another transfer`);
    return duplicate;
  }
  if (original === null || original.status === 'rejected') return reject('transfer_not_found', `no transfer ${data.transferId}`);
  if (original.reverses !== null) return reject('cannot_reverse_a_reversal', `transfer ${data.transferId} is itself a reversal`);
  if (original.status !== 'posted') return reject('transfer_not_posted', `transfer ${data.transferId} is ${original.status}`);
  if (credit === null) return reject('transfer_credit_in_flight', `the credit of ${data.transferId} has not arrived yet; retry shortly`);
  const info = state.info;
  if (info === null) return reject('debit_account_not_found', `no account ${original.credit}`);
  if (state.closedAt !== null) return reject('debit_account_closed', `account ${info.id} is closed`);
  if (isClosing(state)) return reject('account_closing', `account ${info.id} is being closed`);
  if (originalDebitAccount === null) return reject('credit_account_not_found', `no account ${original.debit}`);
  if (originalDebitAccount.closed) return reject('credit_account_closed', `account ${original.debit} is closed`);
  if (!info.overdraft && availableOf(state) < credit.amount) {
    if (!data.final) return reject('sub_account_short', `sub-account ${info.subIndex} of ${info.id} lacks funds`);
    return reject('insufficient_funds', `account ${info.id} has not enough available funds to reverse`);
  }
  const takenBack = state.natures === null ? null : drawExactly(state.natures, credit.natures ?? plainSplit(credit.amount));
  if (state.natures !== null && takenBack === null) {
    return reject('insufficient_funds', `account ${info.id} no longer holds the natures the transfer brought`);
  }
  const transfer: TransferRecord = {
    id: data.reversalId,
    debit: credit.account,
    credit: credit.debit,
    amount: credit.amount,
    pending: false,
    timeoutMs: null,
    memo: data.memo,
    currency: credit.currency,
    status: 'posted',
    createdAt: data.at,
    updatedAt: data.at,
    expiresAt: null,
    postedAmount: null,
    voidReason: null,
    reverses: data.transferId,
    rejection: null,
    returnCode: null,
    debitPart: info.subAccounts > 1 ? info.subIndex : null,
    creditPart: partFor(data.reversalId, originalDebitAccount.subAccounts),
    ...(takenBack === null ? {} : { drawn: takenBack }),
    ...(original.drawn === undefined ? {} : { restores: original.drawn }),
  };
  return [{ type: 'transfer_debited', data: { transfer } }];
}
