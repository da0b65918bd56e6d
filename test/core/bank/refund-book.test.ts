import fc from 'fast-check';
import t from 'tap';
import { decideRefundBook, evolveRefundBook, initialRefundBookState, refundableOf, refundsPerDepositMax, type RefundBookCommand, type RefundBookState } from '../../../core/bank/refund-book.js';
import { isRejection } from '../../../core/rejection.js';

const deposit = { orderNo: 'dep-d1', amount: 100_00n };
const reserve = (refundId: string, amount: bigint): RefundBookCommand => ({ type: 'reserve_refund', data: { refundId, orderNo: `rf-${refundId}`, amount, deposit } });
const settled = (refundId: string, outcome: 'succeeded' | 'failed'): RefundBookCommand => ({ type: 'refund_settled', data: { orderNo: `rf-${refundId}`, outcome } });

function run(state: RefundBookState, command: RefundBookCommand): RefundBookState {
  const decision = decideRefundBook(state, command);
  return isRejection(decision) ? state : decision.reduce(evolveRefundBook, state);
}
const codeOf = (state: RefundBookState, command: RefundBookCommand) => {
  const decision = decideRefundBook(state, command);
  return isRejection(decision) ? decision.code : null;
};

t.test('reserve_refund, in its order: the same refund again; its id with another amount; beyond what the deposit brought in', async (t) => {
  const book = run(initialRefundBookState, reserve('r1', 30_00n));
  t.same(decideRefundBook(book, reserve('r1', 30_00n)), [], '1. the same refund again: a duplicate');
  t.equal(codeOf(book, reserve('r1', 31_00n)), 'id_reused_with_different_content', '2. the id with another amount');
  t.equal(codeOf(book, reserve('r2', 70_01n)), 'refund_exceeds_order', '3. 70.01 when 70.00 is left');
  t.equal(codeOf(book, reserve('r2', 70_00n)), null, 'exactly what is left');
});

t.test('a deposit is refunded in at most refundsPerDepositMax refunds, failed ones included', async (t) => {
  let book = initialRefundBookState;
  for (let i = 0; i < refundsPerDepositMax; i++) book = run(run(book, reserve(`r${i}`, 1n)), settled(`r${i}`, i % 2 === 0 ? 'failed' : 'succeeded'));
  t.equal(book.refunds.size, refundsPerDepositMax);
  t.equal(codeOf(book, reserve('one-more', 1n)), 'refunds_limit_reached', 'though the deposit could still give back');
  t.same(decideRefundBook(book, reserve('r1', 1n)), [], 'a refund already booked is still answered as a duplicate');
});

t.test('a failed refund gives its amount back; a settled one is settled once', async (t) => {
  const failed = run(run(initialRefundBookState, reserve('r1', 100_00n)), settled('r1', 'failed'));
  t.equal(refundableOf(failed, deposit.amount), 100_00n);
  const done = run(run(initialRefundBookState, reserve('r1', 60_00n)), settled('r1', 'succeeded'));
  t.equal(refundableOf(done, deposit.amount), 40_00n);
  t.same(decideRefundBook(done, settled('r1', 'failed')), [], 'a late, contradicting result changes nothing');
});

t.test('property: whatever the order of refunds and results, what is out or refunded never exceeds the deposit', async () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('reserve' as const), id: fc.integer({ min: 0, max: 6 }), amount: fc.bigInt({ min: 1n, max: 60_00n }) }),
    fc.record({ kind: fc.constant('settle' as const), id: fc.integer({ min: 0, max: 6 }), ok: fc.boolean() }),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      let state = initialRefundBookState;
      for (const s of steps) {
        state = run(state, s.kind === 'reserve' ? reserve(`r${s.id}`, s.amount) : settled(`r${s.id}`, s.ok ? 'succeeded' : 'failed'));
        if (refundableOf(state, deposit.amount) < 0n) return false;
      }
      return true;
    }),
  );
});
