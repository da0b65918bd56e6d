import { emptyWaitingBook, waitingBookDecider, type WaitingBookCommand, type WaitingBookEvent, type WaitingBookState } from '../../core/lending/book/waiting-book.js';
import { assertNever } from '../../core/rejection.js';
import type { ActorBehavior } from '../runtime/behavior.js';
import { deciderBehavior } from '../runtime/decider-behavior.js';
import { loanActorId } from './ids.js';
import type { LendingDeps } from './lending-deps.js';
import { tell } from './ledger-deliveries.js';
import type { LoanMessage, WaitingBookMessage } from './messages.js';

/** The waiting book (`book:waiting`): which loans still wait for capital, told when some comes free. */
export function waitingBookBehavior(deps: LendingDeps): ActorBehavior<WaitingBookState, WaitingBookEvent> {
  return deciderBehavior<WaitingBookState, WaitingBookMessage, WaitingBookCommand, WaitingBookEvent, never, { readonly waiting: number }>({
    type: 'book',
    decider: waitingBookDecider,
    // The book is changed in place (core/lending/book/waiting-book.ts): each actor starts its own, and a query answers a copy.
    initialStateOf: emptyWaitingBook,
    isQuery: (message) => message.type === 'get_book',
    query: (state) => ({ ok: true, value: { waiting: new Map(state.waiting) } }),
    commandOf: (message, { at }) => commandOf(message, deps, at),
    deliveriesOf(_actorId, event) {
      if (event.type !== 'capital_announced') return [];
      const available: LoanMessage = { type: 'capital_available' };
      // Coalesced: a loan told by two announcements that leave together walks once.
      return event.data.loans.map((loanId) => ({ ...tell(loanActorId(loanId), available), coalesceKey: 'capital_available' }));
    },
  });
}

function commandOf(message: WaitingBookMessage, deps: LendingDeps, at: number): WaitingBookCommand {
  switch (message.type) {
    case 'register_loan':
      return { type: 'register_loan', data: { loanId: message.data.loanId, at } };
    case 'deregister_loan':
      return { type: 'deregister_loan', data: message.data };
    case 'announce_capital':
      return { type: 'announce_capital', data: { notifyMax: deps.config.waitingLoansNotifiedMax } };
    case 'get_book':
      throw new Error('get_book is a query');
    default:
      return assertNever(message, 'waiting book message');
  }
}
