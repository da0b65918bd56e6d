import type { RuntimeErrorCode } from '../actors/runtime/errors.js';
import type { StatementErrorCode } from '../actors/reconciliation/statement-error.js';
import type { StatementJobCode } from '../actors/reconciliation/statement-job-limits.js';
import type { BankRejectionCode } from '../core/bank/rejections.js';
import type { DayCutRejectionCode } from '../core/eod/day-cut.js';
import type { EodCloseRefusalCode, EodRejectionCode } from '../core/eod/eod.js';
import type { LedgerRejectionCode } from '../core/ledger/rejections.js';
import type { IdOwnerRejectionCode } from '../core/ledger/id-owner.js';
import type { InterestPoolRejectionCode } from '../core/lending/interest-pool/rejections.js';
import type { LendingRejectionCode } from '../core/lending/rejections.js';
import type { RepaymentRejectionCode } from '../core/lending/repayment/rejections.js';
import type { AmountRejectionCode } from '../core/money/amount.js';
import type { ReconciliationRejectionCode } from '../core/reconciliation/reconciliation.js';
import type { FxRejectionCode } from '../core/fx/rejections.js';
import type { AmendmentRejectionCode } from '../core/amendment/amendment.js';
import type { RefundBookRejectionCode } from '../core/bank/refund-book.js';
import type { ErrorCode } from './errors.js';

/**
 * Every code the deciders in core/, the amount parser, the statement readers and the runtime
 * can produce: each one may reach the wire, so each must be in the registry. A code added to
 * one of these unions and not to the registry fails to compile here (not a 500 at run time).
 * The plan's codes are left out: its messages come only from the loan's outbox, never from a
 * route, and the loan decides repayments before the plan records them.
 */
export type ProducedCode =
  | LedgerRejectionCode
  | FxRejectionCode
  | AmendmentRejectionCode
  | RefundBookRejectionCode
  | IdOwnerRejectionCode
  | LendingRejectionCode
  | RepaymentRejectionCode
  | InterestPoolRejectionCode
  | BankRejectionCode
  | EodRejectionCode
  | EodCloseRefusalCode
  | DayCutRejectionCode
  | ReconciliationRejectionCode
  | AmountRejectionCode
  | StatementErrorCode
  | StatementJobCode
  | RuntimeErrorCode;

type Unregistered = Exclude<ProducedCode, ErrorCode>;

/** `true` only when every produced code is registered; otherwise the type names the missing ones. */
export const everyProducedCodeRegistered: [Unregistered] extends [never] ? true : { readonly unregistered: Unregistered } = true;
