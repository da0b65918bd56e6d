/** Why a conversion is refused, in the order `convert` checks (decide-conversion.ts). */
export const fxRejectionCodes = ['conversion_id_reused', 'conversion_same_currency', 'fx_rate_invalid', 'conversion_rounds_to_zero', 'amount_too_large', 'conversion_not_found'] as const;

export type FxRejectionCode = (typeof fxRejectionCodes)[number];
