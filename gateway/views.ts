import { availableByNature, natures, type Nature, type NatureBook } from '../core/ledger/nature.js';
import type { AccountInfo } from '../core/ledger/account.js';
import { movedAmountOf, type TransferRecord } from '../core/ledger/transfer.js';
import { formatAmount } from '../core/money/amount.js';
import type { AccountBalances, Balances, TransferStatus } from '../actors/ledger/ledger-api.js';
import { totalOf } from '../actors/ledger/ledger-service.js';
import type { Currency } from '../core/money/currency.js';
import { withFields } from '../core/with-fields.js';

const iso = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());

/** The answer to opening an account: only what was fixed at opening, so a retry gets the same body. */
export function accountCreatedView(info: AccountInfo) {
  return {
    id: info.id,
    kind: info.kind,
    currency: info.currency,
    overdraft: info.overdraft,
    subAccounts: info.subAccounts,
    bufferCredits: info.bufferCredits,
    openedAt: iso(info.openedAt),
  };
}

/** Posted figures, and what a buffering account holds not yet posted. */
function balancesView(balances: Balances, currency: Currency) {
  const money = (minor: bigint) => formatAmount(minor, currency);
  const total = totalOf(balances);
  return {
    available: money(total - balances.debitsPending),
    frozen: money(balances.debitsPending),
    total: money(total),
    debitsPosted: money(balances.debitsPosted),
    creditsPosted: money(balances.creditsPosted),
    pendingTransfers: balances.holds,
    buffered: money(balances.bufferedTotal),
    bufferedCredits: balances.bufferedCount,
  };
}

/** A hot account reads as one account (the sum), with its sub-accounts listed as parts. */
export function accountView(account: AccountBalances) {
  const { info } = account;
  return {
    ...accountCreatedView(info),
    closed: account.closedAt !== null,
    closedAt: iso(account.closedAt),
    ...balancesView(account, info.currency),
    openInvestments: account.openInvestments,
    parts: account.parts.map((part, index) => ({ index, ...balancesView(part, info.currency) })),
    ...(account.natures === null ? {} : { natures: naturesView(account.natures, info.currency) }),
  };
}

/** A wallet's money per nature: what each holds and what of it is free to draw; they sum to the wallet. */
function naturesView(book: NatureBook, currency: Currency) {
  const view = (nature: Nature) => ({ total: formatAmount(book.balance[nature], currency), available: formatAmount(availableByNature(book, nature), currency) });
  return Object.fromEntries(natures.map((nature) => [nature, view(nature)]));
}

/** What a debit drew per nature, in the order drawn (absent when the debit keeps no natures). */
function drawnView(record: TransferRecord) {
  return record.drawn === undefined ? {} : { natures: record.drawn.map(({ nature, amount }) => ({ nature, amount: formatAmount(amount, record.currency) })) };
}

/** The fields fixed when a transfer is created. */
function transferContentView(record: TransferRecord) {
  return {
    id: record.id,
    debit: record.debit,
    credit: record.credit,
    amount: formatAmount(record.amount, record.currency),
    currency: record.currency,
    pending: record.pending,
    timeoutMs: record.timeoutMs,
    memo: record.memo,
    reverses: record.reverses,
    createdAt: iso(record.createdAt),
    expiresAt: iso(record.expiresAt),
    ...(record.nature === undefined ? {} : { nature: record.nature }),
  };
}

/**
 * The answer to creating a transfer: its content and its status at creation, both fixed,
 * so a retry with the same id gets a byte-identical body.
 */
export function transferCreatedView(record: TransferRecord) {
  return withFields(transferContentView(record), { status: record.pending ? 'pending' : 'posted', creditInFlight: !record.pending });
}

/** The answer to a post or void: the record as that command left it. */
export function transferUpdatedView(record: TransferRecord) {
  return withFields(transferContentView(record), {
    status: record.status,
    postedAmount: record.postedAmount === null ? null : formatAmount(record.postedAmount, record.currency),
    voidReason: record.voidReason,
    creditInFlight: record.status === 'posted',
    updatedAt: iso(record.updatedAt),
    ...drawnView(record),
  });
}

/** The transfer now, as both sides know it: status, legs, and whether the credit is in flight. */
export function transferView({ record, credit, reversedBy }: TransferStatus) {
  const moved = movedAmountOf(record);
  const money = (minor: bigint) => formatAmount(minor, record.currency);
  const status = reversedBy !== null ? 'reversed' : record.status;
  return {
    ...transferUpdatedView(record),
    status,
    creditInFlight: record.status === 'posted' && credit === null,
    creditedAt: iso(credit?.creditedAt ?? null),
    reversedBy,
    returnCode: record.returnCode,
    legs:
      moved === 0n || record.status === 'returned'
        ? []
        : [
            { account: record.debit, side: 'debit', amount: money(moved) },
            { account: record.credit, side: 'credit', amount: money(moved) },
          ],
  };
}

/** Ops views show actor state as it is: bigints as strings of minor units, Maps as objects, bytes (a report's packed chunk) by their size. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `(${value.byteLength} bytes)`;
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v)]));
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]));
  return value;
}
