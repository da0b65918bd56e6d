/** Limits of the lending domain. Every one is named, qualifier last; amounts in CNY minor units. */
export const lendingLimits = {
  /** Ids of investments, loans, deposits and withdrawals: shorter than ledger ids, so the ids derived from them (`sys.inv.<id>`) fit. */
  entityIdLengthMax: 48,
  investmentAmountMinMinor: 100n, // 1.00
  /** Placings of one investment id (the first, then retries after insufficient_funds): the derived transfer id `sys.inv.<id>~<n>` fits 64. */
  investmentAttemptsMax: 100,
  investmentAmountMaxMinor: 100_000_000_00n, // 100,000,000.00
  investmentTermDaysMin: 1,
  investmentTermDaysMax: 3_650,
  loanAmountMinMinor: 100_00n, // 100.00
  loanAmountMaxMinor: 50_000_000_00n, // 50,000,000.00
  /** Annual rates are decimal strings in (0, 0.36]: 36 % a year is the legal ceiling of private lending. */
  annualRateMax: '0.36',
  annualRateDecimalsMax: 6,
  loanTermDaysMin: 1,
  loanTermDaysMax: 1_095,
  loanTermMonthsMin: 1,
  loanTermMonthsMax: 60,
  /**
   * Claims one loan may hold (and items of its disbursement batch). A loan that reaches it
   * unfunded stops matching (it is reported, not silently stuck).
   */
  claimsPerLoanMax: 2_000,
  /** Loans the waiting book tells at once when capital comes free (oldest first). */
  waitingLoansNotifiedMax: 1_000,
  /** Pool shards: S is fixed when the node first starts and never changes. */
  poolShardsMax: 256,
} as const;

export const entityIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,47}$/;
