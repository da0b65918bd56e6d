import type { Currency } from '../money/currency.js';
import { emptyNatureBook, noNatureAmounts, type NatureBook } from './nature.js';
import type { TransferRecord } from './transfer.js';

export const accountKinds = [
  'investor_wallet',
  'borrower_wallet',
  'platform_revenue',
  'guarantee',
  'bank_settlement',
  'transit',
  'capital_pool',
  'interest_pool',
  'interest_accrual',
  // The platform's position in one currency: what conversions bought and sold in it (core/fx).
  'fx_position',
] as const;

export type AccountKind = (typeof accountKinds)[number];

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === 'string' && (accountKinds as readonly string[]).includes(value);
}

/** The facts fixed when an account is opened. */
export interface AccountInfo {
  readonly id: string;
  readonly kind: AccountKind;
  readonly currency: Currency;
  /** May the balance go below zero? (The bank settlement account mirrors money held at the bank.) */
  readonly overdraft: boolean;
  readonly openedAt: number;
  /** A hot account is split into this many sub-accounts (actors); 1 for a plain account. */
  readonly subAccounts: number;
  /** Which sub-account this actor is (0 for a plain account). */
  readonly subIndex: number;
  /** A non-real-time account: credits are buffered and posted aggregated. */
  readonly bufferCredits: boolean;
}

/** What never changes of an open account: what its id's owner binds it to. */
export type AccountSettings = Pick<AccountInfo, 'id' | 'kind' | 'currency' | 'overdraft' | 'subAccounts' | 'bufferCredits'>;

/** What other actors may know of an account without asking it: the directory entry. */
export interface AccountDirectoryEntry {
  readonly id: string;
  readonly kind: AccountKind;
  readonly currency: Currency;
  readonly overdraft: boolean;
  readonly closed: boolean;
  readonly subAccounts: number;
  readonly bufferCredits: boolean;
}

/**
 * One account's books, TigerBeetle-style: posted debits and credits and pending (held) debits,
 * all non-negative. The balance is credits − debits; `available` excludes what is held.
 */
export interface AccountState {
  readonly info: AccountInfo | null;
  readonly closedAt: number | null;
  readonly debitsPosted: bigint;
  readonly creditsPosted: bigint;
  readonly debitsPending: bigint;
  /**
   * Net money moved in from sibling sub-accounts of the same hot account (negative when
   * this one gave more than it got). Across the siblings it sums to zero once nothing is
   * in flight: balancing never changes the logical account's balance.
   */
  readonly siblingNet: bigint;
  /** Open holds by transfer id: pending transfers not yet posted, voided or expired. */
  readonly holds: ReadonlyMap<string, TransferRecord>;
  /**
   * The close (by its number) that sealed this sub-account of a hot account, or null. While
   * sealed and not closed, debits are refused and credits returned (`account_closing`): the
   * close counts what the parts hold and must see it stand still.
   */
  readonly sealedBy: number | null;
  /** The highest close number that ended here (unsealed, or never sealed): its seal arriving late is stale. */
  readonly closesEnded: number;
  /** A wallet's money per nature (see keepsNatures); null for an account that keeps none. */
  readonly natures: NatureBook | null;
  /**
   * Investments this wallet funded whose money has not come back yet: investment id → when
   * its debit was booked. Placed with the investment's debit (the same append), released once
   * its redemption has paid the wallet; the wallet does not close while it holds one (its
   * money is still on the platform). A handful per investor: copied only by its own events.
   */
  readonly investmentLiens: ReadonlyMap<string, number>;
}

export const initialAccountState: AccountState = {
  info: null,
  closedAt: null,
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  siblingNet: 0n,
  holds: new Map(),
  sealedBy: null,
  closesEnded: 0,
  natures: null,
  investmentLiens: new Map(),
};

/**
 * Does this account keep its money's natures (core/ledger/nature.ts)? A wallet does, when it
 * is one account that cannot overdraw and posts credits as they come: a hot or buffering
 * wallet is the platform's own instrument (red packets), and all its money is withdrawable.
 */
export function keepsNatures(settings: Pick<AccountInfo, 'kind' | 'overdraft' | 'subAccounts' | 'bufferCredits'>): boolean {
  const wallet = settings.kind === 'investor_wallet' || settings.kind === 'borrower_wallet';
  return wallet && !settings.overdraft && settings.subAccounts === 1 && !settings.bufferCredits;
}

export function openedNatures(info: AccountInfo): NatureBook | null {
  return keepsNatures(info) ? emptyNatureBook : null;
}

/**
 * A wallet snapshotted before natures existed loads with none (the field's initial value):
 * all its money was withdrawable then, so that is what its book says, held as its holds hold.
 */
export function withNaturesOfOldSnapshot(state: AccountState): AccountState {
  if (state.natures !== null || state.info === null || !keepsNatures(state.info)) return state;
  const balance = { ...noNatureAmounts, withdrawable: balanceOf(state) };
  return { ...state, natures: { balance, held: { ...noNatureAmounts, withdrawable: state.debitsPending } } };
}

/** Sealed by a hot account's close and not closed: debits refused, credits returned. */
export function isClosing(state: AccountState): boolean {
  return state.sealedBy !== null && state.closedAt === null;
}

export function balanceOf(state: AccountState): bigint {
  return state.creditsPosted - state.debitsPosted + state.siblingNet;
}

export function availableOf(state: AccountState): bigint {
  return balanceOf(state) - state.debitsPending;
}

export function directoryEntryOf(state: AccountState): AccountDirectoryEntry | null {
  if (state.info === null) return null;
  const { id, kind, currency, overdraft, subAccounts, bufferCredits } = state.info;
  return { id, kind, currency, overdraft, closed: state.closedAt !== null, subAccounts, bufferCredits };
}
