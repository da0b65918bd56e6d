/**
 * The one registry of error codes on the wire: every snake_case code fundcore answers
 * with, its HTTP status, and what it means. docs/errors.md lists the same codes; a test
 * pins the two against each other, and against every code the core and runtime can produce.
 */
export const errorRegistry = {
  // The request itself
  malformed_json: { status: 400, summary: 'The body is not valid JSON.' },
  empty_body: { status: 400, summary: 'The body is empty but the route needs one.' },
  invalid_content_length: { status: 400, summary: 'Content-Length does not match the body.' },
  missing_field: { status: 400, summary: 'A required field is missing.' },
  unknown_field: { status: 400, summary: 'The body has a field the route does not take.' },
  invalid_field: { status: 400, summary: 'A field has the wrong type, format or range.' },
  missing_id: { status: 400, summary: 'Neither a body `id` nor an Idempotency-Key header names the command.' },
  idempotency_key_mismatch: { status: 400, summary: 'The Idempotency-Key header and the body `id` differ.' },
  batch_too_large: { status: 400, summary: 'A batch holds more items than allowed (8,000 transfers).' },
  body_too_large: { status: 413, summary: 'The body is larger than the route allows.' },
  unsupported_media_type: { status: 415, summary: 'The body is not application/json.' },
  route_not_found: { status: 404, summary: 'No such route.' },
  path_parameter_too_long: { status: 414, summary: 'A path parameter is longer than 256 characters: no such resource can exist.' },
  unauthorized: { status: 401, summary: 'No valid API key (Authorization: Bearer <key>).' },
  forbidden: { status: 403, summary: 'The key is valid but not for this route (ops routes need the ops key).' },
  rate_limited: { status: 429, summary: 'This API key made more requests in the window than it may (FUNDCORE_RATE_LIMIT_PER_SECOND); retry after Retry-After seconds. Nothing ran.' },

  // Amounts
  amount_invalid_format: { status: 400, summary: 'An amount is not a plain decimal string such as "1234.56".' },
  amount_too_precise: { status: 400, summary: "An amount has more decimal places than its currency's minor unit." },
  amount_must_be_positive: { status: 400, summary: 'An amount is zero or negative where it must be positive.' },
  amount_too_large: { status: 400, summary: 'An amount exceeds 10^18 minor units.' },

  // Ledger: the command as such
  accounts_must_be_different: { status: 400, summary: 'Debit and credit name the same account.' },
  timeout_requires_pending: { status: 400, summary: 'timeoutMs is only for pending transfers.' },
  timeout_too_long: { status: 400, summary: 'timeoutMs is outside 1 ms .. 30 days.' },
  memo_too_long: { status: 400, summary: 'The memo is longer than 256 characters.' },

  // Ledger: what exists
  account_not_found: { status: 404, summary: 'No such account.' },
  transfer_not_found: { status: 404, summary: 'No such transfer.' },
  actor_not_found: { status: 404, summary: 'No such actor.' },
  id_reused_with_different_content: { status: 409, summary: 'The id was used before with other content; the first command stands.' },
  owned_id_invalid: { status: 400, summary: 'An id fundcore derived is empty or longer than 256 characters.' },

  // Ledger: the books
  debit_account_not_found: { status: 422, summary: 'The debit account does not exist.' },
  credit_account_not_found: { status: 422, summary: 'The credit account does not exist.' },
  debit_account_closed: { status: 422, summary: 'The debit account is closed.' },
  credit_account_closed: { status: 422, summary: 'The credit account is closed.' },
  currencies_must_match: { status: 422, summary: 'The two accounts book different currencies.' },
  holds_limit_reached: { status: 422, summary: 'The debit account carries the most open holds it may.' },
  insufficient_funds: { status: 422, summary: 'The debit account has not enough available funds (of a wallet: of the natures the operation may draw).' },
  unknown_nature: { status: 400, summary: 'No such nature of money: withdrawable, refund_only or spend_only.' },
  nature_of_wallet_money: { status: 422, summary: "Money leaving a wallet keeps the natures it has there; such a transfer names none." },
  nature_not_kept: { status: 422, summary: 'Only withdrawable money goes to an account that keeps no natures (not a plain wallet).' },
  exceeds_pending_transfer_amount: { status: 422, summary: 'A post asks for more than is held.' },
  transfer_not_pending: { status: 409, summary: 'Post and void are for pending transfers only.' },
  transfer_not_posted: { status: 409, summary: 'Only a posted transfer can be reversed.' },
  pending_transfer_already_posted: { status: 409, summary: 'The pending transfer was already posted (with another amount).' },
  pending_transfer_already_voided: { status: 409, summary: 'The pending transfer was already voided.' },
  pending_transfer_expired: { status: 409, summary: 'The pending transfer timed out and voided itself.' },
  transfer_credit_in_flight: { status: 409, summary: 'The transfer has not reached its credit account yet; retry shortly.' },
  cannot_reverse_a_reversal: { status: 409, summary: 'A reversal cannot itself be reversed.' },
  account_has_pending_transfers: { status: 409, summary: 'The account still holds funds for pending transfers.' },
  account_has_open_investments: { status: 409, summary: 'Money this wallet invested is still on the platform: redeem its investments first.' },
  account_balance_not_zero: { status: 409, summary: 'Only an account with a zero balance can be closed.' },
  account_closing: { status: 409, summary: 'A close of this hot account is under way: its parts take no money until it closes or the close ends (then try again).' },
  account_not_sealed: { status: 409, summary: 'Internal: a close\'s settlement reached a sub-account that close did not seal. Never answered to a client.' },
  investment_credits_in_flight: { status: 409, summary: "Internal: a wallet's lien on an investment is released only once the credits that paid it back are in; the redemption asks again. Never answered to a client." },
  sub_account_short: { status: 409, summary: 'Internal: a hot sub-account lacks funds on a first try; the ledger tops it up from its siblings and retries. Never answered to a client.' },

  // Fundcore's own ids and accounts
  id_reserved: { status: 400, summary: 'Ids starting with "sys." are fundcore\'s own (system accounts, lending transfers).' },
  system_account_protected: { status: 403, summary: "Money on a system account (sys.*) moves only by fundcore's own processes, not by client transfers." },

  // Investments
  investment_amount_out_of_range: { status: 400, summary: 'An investment is between 1.00 and 100,000,000.00.' },
  investment_term_out_of_range: { status: 400, summary: 'termDays of an investment is 1..3650.' },
  investor_not_found: { status: 422, summary: 'The investor names no account.' },
  account_kind_not_allowed: { status: 422, summary: 'The account is of the wrong kind here (an investor wallet invests, a borrower wallet borrows, only wallets have depository accounts).' },
  investment_not_found: { status: 404, summary: 'No such investment.' },
  investment_not_active: { status: 409, summary: 'Only an active investment (its capital in the pool) can be redeemed.' },
  redemption_before_maturity: { status: 409, summary: 'An investment is redeemed on or after its maturity date (business clock).' },
  redemption_not_found: { status: 404, summary: 'The investment has no redemption (POST /v1/investments/:id/redeem starts it).' },
  capital_not_found: { status: 404, summary: 'No such capital in the pool shard.' },

  // Loans
  loan_amount_out_of_range: { status: 400, summary: 'A loan is between 100.00 and 50,000,000.00.' },
  annual_rate_invalid: { status: 400, summary: 'annualRate is not a plain decimal string with at most 6 decimals, such as "0.0825".' },
  annual_rate_out_of_range: { status: 400, summary: 'annualRate is above 0 and at most 0.36.' },
  loan_term_must_be_days_or_months: { status: 400, summary: 'A loan gives exactly one of termDays and termMonths.' },
  loan_term_out_of_range: { status: 400, summary: 'termDays is 1..1095, termMonths 1..60.' },
  repayment_method_unknown: { status: 400, summary: 'method is one of equal_installment, equal_principal, interest_first, bullet, flat.' },
  loan_product_unknown: { status: 400, summary: 'No loan product has that name (FUNDCORE_LOAN_PRODUCTS configures them; `standard` always exists).' },
  borrower_not_found: { status: 422, summary: 'The borrower names no account.' },
  borrower_account_closed: { status: 422, summary: "The borrower's wallet is closed." },
  interest_amount_invalid: { status: 400, summary: 'An interest pool flow moves a positive amount.' },
  interest_pool_insufficient: { status: 422, summary: "The investor's interest pool holds less than the redemption asks of it." },
  loan_not_repaying: { status: 409, summary: 'The loan takes no payment: not disbursed yet, failed, or settled.' },
  repayment_amount_above_due: { status: 422, summary: "A payment above what it may take: exactly a compensated period owed back (pay the rest after), or on or after the last period's due date exactly what closes the loan (a product with overpayment return_to_wallet returns the excess instead)." },
  guarantee_debt_open: { status: 409, summary: 'A compensated period is owed back to the guarantee: pay that first (no pay-off quote meanwhile).' },
  early_repayment_nothing_open: { status: 409, summary: 'Every period of the loan is settled: there is nothing to pay off.' },
  repayment_in_progress: { status: 409, summary: 'Another payment of the loan is under way (one at a time); retry once it completes.' },
  claim_transfer_in_progress: { status: 409, summary: 'A claim of the loan is changing holders at the bank (redemption); retry once it completes.' },
  repayment_amount_below_due: { status: 422, summary: 'The amount is less than what is due (principal + interest + penalty, or the compensated period owed back).' },
  period_not_found: { status: 404, summary: 'The loan has no such period.' },
  period_already_settled: { status: 409, summary: 'The period is already paid or compensated.' },
  period_not_overdue: { status: 409, summary: 'The period is not overdue (only past its due date may the guarantee pay it).' },
  earlier_period_open: { status: 409, summary: 'An earlier period is still open: periods are compensated in order.' },
  early_repayment_date_outside_period: { status: 422, summary: 'More than is due can be paid only before the due date (pay the due period first).' },
  early_repayment_amount_above_balance: { status: 422, summary: 'The amount exceeds what pays the loan off (principal outstanding + interest to date).' },
  repayment_failed: { status: 422, summary: "The payment failed: the payer's money could not be held, or the bank declined; the period stays unpaid." },
  repayment_not_found: { status: 404, summary: 'The loan has no payment with this id.' },
  loan_not_found: { status: 404, summary: 'No such loan.' },
  loan_not_funded: { status: 409, summary: 'Approval needs a fully funded loan (every unit of it reserved).' },
  plan_not_found: { status: 404, summary: 'The loan has no repayment plan yet: it comes with the approval.' },

  // The capital pool (internal: seen by ops, never caused by a client)
  capital_shard_mismatch: { status: 409, summary: 'A capital was routed to another pool shard than its own.' },
  reservations_already_confirmed: { status: 409, summary: "A loan's reservations were confirmed; they cannot be released." },
  reservations_already_released: { status: 409, summary: "A loan's reservations were released; they cannot be confirmed." },
  pool_shards_mismatch: { status: 409, summary: 'The configured pool shard count differs from the one fixed at the first start.' },

  // The business clock
  business_date_invalid: { status: 400, summary: 'A business date is YYYY-MM-DD, 1970..9999.' },
  clock_cannot_go_back: { status: 409, summary: 'The business date never moves back.' },
  clock_advance_out_of_range: { status: 400, summary: 'The business clock advances by 1..3660 days at a time.' },
  clock_not_simulated: { status: 409, summary: 'The business clock follows the wall clock; only FUNDCORE_CLOCK=sim lets ops set it.' },

  // The bank depository
  depository_account_not_open: { status: 409, summary: 'The wallet has no open depository account at the bank (POST /v1/depository-accounts); or a conversion joins a wallet held there and one not.' },
  deposit_not_found: { status: 404, summary: 'No such deposit.' },
  withdrawal_not_found: { status: 404, summary: 'No such withdrawal.' },
  bank_order_not_found: { status: 404, summary: 'No such bank order.' },
  bank_order_not_sent: { status: 409, summary: 'The bank order was never sent to the bank (a withdrawal still holding, or refused), so the bank has no result for it.' },
  bank_currency_mismatch: { status: 422, summary: "A bank callback names another currency than its order's: it is not this order's result, and nothing is recorded." },
  wallet_currency_mismatch: { status: 422, summary: "A deposit or withdrawal names another currency than the wallet books: a wallet's depository orders are in its own currency." },
  callback_signature_invalid: { status: 401, summary: 'A bank callback without a valid X-Bank-Signature (HMAC-SHA256 of the timestamp and the raw body).' },
  callback_timestamp_stale: { status: 401, summary: 'A bank callback whose X-Bank-Timestamp is more than 5 minutes away from now.' },

  // Read models, reconciliation, end of day
  invalid_cursor: { status: 400, summary: 'The cursor is not one this query gave.' },
  statement_unreadable: { status: 400, summary: 'The statement is not readable in its format (malformed XML, MT940 or CSV; no statement in it).' },
  statement_amount_invalid: { status: 400, summary: 'A statement amount is not exact in its currency (an exponent, more decimals than the currency has).' },
  statement_currency_unknown: { status: 400, summary: 'The statement, one of its entries or balances is in no ISO 4217 currency, or a balance is in another currency than its statement (an entry in another currency is a foreign_currency finding instead).' },
  statement_malformed: { status: 400, summary: 'The statement is not well-formed: XML with a truncated file or a mismatched tag (the message gives the line and column), or a BAI2 file whose trailer totals or counts disagree or that ends early.' },
  statement_dtd_forbidden: { status: 400, summary: 'The XML statement holds a DOCTYPE or an entity declaration; statements never need one, so none is read.' },
  reconciliation_not_found: { status: 404, summary: 'No such reconciliation.' },
  reconciliation_busy: { status: 503, summary: 'Every statement job is taken (running and waiting), or a job for the same reconciliation id is under way; nothing was recorded, retry shortly.' },
  statement_job_failed: { status: 503, summary: "The statement's job failed: its worker ran out of memory or time, or stopped; the report was not recorded. The node goes on; retry, or send the statement in parts." },
  claim_not_found: { status: 404, summary: 'No claim with that order number (in the read models).' },
  finding_not_found: { status: 404, summary: 'The reconciliation has no finding with that number.' },
  repair_not_applicable: { status: 409, summary: 'That repair does not fit the finding (or the finding was already repaired otherwise).' },
  repair_account_not_found: { status: 422, summary: 'A supplementary posting names an account the ledger does not have.' },
  eod_day_not_over: { status: 409, summary: "The date is after today's business date: it cannot be closed yet." },
  eod_close_in_progress: { status: 409, summary: "Another day's close is under way; close that one first." },
  eod_day_not_closing: { status: 409, summary: 'No close of that date is under way (retry the close).' },
  eod_day_not_closed: { status: 404, summary: 'That business date is not closed: no report yet.' },
  eod_cut_incomplete: { status: 409, summary: "The close's cut markers did not all reach the read models in time (a partition's node is down or the read side lags); close the date again." },
  eod_cut_date_invalid: { status: 400, summary: 'A day cut names no business date (YYYY-MM-DD).' },

  currency_not_configured: { status: 422, summary: 'The platform does not book that currency (FUNDCORE_CURRENCIES).' },

  // Conversions between currencies
  conversion_id_reused: { status: 409, summary: 'A conversion with this id was asked with other content (accounts, amount, rate or rounding).' },
  conversion_same_currency: { status: 422, summary: 'Both accounts keep the same currency: that is a transfer, not a conversion.' },
  fx_rate_invalid: { status: 400, summary: 'The rate is not a positive decimal with at most 9 integer and 10 decimal digits (target units per source unit).' },
  conversion_rounds_to_zero: { status: 422, summary: 'The amount at this rate rounds to nothing in the target currency.' },
  conversion_not_found: { status: 404, summary: 'No such conversion.' },
  conversion_account_not_plain: { status: 422, summary: 'A conversion moves money between plain accounts; a hot account (split into sub-accounts) converts through a plain one.' },

  // Refunds along the original path
  refund_of_refund: { status: 422, summary: 'A refund names a refund: only a deposit (recharge) is refunded.' },
  deposit_not_refundable: { status: 409, summary: 'The deposit brought nothing in (it failed or is still out at the bank), or brought money of a nature never refunded (spend_only).' },
  refunds_limit_reached: { status: 422, summary: 'The deposit has had as many refunds as one deposit may have (100, failed ones included).' },
  refund_exceeds_order: { status: 422, summary: 'More than the deposit brought in less its earlier refunds (those out or done).' },
  refund_not_found: { status: 404, summary: 'No such refund.' },

  // Order amendments
  amendment_exists: { status: 409, summary: 'The transfer is already amended (or being amended) under another id; a transfer is reversed, so amended, once.' },
  transfer_not_amendable: { status: 409, summary: 'Only a posted transfer that was not reversed is amended (a pending one is posted or voided; a voided or returned one moved nothing).' },
  amendment_not_found: { status: 404, summary: 'The transfer has no amendment.' },

  // The runtime: the outcome is unknown or the command never ran; retry with the same id
  mailbox_full: { status: 503, summary: "The account's mailbox is full; retry shortly." },
  overloaded: { status: 503, summary: "The node has too much work in flight (its outbox backlog, or the gateway's requests at once beyond FUNDCORE_REQUESTS_IN_FLIGHT_MAX); retry shortly." },
  ask_timeout: { status: 503, summary: 'The actor did not answer in time; the outcome is unknown, retry with the same id.' },
  journal_failed: { status: 503, summary: 'The journal write failed; the outcome is unknown, retry with the same id.' },
  actor_unavailable: { status: 503, summary: 'The actor cannot be activated from its journal right now.' },
  system_stopped: { status: 503, summary: 'The node is shutting down.' },
  partition_unavailable: { status: 503, summary: 'Cluster mode: no node serves the partition of this account right now (its node is down, restarting or lost its lease); retry with the same id.' },
  read_model_behind: { status: 503, summary: 'The read models could not reach what was journaled (cluster: the log stream is unreachable or far behind; embedded: their worker thread failed and is being restarted; or an archive file they list is missing); a close or a reconciliation is not made from less; retry.' },
  internal_error: { status: 500, summary: 'A bug. Nothing about the request; it is logged.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof errorRegistry;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorRegistry, code);
}

/** An error answered with a registered code. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get status(): number {
    return errorRegistry[this.code].status;
  }
}
