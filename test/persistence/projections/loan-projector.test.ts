import t from 'tap';
import type { LoanCommand } from '../../../core/lending/loan/commands.js';
import { decideLoan } from '../../../core/lending/loan/decide-loan.js';
import { evolveLoan } from '../../../core/lending/loan/evolve-loan.js';
import { initialLoanState, type LoanState } from '../../../core/lending/loan/loan.js';
import { bookOf } from '../../../core/lending/repayment/decide-repayment.js';
import { isRejection } from '../../../core/rejection.js';
import { loanProjector } from '../../../persistence/projections/lending-projectors.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel, prepared, type ReadDatabase } from '../../../persistence/projections/read-model.js';
import { bankSays, holdPlaced, pay, repayingLoan, threeMonthShape } from '../../core/lending/repayment/loan-fixture.js';

/** Each event projected as its own entry, as the runner would. */
function projected(db: ReadDatabase, state: LoanState, command: LoanCommand): LoanState {
  const decision = decideLoan(state, command);
  if (isRejection(decision)) throw new Error(`${decision.code}: ${decision.detail}`);
  let s = state;
  for (const [i, event] of decision.entries()) {
    const after = evolveLoan(s, event);
    loanProjector.project(db, { position: i + 1, partition: 0, actorId: 'loan:L1', firstSeq: 1, businessDate: '2030-01-01', events: [event], causes: [], at: 0, before: s, after });
    s = after;
  }
  return s;
}

function claimRows(db: ReadDatabase): { order_no: string; principal_outstanding: bigint; status: string; finish_reason: string | null; ended_day: string | null }[] {
  return prepared(db, 'select order_no, principal_outstanding, status, finish_reason, ended_day from claims order by order_no').all() as never;
}

t.test('given a repaying loan, when each payment is projected, then every claim row holds the loan\'s claim: outstanding principal while it stays matched, then finished with the day it ended', async (t) => {
  const model = new ReadModel(':memory:', allProjectors);
  t.teardown(() => model.close());
  let state = repayingLoan(threeMonthShape);
  loanProjector.project(model.db, { position: 0, partition: 0, actorId: 'loan:L1', firstSeq: 1, businessDate: '2030-01-01', events: [], causes: [], at: 0, before: initialLoanState, after: state });
  for (let n = 0; bookOf(state).open[0] !== undefined; n++) {
    const due = (bookOf(state).open[0] as { dueDate: string }).dueDate;
    state = projected(model.db, state, pay(`p${n}`, due));
    state = projected(model.db, state, holdPlaced(`p${n}`, due));
    const orderNo = state.repayments.get(`p${n}`)?.orderNo as string;
    state = projected(model.db, state, bankSays(orderNo, 'succeeded', due));
    const expected = state.claims.map((claim) => ({ order_no: claim.orderNo, principal_outstanding: claim.principalOutstanding, status: claim.status, finish_reason: claim.finishReason }));
    t.same(
      claimRows(model.db).map(({ ended_day: _, ...row }) => row),
      [...expected].sort((a, b) => a.order_no.localeCompare(b.order_no)),
      `after payment ${n + 1}`,
    );
  }
  const rows = claimRows(model.db);
  t.ok(rows.length === 2 && rows.every((row) => row.status === 'finished' && row.principal_outstanding === 0n && row.ended_day !== null), 'paid off: finished, with the day they ended');
});
