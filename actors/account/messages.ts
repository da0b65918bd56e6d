import type { AccountKind, AccountSettings } from '../../core/ledger/account.js';
import type { CreditRecord, TransferContent, TransferRecord } from '../../core/ledger/transfer.js';
import type { Currency } from '../../core/money/currency.js';
import type { Nature, NatureSplit } from '../../core/ledger/nature.js';

export interface CreditMessageData {
  readonly transferId: string;
  readonly debit: string;
  readonly credit: string;
  readonly amount: bigint;
  readonly currency: Currency;
  readonly reverses: string | null;
  readonly nature?: Nature;
  readonly natures?: NatureSplit;
}

/**
 * Messages an account actor takes. They are commands without what the actor adds itself:
 * the time and its lookups (existing records, the other account's directory entry).
 */
export type AccountMessage =
  | {
      readonly type: 'open_account';
      readonly data: {
        readonly id: string;
        readonly kind: AccountKind;
        readonly currency: Currency;
        readonly overdraft: boolean;
        readonly subAccounts: number;
        readonly subIndex: number;
        readonly bufferCredits: boolean;
      };
    }
  /** `lien`: the investment this debit funds (lending's own debits only; see AccountState.investmentLiens). */
  | { readonly type: 'create_transfer'; readonly data: { readonly id: string; readonly content: TransferContent; readonly final: boolean; readonly lien?: string } }
  /** `awaitCredits`: the transfers that paid the investment back to this account; the lien goes once their credits are in. */
  | { readonly type: 'release_investment_lien'; readonly data: { readonly investmentId: string; readonly awaitCredits?: readonly string[] } }
  | { readonly type: 'post_pending'; readonly data: { readonly transferId: string; readonly amount: bigint | null } }
  | { readonly type: 'void_pending'; readonly data: { readonly transferId: string } }
  | { readonly type: 'expire_pending' }
  | { readonly type: 'credit_transfer'; readonly data: CreditMessageData }
  | { readonly type: 'return_credit'; readonly data: { readonly transferId: string; readonly code: string } }
  | {
      readonly type: 'reverse_transfer';
      readonly data: {
        readonly transferId: string;
        readonly reversalId: string;
        readonly memo: string | null;
        readonly original: TransferRecord | null;
        readonly final: boolean;
      };
    }
  | { readonly type: 'close_account' }
  | { readonly type: 'release_to_sibling'; readonly data: { readonly releaseId: string; readonly toSubIndex: number; readonly need: bigint } }
  | { readonly type: 'receive_from_sibling'; readonly data: { readonly moveId: string; readonly fromSubIndex: number; readonly amount: bigint } }
  /** From a hot account's close: see core/ledger/hot-close.ts. */
  | { readonly type: 'seal_account'; readonly data: { readonly closeNo: number } }
  | { readonly type: 'unseal_account'; readonly data: { readonly closeNo: number } }
  | { readonly type: 'settle_sealed'; readonly data: { readonly closeNo: number; readonly round: number; readonly toSubIndex: number } }
  | { readonly type: 'flush_buffered_credits' }
  | { readonly type: 'get_account' }
  /** What this (sub-)account recorded of a transfer: as its debit side the record, as its credit side the credit and the reversal. */
  | { readonly type: 'find_transfer'; readonly data: { readonly transferId: string } };

/** The answer to find_transfer. */
export type { TransferFinding } from '../../core/ledger/account-decider.js';

export const accountActorPrefix = 'acct';

/** `acct:<id>` for a plain account, `acct:<id>#<part>` for a sub-account of a hot one. */
export function accountActorId(accountId: string, part: number | null = null): string {
  return part === null ? `${accountActorPrefix}:${accountId}` : `${accountActorPrefix}:${accountId}#${part}`;
}

/** The account id of an account actor (without its sub-account part). */
export function accountIdOf(actorId: string): string {
  const id = actorId.slice(accountActorPrefix.length + 1);
  const hash = id.lastIndexOf('#');
  return hash < 0 ? id : id.slice(0, hash);
}

/** The actor and the message that open one part of an account (the account's own actor when it has one part). */
export function openPartAsk(settings: AccountSettings, part: number): { readonly actorId: string; readonly message: AccountMessage } {
  const { id, kind, currency, overdraft, subAccounts, bufferCredits } = settings;
  const message: AccountMessage = { type: 'open_account', data: { id, kind, currency, overdraft, subAccounts, bufferCredits, subIndex: part } };
  return { actorId: accountActorId(id, subAccounts > 1 ? part : null), message };
}
