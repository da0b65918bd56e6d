import { defaultProduct } from '../../../core/lending/schedule/product.js';
import t from 'tap';
import { shardOfCapital } from '../../../core/lending/capital.js';
import { claimTransferOrderNo, cutPieces, principalOutstandingOf, transferKeyOf } from '../../../core/lending/loan/claim-transfer.js';
import type { LoanCommand } from '../../../core/lending/loan/commands.js';
import { transferProgressOf } from '../../../core/lending/loan/claim-transfer-progress.js';
import { switchesAfterRepayment } from '../../../core/lending/loan/decide-claim-transfer.js';
import { evolveLoan } from '../../../core/lending/loan/evolve-loan.js';
import { decideLoan } from '../../../core/lending/loan/decide-loan.js';
import { assertClaimLineage, assertLoanInvariants } from '../../../core/lending/loan/loan-invariants.js';
import { isRejection } from '../../../core/rejection.js';
import { matching, piece, t0 } from './fixtures.js';
import { LoanRun, repayingLoan } from './loan-fixtures.js';

const redeemOn = '2030-02-01';
const transferClaims = (investmentId = 'a', redemptionId = 'r1'): LoanCommand => ({
  type: 'transfer_claims',
  data: { investmentId, redemptionId, origin: `rdm:${investmentId}`, at: t0, on: redeemOn, matching },
});
const answer = (run: LoanRun, pieces: ReturnType<typeof piece>[], transferNo = 1): LoanCommand => ({
  type: 'transfer_reservation_result',
  data: { transferNo, requestNo: run.lastRequest().data.requestNo, pieces, at: t0, on: redeemOn, matching },
});
const newCapital = (id: string, amount: bigint, shard = 0) => piece(id, amount, shard, { investor: `investor-${id}`, investRepayDate: '2031-01-01' });
const bankResult = (transferNo: number, outcome: 'succeeded' | 'failed' = 'succeeded'): LoanCommand => ({
  type: 'transfer_bank_result',
  data: { orderNo: claimTransferOrderNo('L1', transferNo), outcome, code: outcome === 'failed' ? 'bank_declined' : null, detail: null, at: t0 },
});
const types = (events: readonly { type: string }[]) => events.map((event) => event.type);

t.test('transfer_claims: precedence — loan_not_found, loan_not_repaying, then one transfer per live claim of the investment', async (t) => {
  const none = decideLoan(new LoanRun().state, transferClaims());
  t.equal(isRejection(none) && none.code, 'loan_not_found', '1.');
  const matchingLoan = new LoanRun();
  matchingLoan.run({ type: 'publish_loan', data: { id: 'L1', borrower: 'carol', amount: 100_00n, annualRate: '0.08', termDays: 90, termMonths: null, method: 'bullet', productName: 'standard', product: defaultProduct, at: t0, on: '2030-01-01', borrowerAccount: { id: 'carol', kind: 'borrower_wallet', currency: 'CNY', overdraft: false, closed: false, subAccounts: 1, bufferCredits: false } } });
  const early = decideLoan(matchingLoan.state, transferClaims());
  t.equal(isRejection(early) && early.code, 'loan_not_repaying', '2.');
  const run = repayingLoan([600_00n, 400_00n]);
  const started = run.run(transferClaims());
  t.same(types(started), ['claim_transfer_started', 'transfer_reservation_requested']);
  const key = transferKeyOf('L1', 1);
  t.match(started[1], { data: { transferNo: 1, key, requestNo: 1, step: 0, shard: shardOfCapital(key, matching.shards), source: 'new', amount: 600_00n, on: redeemOn } }, 'the walk starts at the key\'s shard, first source, the outstanding principal');
  t.same(run.run(transferClaims()), [], 'asked again while under way: nothing new');
  t.same(decideLoan(run.state, transferClaims('zzz')), [], 'an investment without claims here: nothing');
});

t.test('the switch: the old claim finishes as transferred, new claims carry lastOrderNo and transferred, the old holder is paid', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  t.same(types(run.run(answer(run, [newCapital('cap-x', 250_00n)]))), ['transfer_reservation_answered', 'transfer_reservation_requested'], 'partly reserved: the walk goes on');
  t.match(run.lastRequest(), { data: { step: 1, amount: 350_00n } });
  const sent = run.run(answer(run, [newCapital('cap-y', 350_00n, 1)]));
  t.same(types(sent), ['transfer_reservation_answered', 'claim_transfer_sent'], 'covered: the bank is asked first');
  const batch = sent[1];
  if (batch?.type !== 'claim_transfer_sent') throw new Error('no batch');
  t.equal(batch.data.orderNo, 'xfer-L1-1');
  t.same(batch.data.items.map((item) => [item.ref, item.from, item.to, item.amount]), [['L1/c3', 'investor-cap-x', 'investor-a', 250_00n], ['L1/c4', 'investor-cap-y', 'investor-a', 350_00n]], 'the bank moves the new holders\' money to the old');
  t.match(run.state.transfers[0], { stage: 'settling', sentOn: redeemOn });
  t.match(run.state.claims[0], { status: 'matched', investor: 'investor-a' }, 'the holder stays until the bank has moved the money');
  t.same(transferProgressOf(run.state, 'a', 'r1'), { loanId: 'L1', investmentId: 'a', redemptionId: 'r1', open: 1, proceeds: 0n, interestProceeds: 0n, settled: false, payouts: [] }, 'still open while settling');
  t.same(run.run(transferClaims()), [], 'asked again while settling: nothing new');
  const switched = run.run(bankResult(1));
  t.same(types(switched), ['claim_transferred']);
  const event = switched[0];
  if (event?.type !== 'claim_transferred') throw new Error('no switch');
  t.match(event.data, { payee: 'investor-a', amount: 600_00n, origin: 'rdm:a', deregister: true, on: redeemOn, progress: { loanId: 'L1', investmentId: 'a', open: 0, proceeds: 600_00n, settled: true, payouts: ['sys.xfer.L1.1'] } });
  t.same(event.data.settlements, [{ shard: 0, confirmed: [{ capitalId: 'cap-x', amount: 250_00n }] }, { shard: 1, confirmed: [{ capitalId: 'cap-y', amount: 350_00n }] }]);
  t.same(event.data.items, [], 'the batch went out before: the switch sends none');
  t.same(run.run(bankResult(1)), [], 'the result again: nothing');
  const claims = run.state.claims;
  t.match(claims[0], { orderNo: 'L1/c1', status: 'finished', finishReason: 'transferred' });
  t.match(claims[2], { orderNo: 'L1/c3', investor: 'investor-cap-x', investmentId: 'x', amount: 250_00n, status: 'matched', lastOrderNo: 'L1/c1', transferred: true, createdOn: redeemOn });
  t.match(claims[3], { orderNo: 'L1/c4', capitalId: 'cap-y', amount: 350_00n, lastOrderNo: 'L1/c1', transferred: true });
  t.equal(claims.reduce((sum, claim) => sum + principalOutstandingOf(claim), 0n), 1_000_00n, 'Σ claim principal outstanding = the loan\'s');
  assertLoanInvariants(run.state, matching.claimsMax);
  t.same(transferProgressOf(run.state, 'a', 'r1'), { loanId: 'L1', investmentId: 'a', redemptionId: 'r1', open: 0, proceeds: 600_00n, interestProceeds: 0n, settled: true, payouts: ['sys.xfer.L1.1'] }, 'what it paid, and the transfer that paid the wallet');
  t.same(run.run(transferClaims()), [], 'redeemed again: no live claim left');
  t.same(run.run(answer(run, [newCapital('cap-z', 1n)])), [], 'a late answer changes nothing');
});

t.test('the pool lacks capital: the transfer waits (the loan registers with the book), and a capital announcement walks again', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims('b'));
  for (let step = 0; step < matching.priority.length * matching.shards - 1; step++) run.run(answer(run, step === 0 ? [newCapital('cap-x', 100_00n)] : []));
  t.same(types(run.run(answer(run, []))), ['transfer_reservation_answered', 'transfer_waiting']);
  t.match(run.state.transfers[0], { stage: 'waiting', walk: null });
  t.same(types(run.run({ type: 'capital_available', data: { at: t0, on: redeemOn, matching } })), ['transfer_reservation_requested']);
  t.match(run.lastRequest(), { data: { step: 0, amount: 300_00n } }, 'only what is still missing');
  t.same(types(run.run({ type: 'capital_available', data: { at: t0, on: redeemOn, matching } })), ['transfer_rescan_requested'], 'mid-walk: walk once more at its end');
  t.same(types(run.run(answer(run, [newCapital('cap-y', 300_00n)]))), ['transfer_reservation_answered', 'claim_transfer_sent']);
  t.same(types(run.run(bankResult(1))), ['claim_transferred']);
  t.same(run.state.claims.slice(2).map((claim) => [claim.capitalId, claim.amount]), [['cap-x', 100_00n], ['cap-y', 300_00n]]);
  assertLoanInvariants(run.state, matching.claimsMax);
});

t.test('a reservation that outgrew the claim (it was paid down meanwhile) is cut to the outstanding principal; the rest is released', async (t) => {
  const pieces = [newCapital('cap-x', 250_00n), newCapital('cap-y', 350_00n, 1)];
  const { taken, released } = cutPieces(pieces, 400_00n);
  t.same(taken.map((p) => [p.capitalId, p.amount]), [['cap-x', 250_00n], ['cap-y', 150_00n]]);
  t.same(released, [{ capitalId: 'cap-y', amount: 200_00n }]);
  t.same(cutPieces(pieces, 600_00n).released, []);
});

t.test('lineage: a transferred claim must follow an earlier claim finished as transferred', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  run.run(answer(run, [newCapital('cap-x', 600_00n)]));
  run.run(bankResult(1));
  assertClaimLineage(run.state);
  const cyclic = { ...run.state, claims: run.state.claims.map((claim, i) => (i === 0 ? { ...claim, lastOrderNo: 'L1/c3' } : claim)) };
  t.throws(() => assertClaimLineage(cyclic), /follows an earlier claim/);
  const unfinished = { ...run.state, claims: run.state.claims.map((claim, i) => (i === 0 ? { ...claim, finishReason: null } : claim)) };
  t.throws(() => assertClaimLineage(unfinished), /finished as transferred/);
});

t.test('the claim ended during the walk (repaid in full): the transfer is dropped, its reservations released, the loan leaves the waiting book', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  run.run(answer(run, [newCapital('cap-x', 250_00n)]));
  // What a full repayment of the claim leaves (the split finishes it): nothing outstanding.
  run.state = { ...run.state, claims: run.state.claims.map((claim, i) => (i === 0 ? { ...claim, principalOutstanding: 0n, status: 'finished', finishReason: 'repaid' } : claim)) };
  const dropped = run.run(answer(run, [newCapital('cap-y', 350_00n, 1)]));
  t.same(types(dropped), ['transfer_reservation_answered', 'claim_transfer_dropped']);
  t.match(dropped[1], { data: { shards: [0, 1], deregister: true, progress: { open: 0, proceeds: 0n, settled: true } } });
  t.match(run.state.transfers[0], { stage: 'dropped', walk: null });
  t.equal(run.state.claims.length, 2, 'no new claim');
});

t.test('a repayment in flight when the reservations cover the claim defers the switch', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  run.state = { ...run.state, repaymentInFlight: 'r1' };
  const deferred = run.run(answer(run, [newCapital('cap-x', 600_00n)]));
  t.same(types(deferred), ['transfer_reservation_answered', 'transfer_switch_deferred']);
  t.match(run.state.transfers[0], { stage: 'deferred', deferredOn: redeemOn });
  t.match(run.state.claims[0], { status: 'matched', investor: 'investor-a' }, 'the holder stays while the repayment is under way');
});

t.test('given a repayment in flight that deferred the switch, when it ends, then the batch goes to the bank', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  run.state = { ...run.state, repaymentInFlight: 'r1' };
  run.run(answer(run, [newCapital('cap-x', 600_00n)]));
  const transfer = run.state.transfers[0];
  if (transfer === undefined) throw new Error('no transfer');
  const ended = switchesAfterRepayment({ ...run.state, repaymentInFlight: null }, [], evolveLoan);
  t.same(types(ended), ['claim_transfer_sent']);
  t.match(ended[0], { data: { orderNo: 'xfer-L1-1', amount: 600_00n, on: redeemOn } });
});

t.test('given pieces of the old holder\'s own capital, when covered, then the bank moves only the others\' money', async (t) => {
  const own = (id: string, amount: bigint) => piece(id, amount, 0, { investor: 'investor-a', investmentId: `a2-${id}`, investRepayDate: '2031-01-01' });
  const mixed = repayingLoan([600_00n, 400_00n]);
  mixed.run(transferClaims());
  const sent = mixed.run(answer(mixed, [own('cap-own', 200_00n), newCapital('cap-x', 400_00n)]));
  t.same(types(sent), ['transfer_reservation_answered', 'claim_transfer_sent']);
  t.match(sent[1], { data: { amount: 600_00n } });
  t.same(sent[1]?.type === 'claim_transfer_sent' && sent[1].data.items.map((item) => [item.from, item.to, item.amount]), [['investor-cap-x', 'investor-a', 400_00n]], 'no item from an account to itself');
  const alone = repayingLoan([600_00n, 400_00n]);
  alone.run(transferClaims());
  const switched = alone.run(answer(alone, [own('cap-own', 600_00n)]));
  t.same(types(switched), ['transfer_reservation_answered', 'claim_transferred'], 'nothing to move at the bank: the switch happens at once');
  t.match(switched[1], { data: { items: [], amount: 600_00n, payee: 'investor-a' } });
  t.match(alone.state.claims[2], { investor: 'investor-a', investmentId: 'a2-cap-own', lastOrderNo: 'L1/c1', transferred: true });
  assertLoanInvariants(alone.state, matching.claimsMax);
});

t.test('given a batch out at the bank, when the bank declines it, then the transfer fails, nothing moves, and a new transfer walks again', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  run.run(answer(run, [newCapital('cap-x', 250_00n)]));
  run.run(answer(run, [newCapital('cap-y', 350_00n, 1)]));
  const failed = run.run(bankResult(1, 'failed'));
  t.same(types(failed), ['claim_transfer_failed']);
  t.match(failed[0], { data: { orderNo: 'xfer-L1-1', key: transferKeyOf('L1', 1), shards: [0, 1], code: 'bank_declined', origin: 'rdm:a', progress: { open: 0, proceeds: 0n, settled: false } } });
  t.match(run.state.transfers[0], { stage: 'failed' });
  t.match(run.state.claims[0], { status: 'matched', investor: 'investor-a', principalOutstanding: 600_00n }, 'the old holder keeps the claim');
  t.equal(run.state.claims.length, 2, 'no new claim');
  t.same(run.run(bankResult(1, 'succeeded')), [], 'a contradicting late result changes nothing (the bank order keeps the first)');
  const again = run.run(transferClaims());
  t.same(types(again), ['claim_transfer_started', 'transfer_reservation_requested'], 'the next round starts another transfer of the claim');
  t.match(again[1], { data: { transferNo: 2, key: transferKeyOf('L1', 2), amount: 600_00n } });
  assertLoanInvariants(run.state, matching.claimsMax);
});

t.test('given a batch out at the bank, when a payment is asked, then it is refused claim_transfer_in_progress (after repayment_in_progress)', async (t) => {
  const run = repayingLoan([600_00n, 400_00n]);
  run.run(transferClaims());
  run.run(answer(run, [newCapital('cap-x', 600_00n)]));
  const pay = (id: string): LoanCommand => ({ type: 'request_repayment', data: { id, payer: 'borrower', requested: null, period: null, guaranteeAccount: 'sys.guarantee', at: t0, on: redeemOn } });
  const refused = decideLoan(run.state, pay('p1'));
  t.equal(isRejection(refused) && refused.code, 'claim_transfer_in_progress');
  const both = decideLoan({ ...run.state, repaymentInFlight: 'p0' }, pay('p1'));
  t.equal(isRejection(both) && both.code, 'repayment_in_progress', 'a payment under way is named first');
  run.run(bankResult(1));
  t.notOk(isRejection(decideLoan(run.state, pay('p1'))), 'once the switch is done, payments go on');
});
