import type { AccountDirectoryEntry } from '../../../core/ledger/account.js';
import type { Capital, CapitalContent } from '../../../core/lending/capital.js';
import type { Loan, MatchingConfig } from '../../../core/lending/loan/loan.js';
import type { ReservationPiece } from '../../../core/lending/pool/pool.js';
import { defaultProduct } from '../../../core/lending/schedule/product.js';

export const t0 = 1_900_000_000_000;
export const today = '2030-01-01';

export function wallet(id: string, patch: Partial<AccountDirectoryEntry> = {}): AccountDirectoryEntry {
  return { id, kind: 'investor_wallet', currency: 'CNY', overdraft: false, closed: false, subAccounts: 1, bufferCredits: false, ...patch };
}

export function capitalContent(id: string, patch: Partial<CapitalContent> = {}): CapitalContent {
  return {
    id,
    investmentId: id.replace(/^cap-/, ''),
    investor: 'alice',
    principal: 100_00n,
    property: 'principal',
    source: 'new',
    createdOn: today,
    investRepayDate: '2031-01-01',
    ...patch,
  };
}

export function capital(id: string, arrival: number, patch: Partial<Capital> = {}): Capital {
  return { ...capitalContent(id), matched: 0n, reserved: 0n, status: 'normal', arrival, ...patch };
}

export function loan(patch: Partial<Loan> = {}): Loan {
  return {
    id: 'L1',
    borrower: 'carol',
    amount: 1_000_00n,
    annualRate: '0.08',
    term: { unit: 'days', count: 90 },
    method: 'bullet',
    product: defaultProduct,
    publishedOn: today,
    publishedAt: t0,
    ...patch,
  };
}

export const matching: MatchingConfig = { shards: 2, priority: ['new', 'repayment_reinvest'], claimsMax: 10 };

export function piece(capitalId: string, amount: bigint, shard = 0, patch: Partial<ReservationPiece> = {}): ReservationPiece {
  return { capitalId, investmentId: capitalId.replace(/^cap-/, ''), investor: 'alice', shard, amount, property: 'principal', source: 'new', investRepayDate: '2031-01-01', ...patch };
}
