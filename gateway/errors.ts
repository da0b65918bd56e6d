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
  unauthorized: { status: 401, summary: 'No valid API key (Authorization: Bearer <key>).' },
  forbidden: { status: 403, summary: 'The key is valid but not for this route (ops routes need the ops key).' },

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

  // Ledger: the books
  debit_account_not_found: { status: 422, summary: 'The debit account does not exist.' },
  credit_account_not_found: { status: 422, summary: 'The credit account does not exist.' },
  debit_account_closed: { status: 422, summary: 'The debit account is closed.' },
  credit_account_closed: { status: 422, summary: 'The credit account is closed.' },
  currencies_must_match: { status: 422, summary: 'The two accounts book different currencies.' },
  holds_limit_reached: { status: 422, summary: 'The debit account carries the most open holds it may.' },
  insufficient_funds: { status: 422, summary: 'The debit account has not enough available funds.' },
  exceeds_pending_transfer_amount: { status: 422, summary: 'A post asks for more than is held.' },
  transfer_not_pending: { status: 409, summary: 'Post and void are for pending transfers only.' },
  transfer_not_posted: { status: 409, summary: 'Only a posted transfer can be reversed.' },
  pending_transfer_already_posted: { status: 409, summary: 'The pending transfer was already posted (with another amount).' },
  pending_transfer_already_voided: { status: 409, summary: 'The pending transfer was already voided.' },
  pending_transfer_expired: { status: 409, summary: 'The pending transfer timed out and voided itself.' },
  transfer_credit_in_flight: { status: 409, summary: 'The transfer has not reached its credit account yet; retry shortly.' },
  cannot_reverse_a_reversal: { status: 409, summary: 'A reversal cannot itself be reversed.' },
  account_has_pending_transfers: { status: 409, summary: 'The account still holds funds for pending transfers.' },
  account_balance_not_zero: { status: 409, summary: 'Only an account with a zero balance can be closed.' },
  sub_account_short: { status: 409, summary: 'Internal: a hot sub-account lacks funds on a first try; the ledger tops it up from its siblings and retries. Never answered to a client.' },

  // The runtime: the outcome is unknown or the command never ran; retry with the same id
  mailbox_full: { status: 503, summary: "The account's mailbox is full; retry shortly." },
  overloaded: { status: 503, summary: 'The node has too much work in flight; retry shortly.' },
  ask_timeout: { status: 503, summary: 'The actor did not answer in time; the outcome is unknown, retry with the same id.' },
  journal_failed: { status: 503, summary: 'The journal write failed; the outcome is unknown, retry with the same id.' },
  actor_unavailable: { status: 503, summary: 'The actor cannot be activated from its journal right now.' },
  system_stopped: { status: 503, summary: 'The node is shutting down.' },
  partition_unavailable: { status: 503, summary: 'Cluster mode: no node serves the partition of this account right now (its node is down, restarting or lost its lease); retry with the same id.' },
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
