/** Limits of the ledger domain. Every one is named, qualifier last. */
export const ledgerLimits = {
  /** Account and transfer ids: 1..64 characters of [A-Za-z0-9_.:-], starting with a letter or digit. */
  idLengthMax: 64,
  memoLengthMax: 256,
  /** A pending transfer voids itself at the latest after this long (30 days). */
  timeoutMsMax: 30 * 24 * 60 * 60 * 1000,
  /** Open holds one account may carry; beyond it new holds are refused (its state stays bounded). */
  holdsPerAccountMax: 100_000,
  /** A hot account's close reads its parts again this long after it found balancing moves in flight. */
  hotCloseRecheckMs: 50,
} as const;

export const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && idPattern.test(value);
}
