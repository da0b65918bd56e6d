/** Codes a bank order decision refuses with. */
export const bankRejectionCodes = ['id_reused_with_different_content', 'bank_order_not_found', 'bank_order_not_sent', 'bank_currency_mismatch'] as const;
export type BankRejectionCode = (typeof bankRejectionCodes)[number];
