import type { AccountDirectoryEntry } from '../../core/ledger/account.js';
import { systemAccounts } from './ids.js';
import type { LoanCommand } from '../../core/lending/loan/commands.js';
import { decideLoan } from '../../core/lending/loan/decide-loan.js';
import { evolveLoan } from '../../core/lending/loan/evolve-loan.js';
import type { LoanEvent } from '../../core/lending/loan/events.js';
import { assertLoanInvariants } from '../../core/lending/loan/loan-invariants.js';
import { initialLoanState, type LoanState } from '../../core/lending/loan/loan.js';
import { assertNever, isRejection } from '../../core/rejection.js';
import { claimIndexFeedOf } from '../index/index-feeds.js';
import type { ActorBehavior, Handled } from '../runtime/behavior.js';
import type { LendingDeps } from './lending-deps.js';
import { matchingOf, productNamed } from './lending-config.js';
import { loanDeliveriesOf } from './loan-deliveries.js';
import type { LoanMessage } from './messages.js';

/**
 * One loan = one actor (`loan:<id>`): the loan, its claims, and the process manager of its
 * matching and disbursement. Every step of those processes is an event here; what it asks
 * of others (the waiting book, the shards, the ledger, the bank, the repayment service) goes
 * out through the outbox, and their replies come back here to be journaled.
 */
export function loanBehavior(deps: LendingDeps): ActorBehavior<LoanState, LoanEvent> {
  return {
    type: 'loan',
    initialState: () => initialLoanState,
    isQuery: (message) => (message as LoanMessage).type === 'get_loan',
    // The actor answers for its own existence: no service reads the journal to learn it.
    query: (state) => (state.loan === null ? { ok: false, code: 'loan_not_found', detail: 'no such loan' } : { ok: true, value: state }),
    handle(state, message, lookup, at): Handled<LoanEvent> {
      const command = commandOf(message as LoanMessage, deps, at, (id) => (lookup.get('directory', id) as AccountDirectoryEntry | undefined) ?? null);
      const decision = decideLoan(state, command);
      if (isRejection(decision)) return { events: [], reply: { ok: false, code: decision.code, detail: decision.detail } };
      const after = decision.reduce(evolveLoan, state);
      return { events: decision, reply: { ok: true, value: after } };
    },
    evolve: evolveLoan,
    indexWritesOf: () => [],
    deliveriesOf: (actorId, event) => [...loanDeliveriesOf(actorId, event), ...claimIndexFeedOf(actorId.slice('loan:'.length), event)],
    wakeAt: () => null,
    wakeMessage: () => null,
    assertInvariants: (state) => assertLoanInvariants(state, deps.config.claimsPerLoanMax),
  };
}

function commandOf(message: LoanMessage, deps: LendingDeps, at: number, directory: (id: string) => AccountDirectoryEntry | null): LoanCommand {
  const on = deps.clock.today();
  const matching = matchingOf(deps.config);
  switch (message.type) {
    case 'publish_loan': {
      const { product: named, ...content } = message.data;
      const productName = named ?? deps.config.defaultProduct;
      return { type: 'publish_loan', data: { ...content, productName, product: productNamed(deps.config, productName), at, on, borrowerAccount: directory(message.data.borrower) } };
    }
    case 'book_registered':
      return { type: 'book_registered', data: { at, on, matching } };
    case 'reservation_result':
      return { type: 'reservation_result', data: { ...message.data, at, on, matching } };
    case 'capital_available':
      return { type: 'capital_available', data: { at, on, matching } };
    case 'approve_loan':
      return { type: 'approve_loan', data: { at, on } };
    case 'disbursement_hold_placed':
      return { type: 'disbursement_hold_placed', data: { at } };
    case 'disbursement_hold_refused':
      return { type: 'disbursement_hold_refused', data: { ...message.data, at } };
    case 'bank_order_result':
      // One loan has one disbursement order, numbered payment orders (rp-<loan>-<n>) and claim-transfer batches (xfer-<loan>-<n>).
      if (message.data.orderNo.startsWith('rp-')) return { type: 'repayment_result', data: { ...message.data, poolShards: deps.config.poolShards, at, on } };
      if (message.data.orderNo.startsWith('xfer-')) return { type: 'transfer_bank_result', data: { ...message.data, at } };
      return { type: 'disbursement_result', data: { ...message.data, at } };
    case 'request_repayment':
      return { type: 'request_repayment', data: { ...message.data, guaranteeAccount: systemAccounts.guarantee, at, on } };
    case 'repayment_hold_placed':
      return { type: 'repayment_hold_placed', data: { ...message.data, revenueAccount: systemAccounts.revenue, guaranteeAccount: systemAccounts.guarantee, at, on } };
    case 'repayment_hold_refused':
      return { type: 'repayment_hold_refused', data: { ...message.data, at } };
    case 'plan_recorded':
      return { type: 'plan_recorded', data: { ...message.data, at } };
    case 'transfer_claims':
      return { type: 'transfer_claims', data: { ...message.data, at, on, matching } };
    case 'transfer_reservation_result':
      return { type: 'transfer_reservation_result', data: { ...message.data, at, on, matching } };
    case 'get_loan':
      throw new Error('get_loan is a query');
    default:
      return assertNever(message, 'loan message');
  }
}

