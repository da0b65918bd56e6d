import { assertNever, type Rejection } from '../../rejection.js';
import type { LendingRejectionCode } from '../rejections.js';
import type { LoanCommand } from './commands.js';
import { decideApprove, decideDisbursementResult, decideHoldPlaced, decideHoldRefused, decidePlanRecorded } from './decide-disbursement.js';
import { decideTransferClaims, decideTransferReservationResult, decideTransfersOnCapital } from './decide-claim-transfer.js';
import { decideCapitalAvailable, decideRegistered, decideReservationResult } from './decide-matching.js';
import { decidePublish } from './decide-publish.js';
import type { LoanEvent } from './events.js';
import type { LoanState } from './loan.js';

/** Events to journal (none: a duplicate, or nothing to do), or a rejection. */
export type LoanDecision = readonly LoanEvent[] | Rejection<LendingRejectionCode>;

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
    default:
      return assertNever(command, 'loan command');
  }
}
