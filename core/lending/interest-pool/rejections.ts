/** Codes an interest pool decision refuses with (precedence in each decide function's comment). */
export const interestPoolRejectionCodes = ['interest_amount_invalid', 'interest_pool_insufficient'] as const;
export type InterestPoolRejectionCode = (typeof interestPoolRejectionCodes)[number];
