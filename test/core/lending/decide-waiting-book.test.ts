import t from 'tap';
import { decideWaitingBook, emptyWaitingBook, evolveWaitingBook, initialWaitingBookState } from '../../../core/lending/book/waiting-book.js';
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

t.test('the book changes in place, so an event costs the same however many loans wait; each book is its own', async (t) => {
  const book = emptyWaitingBook();
  const map = book.waiting;
  for (let n = 0; n < 10_000; n++) evolveWaitingBook(book, { type: 'loan_waiting', data: { loanId: `L${n}`, at: t0 + n } });
  evolveWaitingBook(book, { type: 'loan_no_longer_waiting', data: { loanId: 'L0' } });
  t.equal(book.waiting, map, 'the same map, not a copy per event');
  t.equal(book.waiting.size, 9_999);
  t.same(decideWaitingBook(book, { type: 'announce_capital', data: { notifyMax: 3 } }), [{ type: 'capital_announced', data: { loans: ['L1', 'L2', 'L3'] } }], 'the oldest still waiting');
  t.not(emptyWaitingBook().waiting, emptyWaitingBook().waiting, 'a fresh book each time');
  t.equal(initialWaitingBookState.waiting.size, 0, 'the decider\'s initial state was not touched');
});
