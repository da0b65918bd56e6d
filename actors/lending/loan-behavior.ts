import type { AccountDirectoryEntry } from '../../core/ledger/account.js';
import { systemAccounts } from './ids.js';
import type { LoanCommand } from '../../core/lending/loan/commands.js';
import { loanDecider } from '../../core/lending/loan/decide-loan.js';
import type { LendingRejectionCode } from '../../core/lending/rejections.js';
import type { RepaymentRejectionCode } from '../../core/lending/repayment/rejections.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import { assertLoanInvariants } from '../../core/lending/loan/loan-invariants.js';
import type { LoanState } from '../../core/lending/loan/loan.js';
import { assertNever } from '../../core/rejection.js';
import { claimIndexFeedOf } from '../index/index-feeds.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import type { LendingDeps } from './lending-deps.js';
import { matchingOf, productNamed } from './lending-config.js';
import { loanDeliveriesOf } from './loan-deliveries.js';
import type { LoanMessage } from './messages.js';
import { withFields } from '../../core/with-fields.js';

/**
 * One loan = one actor (`loan:<id>`): the loan, its claims, and the process manager of its
 * matching and disbursement. Every step of those processes is an event here; what it asks
 * of others (the waiting book, the shards, the ledger, the bank, the repayment service) goes
 * out through the outbox, and their replies come back here to be journaled.
 */
export function loanBehavior(deps: LendingDeps): ActorBehavior<LoanState, LoanEvent> {
  return deciderBehavior<LoanState, LoanMessage, LoanCommand, LoanEvent, LendingRejectionCode | RepaymentRejectionCode, LoanState>({
    type: 'loan',
    decider: loanDecider,
    isQuery: (message) => message.type === 'get_loan',
    // The actor answers for its own existence: no service reads the journal to learn it.
    query: (state) => (state.loan === null ? { ok: false, code: 'loan_not_found', detail: 'no such loan' } : { ok: true, value: state }),
    commandOf: (message, { at, lookup }) => commandOf(message, deps, at, (id) => (lookup.get('directory', id) as AccountDirectoryEntry | undefined) ?? null),
    deliveriesOf: (actorId, event) => [...loanDeliveriesOf(actorId, event, deps.config.paymentStrategies.repay), ...claimIndexFeedOf(actorId.slice('loan:'.length), event)],
    assertInvariants: (state) => assertLoanInvariants(state, deps.config.claimsPerLoanMax),
  });
}

function commandOf(message: LoanMessage, deps: LendingDeps, at: number, directory: (id: string) => AccountDirectoryEntry | null): LoanCommand {
  const on = deps.clock.today();
  const matching = matchingOf(deps.config);
  switch (message.type) {
    case 'publish_loan': {
      const { product: named, ...content } = message.data;
      const productName = named ?? deps.config.defaultProduct;
      return { type: 'publish_loan', data: withFields(content, { productName, product: productNamed(deps.config, productName), at, on, borrowerAccount: directory(message.data.borrower) }) };
    }
    case 'book_registered':
      return { type: 'book_registered', data: { at, on, matching } };
    case 'reservation_result':
      return { type: 'reservation_result', data: withFields(message.data, { at, on, matching }) };
    case 'capital_available':
      return { type: 'capital_available', data: { at, on, matching } };
    case 'approve_loan':
      return { type: 'approve_loan', data: { at, on } };
    case 'disbursement_hold_placed':
      return { type: 'disbursement_hold_placed', data: { at, revenueAccount: systemAccounts.revenue } };
    case 'disbursement_hold_refused':
      return { type: 'disbursement_hold_refused', data: withFields(message.data, { at }) };
    case 'bank_order_result':
      // One loan has one disbursement order, numbered payment orders (rp-<loan>-<n>) and claim-transfer batches (xfer-<loan>-<n>).
      if (message.data.orderNo.startsWith('rp-')) return { type: 'repayment_result', data: withFields(message.data, { poolShards: deps.config.poolShards, at, on }) };
      if (message.data.orderNo.startsWith('xfer-')) return { type: 'transfer_bank_result', data: withFields(message.data, { at }) };
      return { type: 'disbursement_result', data: withFields(message.data, { at }) };
    case 'request_repayment':
      return { type: 'request_repayment', data: withFields(message.data, { guaranteeAccount: systemAccounts.guarantee, at, on }) };
    case 'repayment_hold_placed':
      return { type: 'repayment_hold_placed', data: withFields(message.data, { revenueAccount: systemAccounts.revenue, guaranteeAccount: systemAccounts.guarantee, at, on }) };
    case 'repayment_hold_refused':
      return { type: 'repayment_hold_refused', data: withFields(message.data, { at }) };
    case 'plan_recorded':
      return { type: 'plan_recorded', data: withFields(message.data, { at }) };
    case 'transfer_claims':
      return { type: 'transfer_claims', data: withFields(message.data, { at, on, matching }) };
    case 'transfer_reservation_result':
      return { type: 'transfer_reservation_result', data: withFields(message.data, { at, on, matching }) };
    case 'get_loan':
      throw new Error('get_loan is a query');
    default:
      return assertNever(message, 'loan message');
  }
}

