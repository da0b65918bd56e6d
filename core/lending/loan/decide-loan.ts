import { assertNever, type Rejection } from '../../rejection.js';
import type { LendingRejectionCode } from '../rejections.js';
import { decideRequestRepayment } from '../repayment/decide-repayment.js';
import { decideRepaymentHoldPlaced, decideRepaymentHoldRefused, decideRepaymentResult } from '../repayment/decide-repayment-result.js';
import type { RepaymentRejectionCode } from '../repayment/rejections.js';
import type { LoanCommand } from './commands.js';
import { decideApprove, decideDisbursementResult, decideHoldPlaced, decideHoldRefused, decidePlanRecorded } from './decide-disbursement.js';
import { decideTransferClaims, decideTransferReservationResult, decideTransfersOnCapital, switchesAfterRepayment } from './decide-claim-transfer.js';
import { decideTransferBankResult } from './decide-claim-transfer-settlement.js';
import { evolveLoan } from './evolve-loan.js';
import { decideCapitalAvailable, decideRegistered, decideReservationResult } from './decide-matching.js';
import { decidePublish } from './decide-publish.js';
import type { LoanEvent } from './events.js';
import { initialLoanState, type LoanState } from './loan.js';
import type { Decider } from '../../decider.js';

/** Events to journal (none: a duplicate, or nothing to do), or a rejection. */
export type LoanDecision = readonly LoanEvent[] | Rejection<LendingRejectionCode | RepaymentRejectionCode>;

/** The loan decider: the loan itself, its matching process and its claims. */
export function decideLoan(state: LoanState, command: LoanCommand): LoanDecision {
  switch (command.type) {
    case 'publish_loan':
      return decidePublish(state, command);
    case 'book_registered':
      return decideRegistered(state, command);
    case 'reservation_result':
      return decideReservationResult(state, command);
    case 'capital_available':
      return [...decideCapitalAvailable(state, command), ...decideTransfersOnCapital(state, command.data.on, command.data.matching)];
    case 'approve_loan':
      return decideApprove(state, command);
    case 'disbursement_hold_placed':
      return decideHoldPlaced(state, command);
    case 'disbursement_hold_refused':
      return decideHoldRefused(state, command);
    case 'disbursement_result':
      return decideDisbursementResult(state, command);
    case 'plan_recorded':
      return decidePlanRecorded(state, command);
    case 'transfer_claims':
      return decideTransferClaims(state, command);
    case 'transfer_reservation_result':
      return decideTransferReservationResult(state, command);
    case 'transfer_bank_result':
      return decideTransferBankResult(state, command);
    case 'request_repayment':
      return decideRequestRepayment(state, command);
    case 'repayment_hold_placed':
      return decideRepaymentHoldPlaced(state, command);
    case 'repayment_hold_refused':
      return withDeferredSwitches(state, decideRepaymentHoldRefused(state, command));
    case 'repayment_result':
      return withDeferredSwitches(state, decideRepaymentResult(state, command));
    default:
      return assertNever(command, 'loan command');
  }
}

/** A repayment that ends lets the claim transfers it held back switch (claim-transfer.ts). */
function withDeferredSwitches(state: LoanState, decided: readonly LoanEvent[]): readonly LoanEvent[] {
  if (decided.length === 0 || !state.transfers.some((transfer) => transfer.stage === 'deferred')) return decided;
  return [...decided, ...switchesAfterRepayment(state, decided, evolveLoan)];
}

/** A loan as one decider: an accepted command answers the loan after it. */
export const loanDecider: Decider<LoanState, LoanCommand, LoanEvent, LendingRejectionCode | RepaymentRejectionCode, LoanState> = {
  initialState: initialLoanState,
  decide: decideLoan,
  evolve: evolveLoan,
  reply: (state) => state,
};
