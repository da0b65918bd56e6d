/**
 * Money of different natures in a wallet. Where a wallet's money came from decides what it may
 * do: money recharged from a debit card is `withdrawable`; from a credit card it is
 * `refund_only` (it can only go back to that card); a consumer credit quota is `spend_only`
 * (it can be spent, never withdrawn nor refunded). A wallet keeps a balance per nature — the
 * natures sum to the wallet — and every debit draws natures in the order its operation's
 * payment strategy lists them (core/ledger/payment-strategy.ts), never another.
 */
export const natures = ['withdrawable', 'refund_only', 'spend_only'] as const;

export type Nature = (typeof natures)[number];

export function isNature(value: unknown): value is Nature {
  return typeof value === 'string' && (natures as readonly string[]).includes(value);
}

/** Money no nature was named for: what a debit card brings, and what the platform pays out. */
export const plainNature: Nature = 'withdrawable';

/** A debit that names no strategy draws withdrawable money alone: the narrowest use. */
export const defaultDraw: readonly Nature[] = [plainNature];

/** A strategy as an order's payload field: left out when it is the default, so orders made before strategies existed compare equal. */
export function drawField(order: readonly Nature[]): { readonly draw?: readonly Nature[] } {
  return order.length === defaultDraw.length && order.every((nature, i) => nature === defaultDraw[i]) ? {} : { draw: order };
}

/** One nature's part of a movement. */
export interface NaturePart {
  readonly nature: Nature;
  readonly amount: bigint;
}

/** How a movement's amount divides among natures, in the order drawn; parts are positive. */
export type NatureSplit = readonly NaturePart[];

export type NatureAmounts = Readonly<Record<Nature, bigint>>;

export const noNatureAmounts: NatureAmounts = { withdrawable: 0n, refund_only: 0n, spend_only: 0n };

/** A wallet's money per nature: the balance (posted) and what holds keep of it. */
export interface NatureBook {
  readonly balance: NatureAmounts;
  readonly held: NatureAmounts;
}

export const emptyNatureBook: NatureBook = { balance: noNatureAmounts, held: noNatureAmounts };

export function availableByNature(book: NatureBook, nature: Nature): bigint {
  return book.balance[nature] - book.held[nature];
}

/**
 * `amount` drawn from what is available of each nature, in `order`; null when those natures
 * together hold less. A nature listed twice is drawn once.
 */
export function drawNatures(book: NatureBook, order: readonly Nature[], amount: bigint): NatureSplit | null {
  const parts: NaturePart[] = [];
  let rest = amount;
  for (const nature of new Set(order)) {
    if (rest === 0n) break;
    const available = availableByNature(book, nature);
    const take = available < rest ? available : rest;
    if (take > 0n) parts.push({ nature, amount: take });
    rest -= take;
  }
  return rest === 0n ? parts : null;
}

/** Exactly `split` from the book, or null when one of its natures holds less than its part. */
export function drawExactly(book: NatureBook, split: NatureSplit): NatureSplit | null {
  return split.every((part) => availableByNature(book, part.nature) >= part.amount) ? split : null;
}

/** The first `amount` of a split, in its order: what a partial post of a hold moves. */
export function leadingPart(split: NatureSplit, amount: bigint): NatureSplit {
  const parts: NaturePart[] = [];
  let rest = amount;
  for (const part of split) {
    if (rest === 0n) break;
    const take = part.amount < rest ? part.amount : rest;
    parts.push({ nature: part.nature, amount: take });
    rest -= take;
  }
  return parts;
}

/** A split of money that kept no natures (recorded before natures existed, or by such an account). */
export function plainSplit(amount: bigint): NatureSplit {
  return amount === 0n ? [] : [{ nature: plainNature, amount }];
}

export function splitTotal(split: NatureSplit): bigint {
  return split.reduce((sum, part) => sum + part.amount, 0n);
}

/** `amounts` with each part of `split` added (sign 1) or taken away (sign −1). */
export function withSplit(amounts: NatureAmounts, split: NatureSplit, sign: 1n | -1n): NatureAmounts {
  if (split.length === 0) return amounts;
  const next = { ...amounts };
  for (const part of split) next[part.nature] += sign * part.amount;
  return next;
}
