import type { Nature, NatureBook } from '../../core/ledger/nature.js';
import type { AccountInfo, AccountKind } from '../../core/ledger/account.js';
import type { CreditRecord, TransferRecord } from '../../core/ledger/transfer.js';
import type { Currency } from '../../core/money/currency.js';
import type { ActorReply } from '../runtime/behavior.js';

export interface OpenAccountInput {
  readonly id: string;
  readonly kind: AccountKind;
  readonly currency: Currency;
  readonly overdraft: boolean;
  /** 1 for a plain account; 2..64 splits a hot account into as many sub-accounts (actors). */
  readonly subAccounts?: number;
  /** A non-real-time account: credits are buffered and posted aggregated. */
  readonly bufferCredits?: boolean;
}

/** A transfer as a client asks for it: the amount still a decimal string. */
export interface TransferInput {
  readonly id: string;
  readonly debit: string;
  readonly credit: string;
  readonly amount: string;
  readonly pending: boolean;
  readonly timeoutMs: number | null;
  readonly memo: string | null;
  /** The nature the money takes in a wallet (a voucher: spend_only); absent: withdrawable. */
  readonly nature?: string;
  /** The natures a debit of a wallet draws, in order (its operation's payment strategy); absent: withdrawable alone. */
  readonly draw?: readonly Nature[];
}

/** One account's (or one sub-account's) figures. */
export interface Balances {
  readonly debitsPosted: bigint;
  readonly creditsPosted: bigint;
  readonly debitsPending: bigint;
  /** Net money moved in from sibling sub-accounts (0 for a plain account; Σ over siblings = 0 when settled). */
  readonly siblingNet: bigint;
  readonly holds: number;
  /** Credits a buffering account holds, not posted yet. */
  readonly bufferedCount: number;
  readonly bufferedTotal: bigint;
}

/** An account's figures: for a hot account, the sum of its sub-accounts, which are listed too. */
export interface AccountBalances extends Balances {
  readonly info: AccountInfo;
  readonly closedAt: number | null;
  /** A wallet's money per nature (they sum to the wallet); null for an account that keeps none. */
  readonly natures: NatureBook | null;
  /** Investments funded from this wallet whose money is not back yet (their liens): it does not close while there is one. */
  readonly openInvestments: readonly string[];
  readonly parts: readonly Balances[];
}

/** A transfer as both sides know it. */
export interface TransferStatus {
  readonly record: TransferRecord;
  /** The credit side's record, once the money arrived; until then the credit is in flight. */
  readonly credit: CreditRecord | null;
  readonly reversedBy: string | null;
}

/**
 * What the gateway may ask of the ledger. Refusals come back as `{ ok: false, code }`;
 * runtime failures (overload, timeouts, journal failures) are thrown ActorRuntimeErrors.
 */
export interface LedgerApi {
  openAccount(input: OpenAccountInput): Promise<ActorReply<AccountInfo>>;
  getAccount(id: string): Promise<ActorReply<AccountBalances>>;
  /** `closedAt: null`: a hot account's close is still under way after the bounded wait (ask again). */
  closeAccount(id: string): Promise<ActorReply<{ closedAt: number | null }>>;
  createTransfer(input: TransferInput): Promise<ActorReply<TransferRecord>>;
  /** Each item independently, in order; a runtime failure of one item is its result, not the batch's. */
  createTransfers(inputs: readonly TransferInput[]): Promise<ActorReply<TransferRecord>[]>;
  postPending(transferId: string, amount: string | null): Promise<ActorReply<TransferRecord>>;
  voidPending(transferId: string): Promise<ActorReply<TransferRecord>>;
  reverseTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>>;
  getTransfer(id: string): Promise<ActorReply<TransferStatus>>;
}

/** What a service needs to know of an account (its kind, currency, existence): the ledger's answer. */
export type AccountLookup = Pick<LedgerApi, 'getAccount'>;

/**
 * fundcore's own processes (a day's accrual, a reconciliation's repair) post and reverse
 * between system accounts, which the public API refuses to touch.
 */
export interface SystemPostings {
  transferAnyAccount(input: TransferInput): Promise<ActorReply<TransferRecord>>;
  reverseAnyTransfer(transferId: string, memo: string | null): Promise<ActorReply<TransferRecord>>;
}
