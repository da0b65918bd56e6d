/**
 * Every code a ledger decision can refuse with. The order in which a command's rules are
 * checked is part of the contract; it is written beside each decide function and walked by
 * the precedence table tests in test/core/ledger.
 */
export const ledgerRejectionCodes = [
  // open_account
  'id_reused_with_different_content',
  // create_transfer
  'amount_must_be_positive',
  'accounts_must_be_different',
  'timeout_requires_pending',
  'timeout_too_long',
  'memo_too_long',
  'debit_account_not_found',
  'credit_account_not_found',
  'debit_account_closed',
  'credit_account_closed',
  'currencies_must_match',
  'unknown_nature',
  'nature_not_kept',
  'nature_of_wallet_money',
  'holds_limit_reached',
  'insufficient_funds',
  // post_pending / void_pending / return_credit / reverse_transfer
  'transfer_not_found',
  'transfer_not_pending',
  'transfer_not_posted',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'pending_transfer_expired',
  'exceeds_pending_transfer_amount',
  'transfer_credit_in_flight',
  'cannot_reverse_a_reversal',
  // a hot account's close sealed the part that was asked (debits refused, credits returned)
  'account_closing',
  // internal: a hot sub-account lacks funds on a first try; the ledger balances and retries
  'sub_account_short',
  // close_account
  'account_not_found',
  'account_has_pending_transfers',
  'account_has_open_investments',
  // internal: a lien's release waits for the credits of the investment's money
  'investment_credits_in_flight',
  'account_balance_not_zero',
  // internal: a close's settlement reached a part its close did not seal
  'account_not_sealed',
] as const;

export type LedgerRejectionCode = (typeof ledgerRejectionCodes)[number];
