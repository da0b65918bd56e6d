/**
 * Every code a lending decision can refuse with. Each decide function states the order in
 * which its rules are checked; tests in test/core/lending walk those orders as tables.
 */
export const lendingRejectionCodes = [
  'id_reused_with_different_content',
  // investments
  'investment_amount_out_of_range',
  'investment_term_out_of_range',
  'investor_not_found',
  'account_kind_not_allowed',
  'currencies_must_match',
  'investment_not_found',
  // loans
  'loan_amount_out_of_range',
  'annual_rate_invalid',
  'annual_rate_out_of_range',
  'loan_term_must_be_days_or_months',
  'loan_term_out_of_range',
  'repayment_method_unknown',
  'loan_product_unknown',
  'borrower_not_found',
  'borrower_account_closed',
  'loan_not_found',
  'loan_not_funded',
  // pool shards
  'capital_shard_mismatch',
  'reservations_already_confirmed',
  'reservations_already_released',
  // settings and the business clock
  'business_date_invalid',
  'clock_cannot_go_back',
  'clock_advance_out_of_range',
  'pool_shards_mismatch',
] as const;

export type LendingRejectionCode = (typeof lendingRejectionCodes)[number];
