/**
 * fundcore's bank order numbers, as the bank echoes them back: open-, dep-, wd-, disb-, rp-
 * and xfer- followed by an id (actors/lending/ids.ts, core/lending/loan/loan.ts,
 * core/lending/repayment/repayment.ts, core/lending/loan/claim-transfer.ts). Banks carry the
 * initiator's reference in several places (end-to-end id, instruction id, remittance text,
 * MT940 customer reference or :86: text, BAI2 customer reference); this pattern tells ours
 * apart from the bank's and other parties' references there.
 */
const orderNoPattern = /(?:^|[^A-Za-z0-9_.:-])((?:open|dep|wd|disb|rp|xfer)-[A-Za-z0-9][A-Za-z0-9_.:-]{0,70})/;

/** Ids end in a letter, digit or underscore: a trailing '.', ':' or '-' is the sentence's. */
const trailingPunctuation = /[.:-]+$/;

/** Our order number in a piece of text (the first one), or null. */
export function orderNoIn(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const found = orderNoPattern.exec(text)?.[1];
  return found === undefined ? null : found.replace(trailingPunctuation, '');
}

/** Whether a whole reference is one of our order numbers. */
export function isOrderNo(reference: string | null | undefined): reference is string {
  return reference !== null && reference !== undefined && orderNoIn(reference) === reference;
}

/**
 * The reference to match an entry by: the first place (in the order given) that holds exactly
 * one of our order numbers, else the first free-text place that mentions one, else the first
 * reference given at all (someone else's, still worth showing and matching).
 */
export function referenceAmong(exact: readonly (string | null)[], freeText: readonly (string | null)[] = []): string | null {
  return exact.find(isOrderNo) ?? freeText.map(orderNoIn).find((found) => found !== null) ?? exact.find((reference) => reference !== null && reference !== '') ?? null;
}
