/** An ISO 4217 code (core/money/iso4217.ts): a statement may be in any currency, booked by fundcore or not. */
export type CurrencyCode = string;

/** Money into the account at the bank (credit) or out of it (debit), from the account's side. */
export type Direction = 'credit' | 'debit';

/** A statement entry's status at the bank: booked is final; pending and info are not (yet) money. */
export type EntryStatus = 'booked' | 'pending' | 'info';

export type BookingDateSource = 'booking_date' | 'value_date' | 'statement_created';

/** One transaction inside an entry: a batched entry carries several. */
export interface EntryTransaction {
  /** The end-to-end id / our order no, when the bank reports one. */
  readonly reference: string | null;
  /** The instruction id (camt InstrId), when the bank reports one. */
  readonly instruction: string | null;
  /** Unstructured remittance information (camt Ustrd lines joined), when given. */
  readonly remittance: string | null;
  readonly amountMinor: bigint | null;
}

/** One line of a bank statement, whatever its format. Amounts are exact minor units. */
export interface StatementEntry {
  /** Position in the statement (0-based), to name the entry in a report. */
  readonly index: number;
  /** The end-to-end id / our order no (camt EndToEndId, MT940 customer reference, CSV column). */
  readonly reference: string | null;
  /** The instruction id (camt InstrId): which item of a batch order, when the bank reports it. */
  readonly instruction: string | null;
  /** The account the statement is for. */
  readonly account: string;
  /** The bank's own reference (camt AcctSvcrRef, MT940 bank reference). */
  readonly bankReference: string | null;
  /** In minor units of the entry's own currency (ISO 4217 exponent: JPY 0, CNY 2, KWD 3). */
  readonly amountMinor: bigint;
  /** Usually the statement's; another one makes the entry a foreign_currency finding, outside the foot. */
  readonly currency: CurrencyCode;
  readonly direction: Direction;
  /** The entry reverses an earlier one (camt RvslInd, MT940 RC / RD); direction is the reversal's own. */
  readonly reversal: boolean;
  readonly status: EntryStatus;
  /** YYYY-MM-DD. */
  readonly bookingDate: string;
  /**
   * Where bookingDate comes from: the entry's booking date, else its value date, else (camt
   * makes both optional) the day the statement or notification was created.
   */
  readonly bookingDateFrom: BookingDateSource;
  readonly valueDate: string | null;
  readonly description: string | null;
  /** The transactions a batched entry (one-to-many) reports; empty when it reports none. */
  readonly transactions: readonly EntryTransaction[];
}

export interface Balance {
  readonly amountMinor: bigint;
  readonly date: string;
}

/** A bank statement (or notification: no balances). */
export interface Statement {
  readonly format: 'camt.053' | 'camt.054' | 'mt940' | 'csv' | 'bai2';
  readonly id: string;
  readonly account: string;
  readonly currency: CurrencyCode;
  /** Signed (credit positive). Null when the format carries none (camt.054, a CSV without them). */
  readonly opening: Balance | null;
  readonly closing: Balance | null;
  /** The business days the statement says it covers (camt FrToDt), YYYY-MM-DD; null when it says none. */
  readonly period: { readonly from: string; readonly to: string } | null;
  readonly entries: readonly StatementEntry[];
}
