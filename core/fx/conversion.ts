import type { Currency } from '../money/currency.js';

/** How a converted amount is rounded to the target currency's minor unit. */
export const fxRoundings = ['half_even', 'half_up', 'down'] as const;
export type FxRounding = (typeof fxRoundings)[number];

/** What a client asks: `amount` of the source account's money, converted at `rate` (target units per source unit). */
export interface ConversionRequest {
  readonly id: string;
  readonly fromAccount: string;
  readonly fromCurrency: Currency;
  readonly toAccount: string;
  readonly toCurrency: Currency;
  /** In the source currency's minor units. */
  readonly amount: bigint;
  /** A decimal string: target currency units per source currency unit ("151.37" JPY per USD). */
  readonly rate: string;
  readonly rounding: FxRounding;
}

/** A conversion as recorded: the request, what the target receives, and what rounding left over. */
export interface Conversion extends ConversionRequest {
  /** In the target currency's minor units, rounded. */
  readonly toAmount: bigint;
  /** The exact converted amount minus the rounded one, in target minor units (a decimal string, exact). */
  readonly residual: string;
  readonly requestedAt: number;
  /**
   * Both accounts are wallets held at the bank depository: the bank converts (one bank
   * order, the source held until it answers) and the legs run against the settlement
   * accounts. Absent: the platform converts on its ledger through its FX positions.
   */
  readonly atBank?: true;
}

/**
 * debiting: the source leg (source account → the source currency's FX position) is asked;
 * crediting: it is booked, the target leg (the target currency's FX position → target
 * account) is asked; completed; failed: the source leg was refused (nothing moved), or the
 * target leg was and the source leg is reversed. At the bank: at_bank (the bank order is
 * asked: the source held, the bank converting), then completed or failed (the hold voided).
 */
export type ConversionStatus = 'debiting' | 'crediting' | 'at_bank' | 'completed' | 'failed';

export interface ConversionState {
  readonly conversion: Conversion | null;
  readonly status: ConversionStatus | null;
  readonly failure: { readonly code: string; readonly detail: string } | null;
}

export const initialConversionState: ConversionState = { conversion: null, status: null, failure: null };

export type ConversionCommand =
  | { readonly type: 'convert'; readonly data: { readonly request: ConversionRequest; readonly fromScale: number; readonly toScale: number; readonly at: number; readonly atBank: boolean } }
  /** The bank order's outcome: the bank converted, or the hold or the bank refused. */
  | { readonly type: 'bank_answered'; readonly data: { readonly accepted: boolean; readonly code: string | null; readonly detail: string | null } }
  | { readonly type: 'source_leg_answered'; readonly data: { readonly accepted: boolean; readonly code: string | null; readonly detail: string | null } }
  | { readonly type: 'target_leg_answered'; readonly data: { readonly accepted: boolean; readonly code: string | null; readonly detail: string | null } };

export type ConversionEvent =
  | { readonly type: 'conversion_requested'; readonly data: { readonly conversion: Conversion } }
  /** Carries what the target leg needs (its delivery is derived from this event alone). */
  | { readonly type: 'source_leg_booked'; readonly data: { readonly id: string; readonly toAccount: string; readonly toCurrency: Currency; readonly toAmount: bigint } }
  | { readonly type: 'conversion_completed'; readonly data: Record<string, never> }
  /** `payBack`: the source leg was booked and is paid back to the source account. */
  | { readonly type: 'conversion_failed'; readonly data: { readonly code: string; readonly detail: string; readonly payBack: PayBack | null } };

export interface PayBack {
  readonly id: string;
  readonly fromAccount: string;
  readonly fromCurrency: Currency;
  readonly amount: bigint;
}

/** The FX position account of a currency: the platform's book of what it bought and sold in it. */
export function fxPositionAccount(currency: Currency): string {
  return `sys.fx.${currency}`;
}

/**
 * The legs' transfer ids, derived from the conversion's (a redelivery is a duplicate), in
 * fundcore's own namespace (`sys.`): no client can take one first. A conversion id is at
 * most 48 characters, so they fit the 64 of a transfer id.
 */
export const sourceLegId = (id: string) => `sys.fx.${id}.out`;
export const targetLegId = (id: string) => `sys.fx.${id}.in`;
export const payBackId = (id: string) => `sys.fx.${id}.back`;
