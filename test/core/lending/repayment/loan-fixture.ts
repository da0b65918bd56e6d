import type { LoanCommand } from '../../../../core/lending/loan/commands.js';
import { decideLoan } from '../../../../core/lending/loan/decide-loan.js';
import type { LoanEvent } from '../../../../core/lending/loan/events.js';
import { evolveLoan } from '../../../../core/lending/loan/evolve-loan.js';
import { assertLoanInvariants } from '../../../../core/lending/loan/loan-invariants.js';
import { initialLoanState, type LoanState, type RepaymentMethod } from '../../../../core/lending/loan/loan.js';
import { defaultProduct } from '../../../../core/lending/schedule/product.js';
import { isRejection } from '../../../../core/rejection.js';
import { matching, piece, t0, wallet } from '../fixtures.js';

export const start = '2030-01-01';

/** Applies a command that must be accepted; the loan's invariants hold after it. */
export function drive(state: LoanState, command: LoanCommand): { state: LoanState; events: readonly LoanEvent[] } {
  const decision = decideLoan(state, command);
  if (isRejection(decision)) throw new Error(`rejected: ${decision.code}: ${decision.detail}`);
  const after = decision.reduce(evolveLoan, state);
  assertLoanInvariants(after, 2_000);
  return { state: after, events: decision };
}

export interface LoanShape {
  readonly amount: bigint;
  readonly annualRate: string;
  readonly termMonths: number;
  readonly method: RepaymentMethod;
  /** Claims: amount, investor, property — summing to the amount. */
  readonly claims: readonly { readonly amount: bigint; readonly investor: string; readonly property: 'principal' | 'interest' }[];
}

/** 3,000.00 at 12 % over 3 months from 2030-01-01, equal principal: 1,000.00 a month + 1 % of the balance (30.00, 20.00, 10.00). */
export const threeMonthShape: LoanShape = {
  amount: 3_000_00n,
  annualRate: '0.12',
  termMonths: 3,
  method: 'equal_principal',
  claims: [
    { amount: 2_000_00n, investor: 'alice', property: 'principal' },
    { amount: 1_000_00n, investor: 'bob', property: 'interest' },
  ],
};

/** A loan published, matched to the given claims, approved on 2030-01-01 and disbursed: repaying. */
export function repayingLoan(shape: LoanShape): LoanState {
  const on = start;
  let state = initialLoanState;
  const run = (command: LoanCommand) => (state = drive(state, command).state);
  run({
    type: 'publish_loan',
    data: { id: 'L1', borrower: 'carol', amount: shape.amount, annualRate: shape.annualRate, termDays: null, termMonths: shape.termMonths, method: shape.method, at: t0, on, borrowerAccount: wallet('carol', { kind: 'borrower_wallet' }), productName: defaultProduct.name, product: defaultProduct },
  });
  run({ type: 'book_registered', data: { at: t0, on, matching } });
  const requestNo = state.walk?.requestNo ?? 1;
  const pieces = shape.claims.map((c, i) => piece(`cap-${i}`, c.amount, 0, { investor: c.investor, property: c.property, investmentId: `inv-${i}` }));
  run({ type: 'reservation_result', data: { requestNo, pieces, at: t0, on, matching: { ...matching, claimsMax: 2_000 } } });
  run({ type: 'approve_loan', data: { at: t0, on } });
  run({ type: 'disbursement_hold_placed', data: { at: t0, revenueAccount: 'sys.revenue' } });
  run({ type: 'disbursement_result', data: { orderNo: 'disb-L1', outcome: 'succeeded', code: null, detail: null, bankTxnId: 'B1', at: t0 } });
  return state;
}

export function pay(id: string, on: string, requested: bigint | null = null, payer: 'borrower' | 'guarantee' = 'borrower', period: number | null = null): LoanCommand {
  return { type: 'request_repayment', data: { id, payer, requested, period, guaranteeAccount: 'sys.guarantee', at: t0, on } };
}

export const holdPlaced = (id: string, on: string): LoanCommand => ({ type: 'repayment_hold_placed', data: { id, revenueAccount: 'sys.revenue', guaranteeAccount: 'sys.guarantee', at: t0, on } });

export const bankSays = (orderNo: string, outcome: 'succeeded' | 'failed', on: string): LoanCommand => ({
  type: 'repayment_result',
  data: { orderNo, outcome, code: outcome === 'failed' ? 'bank_declined' : null, detail: null, bankTxnId: outcome === 'succeeded' ? 'B2' : null, poolShards: 4, at: t0, on },
});

/** request → hold placed → the bank's answer: the whole payment, its events. */
export function completePayment(state: LoanState, command: LoanCommand, outcome: 'succeeded' | 'failed' = 'succeeded'): { state: LoanState; events: LoanEvent[] } {
  const events: LoanEvent[] = [];
  let s = state;
  const step = (c: LoanCommand) => {
    const r = drive(s, c);
    s = r.state;
    events.push(...r.events);
  };
  step(command);
  const data = command.data as { id: string; on: string };
  const repayment = s.repayments.get(data.id);
  if (repayment === undefined) throw new Error('no payment recorded');
  step(holdPlaced(data.id, data.on));
  step(bankSays(repayment.orderNo, outcome, data.on));
  return { state: s, events };
}
