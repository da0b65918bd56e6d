import type { AccountKind } from '../../core/ledger/account.js';
import type { TransferContent, TransferRecord } from '../../core/ledger/transfer.js';
import type { Currency } from '../../core/money/currency.js';

/**
 * Messages an account actor takes. They are commands without what the actor adds itself:
 * the time and its lookups (existing records, the other account's directory entry).
 */
export type AccountMessage =
  | { readonly type: 'open_account'; readonly data: { readonly id: string; readonly kind: AccountKind; readonly currency: Currency; readonly overdraft: boolean } }
  | { readonly type: 'create_transfer'; readonly data: { readonly id: string; readonly content: TransferContent } }
  | { readonly type: 'post_pending'; readonly data: { readonly transferId: string; readonly amount: bigint | null } }
  | { readonly type: 'void_pending'; readonly data: { readonly transferId: string } }
  | { readonly type: 'expire_pending' }
  | {
      readonly type: 'credit_transfer';
      readonly data: {
        readonly transferId: string;
        readonly debit: string;
        readonly credit: string;
        readonly amount: bigint;
        readonly currency: Currency;
        readonly reverses: string | null;
      };
    }
  | { readonly type: 'return_credit'; readonly data: { readonly transferId: string; readonly code: string } }
  | {
      readonly type: 'reverse_transfer';
      readonly data: { readonly transferId: string; readonly reversalId: string; readonly memo: string | null; readonly original: TransferRecord | null };
    }
  | { readonly type: 'close_account' }
  | { readonly type: 'get_account' };

export const accountActorPrefix = 'acct';

export function accountActorId(accountId: string): string {
  return `${accountActorPrefix}:${accountId}`;
}

export function accountIdOf(actorId: string): string {
  return actorId.slice(accountActorPrefix.length + 1);
}
