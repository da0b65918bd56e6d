import t from 'tap';
import type { LoanCommand } from '../../../core/lending/loan/commands.js';
import { decideLoan } from '../../../core/lending/loan/decide-loan.js';
import type { LoanEvent } from '../../../core/lending/loan/events.js';
import { evolveLoan } from '../../../core/lending/loan/evolve-loan.js';
import { assertLoanInvariants } from '../../../core/lending/loan/loan-invariants.js';
import { initialLoanState, type LoanState } from '../../../core/lending/loan/loan.js';
import { shardOfCapital } from '../../../core/lending/capital.js';
import { defaultProduct } from '../../../core/lending/schedule/product.js';
import { loan, matching, piece, t0, today, wallet } from './fixtures.js';
import { deciderOf } from './given.js';
import { repayingLoan, threeMonthShape } from './repayment/loan-fixture.js';

const given = deciderOf(decideLoan, evolveLoan, initialLoanState);
const borrower = wallet('carol', { kind: 'borrower_wallet' });

const publish = (patch: Partial<Extract<LoanCommand, { type: 'publish_loan' }>['data']> = {}): LoanCommand => ({
  type: 'publish_loan',
  data: { id: 'L1', borrower: 'carol', amount: 1_000_00n, annualRate: '0.08', termDays: 90, termMonths: null, method: 'bullet', productName: 'standard', product: defaultProduct, at: t0, on: today, borrowerAccount: borrower, ...patch },
});
const published: LoanEvent = { type: 'loan_published', data: { loan: loan() } };
const registered: LoanEvent = { type: 'loan_registered', data: { at: t0 } };
const start = shardOfCapital('L1', matching.shards);
const requested = (requestNo: number, step: number, amount: bigint, source: 'new' | 'repayment_reinvest' = 'new', piecesMax = 10): LoanEvent => ({
  type: 'reservation_requested',
  data: { requestNo, step, shard: (start + step) % matching.shards, source, amount, on: today, piecesMax },
});
const result = (requestNo: number, pieces: ReturnType<typeof piece>[]): LoanCommand => ({ type: 'reservation_result', data: { requestNo, pieces, at: t0, on: today, matching } });
const reduce = (events: readonly LoanEvent[]) => events.reduce(evolveLoan, initialLoanState);

t.test('publish: a valid loan; the same again is a duplicate', async (t) => {
  given().when(publish()).then(t, [published]);
  given(published).when(publish()).then(t, []);
  given(published).when(publish({ annualRate: '0.0800' })).then(t, [], 'the same rate written otherwise is the same content');
  given().when(publish({ termDays: null, termMonths: 12, method: 'equal_installment', amount: 100_00n, annualRate: '0.36' })).emits(t, ['loan_published'], 'bounds are inclusive');
});

t.test('publish: rejection precedence', async (t) => {
  given(published).when(publish({ amount: 2n })).rejects(t, 'id_reused_with_different_content', '1.');
  given(published).when(publish({ method: 'equal_principal' })).rejects(t, 'id_reused_with_different_content', '1. any field');
  given().when(publish({ amount: 99_99n, annualRate: 'x', termDays: null })).rejects(t, 'loan_amount_out_of_range', '2.');
  given().when(publish({ amount: 50_000_000_01n })).rejects(t, 'loan_amount_out_of_range', '2.');
  given().when(publish({ annualRate: '8%', termDays: null })).rejects(t, 'annual_rate_invalid', '3.');
  given().when(publish({ annualRate: '0.4', termDays: null })).rejects(t, 'annual_rate_out_of_range', '4.');
  given().when(publish({ termDays: null, termMonths: null, method: 'x' })).rejects(t, 'loan_term_must_be_days_or_months', '5. neither');
  given().when(publish({ termDays: 30, termMonths: 1 })).rejects(t, 'loan_term_must_be_days_or_months', '5. both');
  given().when(publish({ termDays: 1096, method: 'x' })).rejects(t, 'loan_term_out_of_range', '6.');
  given().when(publish({ termDays: null, termMonths: 61 })).rejects(t, 'loan_term_out_of_range', '6. months');
  given().when(publish({ termDays: 0 })).rejects(t, 'loan_term_out_of_range', '6. zero');
  given().when(publish({ method: 'balloon', borrowerAccount: null })).rejects(t, 'repayment_method_unknown', '7.');
  given().when(publish({ method: 'balloon', product: null, productName: 'daily' })).rejects(t, 'repayment_method_unknown', '7. before the product');
  given().when(publish({ product: null, productName: 'daily', borrowerAccount: null })).rejects(t, 'loan_product_unknown', '8.');
  given().when(publish({ borrowerAccount: null })).rejects(t, 'borrower_not_found', '9.');
  given().when(publish({ borrowerAccount: wallet('carol', { closed: true, currency: 'USD' }) })).rejects(t, 'account_kind_not_allowed', '10. an investor wallet');
  given().when(publish({ borrowerAccount: { ...borrower, currency: 'USD', closed: true } })).rejects(t, 'currencies_must_match', '11.');
  given().when(publish({ borrowerAccount: { ...borrower, closed: true } })).rejects(t, 'borrower_account_closed', '12.');
  given(published).when(publish({ productName: 'daily', product: { ...defaultProduct, name: 'daily' } })).rejects(t, 'id_reused_with_different_content', '1. another product');
});

t.test('matching: registered with the book first, then the walk: each source over every shard, starting at the loan\'s own', async (t) => {
  given(published).when({ type: 'book_registered', data: { at: t0, on: today, matching } }).then(t, [registered, requested(1, 0, 1_000_00n)]);
  given(published, registered).when({ type: 'book_registered', data: { at: t0, on: today, matching } }).then(t, [], 'registered twice: nothing');
  const walk = [published, registered, requested(1, 0, 1_000_00n)];
  const first = given(...walk).when(result(1, [piece('cap-a', 300_00n, start)]));
  t.same(first.decision, [
    { type: 'reservation_answered', data: { requestNo: 1, claims: first.after.claims } },
    requested(2, 1, 700_00n, 'new', 9),
  ], 'the claim, then the next shard for the rest (one piece fewer allowed)');
  t.match(first.after.claims[0], { orderNo: 'L1/c1', capitalId: 'cap-a', amount: 300_00n, status: 'pre_processing', investRepayDate: '2031-01-01', loanRepayDate: null, days: null, lastOrderNo: null, transferred: false });
  given(...walk).when(result(2, [piece('cap-a', 1n)])).then(t, [], 'an answer to another request than the outstanding one changes nothing');
  const afterFirst = [...walk, ...(first.decision as LoanEvent[])];
  given(...afterFirst).when(result(1, [piece('cap-a', 300_00n, start)])).then(t, [], 'the first answer redelivered');
  const second = given(...afterFirst).when(result(2, []));
  second.emits(t, ['reservation_answered', 'reservation_requested'], 'after the last shard of "new": the first shard of the next source');
  t.same((second.decision as LoanEvent[])[1], requested(3, 2, 700_00n, 'repayment_reinvest', 9));
});

t.test('matching: a walk ends funded, or paused until capital comes free (then walks again); a rescan requested meanwhile walks again at once', async (t) => {
  const walk = [published, registered, requested(1, 0, 1_000_00n)];
  const funded = given(...walk).when(result(1, [piece('cap-a', 600_00n), piece('cap-b', 400_00n)]));
  funded.emits(t, ['reservation_answered', 'loan_funded']);
  t.equal(funded.after.status, 'funded');
  t.equal(funded.after.reserved, 1_000_00n);
  const lastStep = [published, registered, requested(1, 3, 1_000_00n, 'repayment_reinvest')];
  given(...lastStep).when(result(1, [])).emits(t, ['reservation_answered', 'matching_paused'], 'capital exhausted');
  const paused = reduce([...lastStep, { type: 'reservation_answered', data: { requestNo: 1, claims: [] } }, { type: 'matching_paused', data: { reason: 'capital_exhausted', at: t0 } }]);
  t.same(decideLoan(paused, { type: 'capital_available', data: { at: t0, on: today, matching } }), [requested(2, 0, 1_000_00n)], 'capital came free: a new walk');
  given(...walk).when({ type: 'capital_available', data: { at: t0, on: today, matching } }).then(t, [{ type: 'rescan_requested', data: { at: t0 } }], 'during a walk: noted');
  const rescan: LoanEvent = { type: 'rescan_requested', data: { at: t0 } };
  given(...walk, rescan).when({ type: 'capital_available', data: { at: t0, on: today, matching } }).then(t, [], 'noted once');
  const rescanAtEnd = given(...lastStep, rescan).when(result(1, []));
  t.same((rescanAtEnd.decision as LoanEvent[])[1], requested(2, 0, 1_000_00n), 'the walk ends with a rescan pending: walk again');
  t.equal(rescanAtEnd.after.rescanRequested, false, 'the new walk consumes the rescan');
  given(published).when({ type: 'capital_available', data: { at: t0, on: today, matching } }).then(t, [], 'not registered yet: the first walk is still to come');
});

t.test('matching: at the claims limit the loan pauses instead of growing without bound', async (t) => {
  const tight = { ...matching, claimsMax: 2 };
  const walk = [published, registered, { ...requested(1, 0, 1_000_00n), data: { ...requested(1, 0, 1_000_00n).data, piecesMax: 2 } } as LoanEvent];
  const decision = decideLoan(reduce(walk), { type: 'reservation_result', data: { requestNo: 1, pieces: [piece('cap-a', 100n), piece('cap-b', 100n)], at: t0, on: today, matching: tight } });
  t.same((decision as LoanEvent[]).map((e) => e.type), ['reservation_answered', 'matching_paused']);
  const state = reduce([...walk, ...(decision as LoanEvent[])]);
  t.equal(state.paused, 'claims_limit');
  t.same(decideLoan(state, { type: 'capital_available', data: { at: t0, on: today, matching: tight } }), [], 'new capital does not help');
});

function fundedLoan(): LoanEvent[] {
  const walk = [published, registered, requested(1, 0, 1_000_00n)];
  const claims = decideLoan(reduce(walk), result(1, [piece('cap-a', 600_00n, 0, { investRepayDate: '2030-02-01' }), piece('cap-b', 400_00n, 1)])) as LoanEvent[];
  return [...walk, ...claims];
}

t.test('approve: precedence; the value date fixes maturity and each claim\'s days', async (t) => {
  given().when({ type: 'approve_loan', data: { at: t0, on: today } }).rejects(t, 'loan_not_found', '1.');
  given(published, registered, requested(1, 0, 1_000_00n)).when({ type: 'approve_loan', data: { at: t0, on: today } }).rejects(t, 'loan_not_funded', '3.');
  const approve = given(...fundedLoan()).when({ type: 'approve_loan', data: { at: t0 + 5, on: '2030-01-10' } });
  approve.emits(t, ['loan_approved']);
  const approved = approve.after;
  t.match(approved, { status: 'approved', approval: { startDate: '2030-01-10', maturityDate: '2030-04-10' }, disbursement: { orderNo: 'disb-L1', stage: 'holding' } });
  t.same(approved.claims.map((c) => [c.loanRepayDate, c.days]), [['2030-04-10', 22], ['2030-04-10', 90]], 'term mismatch: a claim runs until the earlier maturity');
  given(...fundedLoan(), ...(approve.decision as LoanEvent[])).when({ type: 'approve_loan', data: { at: t0 + 9, on: '2030-02-01' } }).then(t, [], '2. approved already: the same approval stands');
});

t.test('disbursement: hold placed → requested (claims matching) → succeeded (matched) or failed (released); each result once', async (t) => {
  const approved = [...fundedLoan(), ...(decideLoan(reduce(fundedLoan()), { type: 'approve_loan', data: { at: t0, on: today } }) as LoanEvent[])];
  const hold = given(...approved).when({ type: 'disbursement_hold_placed', data: { at: t0 + 1, revenueAccount: 'sys.revenue' } });
  t.same(hold.decision, [
    {
      type: 'disbursement_requested',
      data: { orderNo: 'disb-L1', items: [{ ref: 'L1/c1', from: 'alice', to: 'carol', amount: 600_00n }, { ref: 'L1/c2', from: 'alice', to: 'carol', amount: 400_00n }], at: t0 + 1, on: today, borrower: 'carol' },
    },
  ]);
  t.same(hold.after.claims.map((c) => c.status), ['matching', 'matching']);
  const requestedEvents = [...approved, ...(hold.decision as LoanEvent[])];
  given(...requestedEvents).when({ type: 'disbursement_hold_placed', data: { at: t0 + 2, revenueAccount: 'sys.revenue' } }).then(t, [], 'the hold acknowledged twice');
  const bank = (outcome: 'succeeded' | 'failed', orderNo = 'disb-L1'): LoanCommand => ({ type: 'disbursement_result', data: { orderNo, outcome, code: outcome === 'failed' ? 'bank_declined' : null, detail: null, bankTxnId: 'BK1', at: t0 + 3 } });
  const ok = given(...requestedEvents).when(bank('succeeded'));
  ok.then(t, [{ type: 'disbursement_succeeded', data: { loanId: 'L1', bankTxnId: 'BK1', at: t0 + 3, shards: [0, 1] } }]);
  t.same(ok.after.claims.map((c) => c.status), ['matched', 'matched']);
  t.equal(ok.after.status, 'repaying');
  given(...requestedEvents, ...(ok.decision as LoanEvent[])).when(bank('failed')).then(t, [], 'a late contradicting result changes nothing');
  given(...requestedEvents).when(bank('succeeded', 'disb-other')).then(t, [], 'another order is not ours');
  const failed = given(...requestedEvents).when(bank('failed'));
  failed.then(t, [{ type: 'disbursement_failed', data: { loanId: 'L1', code: 'bank_declined', detail: 'bank_declined', at: t0 + 3, shards: [0, 1], holdPlaced: true } }]);
  t.match(failed.after, { status: 'failed', reserved: 0n });
  t.same(failed.after.claims.map((c) => c.status), ['failed', 'failed']);
  given(...approved).when(bank('succeeded')).then(t, [], 'no result before the order is out');
  const refused = given(...approved).when({ type: 'disbursement_hold_refused', data: { code: 'credit_account_closed', detail: 'closed', at: t0 + 1 } });
  refused.then(t, [{ type: 'disbursement_failed', data: { loanId: 'L1', code: 'credit_account_closed', detail: 'closed', at: t0 + 1, shards: [0, 1], holdPlaced: false } }], 'no hold to void');
  for (const state of [ok.after, failed.after, refused.after, hold.after]) assertLoanInvariants(state, matching.claimsMax);
});

t.test('the plan is attached once', async (t) => {
  const plan: LoanCommand = { type: 'plan_recorded', data: { planId: 'plan-L1', periods: 1, maturityDate: '2030-04-01', at: t0 } };
  given(published).when(plan).then(t, [{ type: 'plan_attached', data: { planId: 'plan-L1', periods: 1, maturityDate: '2030-04-01', at: t0 } }]);
  given(published, { type: 'plan_attached', data: { planId: 'plan-L1', periods: 1, maturityDate: '2030-04-01', at: t0 } }).when(plan).then(t, []);
});

t.test('loan invariants catch an over-reserved loan and a claim in the wrong status', async (t) => {
  const state: LoanState = reduce(fundedLoan());
  t.throws(() => assertLoanInvariants({ ...state, reserved: state.reserved + 1n }, 10), { name: 'InvariantViolation' });
  const claims = state.claims.map((c, i) => (i === 0 ? { ...c, status: 'matched' as const } : c));
  t.throws(() => assertLoanInvariants({ ...state, claims }, 10), { name: 'InvariantViolation' });
  t.throws(() => assertLoanInvariants(state, 1), { name: 'InvariantViolation' }, 'more claims than the limit');
});

t.test('loan invariants catch what a funded and a repaying loan must keep', async (t) => {
  const funded: LoanState = reduce(fundedLoan());
  const [first, ...rest] = funded.claims as [LoanState['claims'][number], ...LoanState['claims']];
  const short = { ...funded, claims: [{ ...first, amount: first.amount - 1n }, ...rest], reserved: funded.reserved - 1n };
  t.throws(() => assertLoanInvariants(short, 10), { message: /is funded, so fully reserved/ });
  t.throws(() => assertLoanInvariants({ ...funded, claims: [first, first, ...rest], reserved: funded.reserved + first.amount }, 10), { message: /is unique/ });
  t.throws(() => assertLoanInvariants({ ...funded, claims: [{ ...first, loanId: 'L9' }, ...rest] }, 10), { message: /belongs to loan/ });
  t.throws(() => assertLoanInvariants({ ...funded, claims: [{ ...first, amount: 0n }, ...rest], reserved: funded.reserved - first.amount }, 10), { message: /positive amount/ });
  t.throws(() => assertLoanInvariants({ ...funded, walk: { requestNo: 9 } as unknown as LoanState['walk'] }, 10), { message: /walks the shards only while matching/ });

  const repaying = repayingLoan(threeMonthShape);
  t.doesNotThrow(() => assertLoanInvariants(repaying, 10), 'a repaying loan as driven holds');
  const claims = repaying.claims;
  const withClaim = (i: number, patch: Partial<LoanState['claims'][number]>) => ({ ...repaying, claims: claims.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  t.throws(() => assertLoanInvariants(withClaim(0, { principalOutstanding: (claims[0]?.amount ?? 0n) + 1n }), 10), { message: /0 ≤ outstanding ≤ amount/ });
  t.throws(() => assertLoanInvariants(withClaim(0, { principalOutstanding: 1n }), 10), { message: /Σ claim principal outstanding/ });
  t.throws(() => assertLoanInvariants(withClaim(1, { status: 'finished' }), 10), { message: /finished exactly when nothing is out/ });
  const open = [{ principal: repaying.loan?.amount ?? 0n }] as unknown as NonNullable<LoanState['book']>['open'];
  const book = { open, settled: [], principalOutstanding: repaying.loan?.amount ?? 0n, guaranteeDebts: [], nextNo: 1 };
  t.doesNotThrow(() => assertLoanInvariants({ ...repaying, book }, 10), 'a book whose open periods hold what is out');
  t.throws(() => assertLoanInvariants({ ...repaying, book: { ...book, open: [...open, ...open] } }, 10), { message: /the open periods' principal/ });
});
