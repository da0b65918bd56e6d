import { defaultProduct } from '../../../core/lending/schedule/product.js';
import type { LoanCommand } from '../../../core/lending/loan/commands.js';
import { decideLoan } from '../../../core/lending/loan/decide-loan.js';
import type { LoanEvent } from '../../../core/lending/loan/events.js';
import { evolveLoan } from '../../../core/lending/loan/evolve-loan.js';
import { initialLoanState, type LoanState, type MatchingConfig } from '../../../core/lending/loan/loan.js';
import type { ReservationPiece } from '../../../core/lending/pool/pool.js';
import { isRejection } from '../../../core/rejection.js';
import { matching, piece, t0, today, wallet } from './fixtures.js';

/** Runs commands through the loan decider, keeping every event (a rejection is a test bug). */
export class LoanRun {
  state: LoanState = initialLoanState;
  readonly events: LoanEvent[] = [];

  run(command: LoanCommand): readonly LoanEvent[] {
    const decision = decideLoan(this.state, command);
    if (isRejection(decision)) throw new Error(`${command.type} rejected: ${decision.code} ${decision.detail}`);
    this.state = decision.reduce(evolveLoan, this.state);
    this.events.push(...decision);
    return decision;
  }

  /** The request the shards were last asked (by matching or by a transfer). */
  lastRequest(): Extract<LoanEvent, { type: 'reservation_requested' | 'transfer_reservation_requested' }> {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const event = this.events[i];
      if (event?.type === 'reservation_requested' || event?.type === 'transfer_reservation_requested') return event;
    }
    throw new Error('nothing was requested');
  }
}

/** Loan L1 of `amounts` summed, funded by one capital per amount (investments a, b, …), disbursed: repaying. */
export function repayingLoan(amounts: readonly bigint[], config: MatchingConfig = matching): LoanRun {
  const run = new LoanRun();
  const total = amounts.reduce((sum, amount) => sum + amount, 0n);
  const at = t0;
  run.run({
    type: 'publish_loan',
    data: { id: 'L1', borrower: 'carol', amount: total, annualRate: '0.08', termDays: 90, termMonths: null, method: 'bullet', productName: 'standard', product: defaultProduct, at, on: today, borrowerAccount: wallet('carol', { kind: 'borrower_wallet' }) },
  });
  run.run({ type: 'book_registered', data: { at, on: today, matching: config } });
  const pieces: ReservationPiece[] = amounts.map((amount, i) => {
    const name = String.fromCharCode(97 + i);
    return piece(`cap-${name}`, amount, 0, { investor: `investor-${name}`, investRepayDate: '2030-02-01' });
  });
  run.run({ type: 'reservation_result', data: { requestNo: run.lastRequest().data.requestNo, pieces, at, on: today, matching: config } });
  run.run({ type: 'approve_loan', data: { at, on: today } });
  run.run({ type: 'disbursement_hold_placed', data: { at, revenueAccount: 'sys.revenue' } });
  run.run({ type: 'disbursement_result', data: { orderNo: 'disb-L1', outcome: 'succeeded', code: null, detail: null, bankTxnId: 'b1', at } });
  return run;
}
