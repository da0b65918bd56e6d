import t from 'tap';
import { decideAmendment, evolveAmendment, initialAmendmentState, type AmendmentCommand, type AmendmentRequest, type AmendmentState } from '../../../core/amendment/amendment.js';
import { isRejection } from '../../../core/rejection.js';

const request: AmendmentRequest = { id: 'a1', original: 't1', corrected: { debit: 'ann', credit: 'bob', amount: '80.00', memo: null }, reason: 'keyed 100 for 80', by: 'ops:abc' };
const amend = (r: AmendmentRequest, originalStatus = 'posted'): AmendmentCommand => ({ type: 'amend', data: { request: r, originalStatus, at: 5 } });
const settle = (reversalId: string | null, failure: { code: string; detail: string } | null = null): AmendmentCommand => ({ type: 'settle', data: { reversalId, failure } });

function given(...commands: AmendmentCommand[]): AmendmentState {
  return commands.reduce((state, command) => {
    const decision = decideAmendment(state, command);
    if (isRejection(decision)) throw new Error(decision.code);
    return decision.reduce(evolveAmendment, state);
  }, initialAmendmentState);
}
const codeOf = (state: AmendmentState, command: AmendmentCommand) => {
  const decision = decideAmendment(state, command);
  return isRejection(decision) ? decision.code : null;
};

t.test('given a posted transfer, when amended, then it is recorded amending; settled, completed with its reversal', async (t) => {
  t.match(decideAmendment(initialAmendmentState, amend(request)), [{ type: 'amendment_requested', data: { amendment: { id: 'a1', reason: 'keyed 100 for 80', by: 'ops:abc', requestedAt: 5 } } }]);
  t.match(given(amend(request), settle('t1~reversal')), { status: 'completed', reversalId: 't1~reversal' });
  t.match(given(amend(request), settle('t1~reversal', { code: 'insufficient_funds', detail: 'x' })), { status: 'failed', failure: { code: 'insufficient_funds' } });
});

t.test('amend, in its order: the same again is a duplicate; another while one stands is refused; only a posted transfer', async (t) => {
  const amending = given(amend(request));
  t.same(decideAmendment(amending, amend(request)), [], '1. the same amendment again (a retry): no event, answered as it stands');
  t.same(decideAmendment(given(amend(request), settle('t1~reversal')), amend(request, 'reversed')), [], 'also once its own reversal reversed the transfer');
  t.equal(codeOf(amending, amend({ ...request, id: 'a2' })), 'amendment_exists', '2. another amendment of the same transfer');
  t.equal(codeOf(amending, amend({ ...request, corrected: { ...request.corrected, amount: '70.00' } })), 'amendment_exists', 'or the same id with other content');
  for (const status of ['pending', 'voided', 'returned', 'reversed']) t.equal(codeOf(initialAmendmentState, amend(request, status)), 'transfer_not_amendable', `3. a ${status} transfer`);
  // After a failure, another amendment (another id) may be asked
  const failed = given(amend(request), settle(null, { code: 'insufficient_funds', detail: '' }));
  t.match(decideAmendment(failed, amend({ ...request, id: 'a2' })), [{ type: 'amendment_requested' }]);
  // A settle told twice changes nothing
  t.same(decideAmendment(given(amend(request), settle('t1~reversal')), settle('t1~reversal')), []);
});
