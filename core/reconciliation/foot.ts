import type { Statement } from './statement.js';

export interface FootCheck {
  /** True when opening + Σ booked entries = closing, or when there are no balances to check. */
  readonly foots: boolean;
  readonly checked: boolean;
  readonly openingMinor: bigint | null;
  readonly closingMinor: bigint | null;
  /** opening + Σ booked credits − Σ booked debits, in the statement's currency. */
  readonly computedClosingMinor: bigint | null;
  readonly differenceMinor: bigint | null;
}

/**
 * The statement's own check: a statement that does not foot is reported, not trusted. Only
 * entries in the statement's currency count: one in another currency is a foreign_currency
 * finding, and the foot is still checked without it.
 */
export function footCheck(statement: Statement): FootCheck {
  const { opening, closing } = statement;
  if (opening === null || closing === null) {
    return { foots: true, checked: false, openingMinor: opening?.amountMinor ?? null, closingMinor: closing?.amountMinor ?? null, computedClosingMinor: null, differenceMinor: null };
  }
  let computed = opening.amountMinor;
  for (const entry of statement.entries) {
    if (entry.status !== 'booked' || entry.currency !== statement.currency) continue;
    computed += entry.direction === 'credit' ? entry.amountMinor : -entry.amountMinor;
  }
  const difference = closing.amountMinor - computed;
  return { foots: difference === 0n, checked: true, openingMinor: opening.amountMinor, closingMinor: closing.amountMinor, computedClosingMinor: computed, differenceMinor: difference };
}
