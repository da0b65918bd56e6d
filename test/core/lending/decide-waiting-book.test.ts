import t from 'tap';
import { decideWaitingBook, evolveWaitingBook, initialWaitingBookState } from '../../../core/lending/book/waiting-book.js';
import { t0 } from './fixtures.js';
import { deciderOf } from './given.js';

const givenBook = deciderOf(decideWaitingBook, evolveWaitingBook, initialWaitingBookState);

t.test('waiting book: register once, deregister once, announce to the oldest waiting loans (at most notifyMax)', async (t) => {
  givenBook().when({ type: 'register_loan', data: { loanId: 'L1', at: t0 } }).then(t, [{ type: 'loan_waiting', data: { loanId: 'L1', at: t0 } }]);
  const waiting = [1, 2, 3].map((n) => ({ type: 'loan_waiting' as const, data: { loanId: `L${n}`, at: t0 + n } }));
  givenBook(...waiting).when({ type: 'register_loan', data: { loanId: 'L1', at: t0 + 9 } }).then(t, []);
  givenBook(...waiting).when({ type: 'announce_capital', data: { notifyMax: 2 } }).then(t, [{ type: 'capital_announced', data: { loans: ['L1', 'L2'] } }]);
  givenBook().when({ type: 'announce_capital', data: { notifyMax: 2 } }).then(t, [], 'nobody waits: nothing to say');
  givenBook(...waiting).when({ type: 'deregister_loan', data: { loanId: 'L2' } }).then(t, [{ type: 'loan_no_longer_waiting', data: { loanId: 'L2' } }]);
  givenBook().when({ type: 'deregister_loan', data: { loanId: 'L2' } }).then(t, []);
});
