import t from 'tap';
import { hotCloseDecider } from '../../../core/ledger/decide-hot-close.js';
import type { HotCloseCommand, HotCloseEvent, SealedPartReport } from '../../../core/ledger/hot-close.js';
import { deciderOf } from '../lending/given.js';

const { decide, evolve, initialState } = hotCloseDecider;
const given = deciderOf(decide, evolve, initialState);
const recheckMs = 50;

const close = (subAccounts = 3): HotCloseCommand => ({ type: 'close_account', data: { accountId: 'hot', subAccounts, at: 10 } });
const started = (subAccounts = 3, closeNo = 1): HotCloseEvent => ({ type: 'close_started', data: { accountId: 'hot', subAccounts, closeNo, round: 1 } });
const report = (part: number, balance: bigint, patch: Partial<SealedPartReport> = {}): SealedPartReport => ({ part, sealedBy: 1, balance, siblingNet: 0n, holds: 0, closedAt: null, ...patch });
const reported = (r: SealedPartReport, round = 1, closeNo = 1): HotCloseCommand => ({ type: 'part_reported', data: { closeNo, round, report: r, at: 100, recheckMs } });
const sealed = (r: SealedPartReport): HotCloseEvent => ({ type: 'part_sealed', data: { report: r } });
const done = (part: number, step: 'settled' | 'closed' | 'unsealed', round = 1, closedAt: number | null = null): HotCloseCommand => ({ type: 'part_done', data: { closeNo: 1, round, part, step, closedAt } });
const finished = (part: number): HotCloseEvent => ({ type: 'part_finished', data: { part } });
const step = (round = 1) => ({ accountId: 'hot', closeNo: 1, round });

/** A round of three parts with these balances, reported but for the last. */
function twoReported(a: bigint, b: bigint, patch: Partial<SealedPartReport> = {}): HotCloseEvent[] {
  return [started(), sealed(report(0, a, patch)), sealed(report(1, b))];
}

t.test('close_account: a close starts at round 1 under the next number; asked again while under way or closed, nothing new', async (t) => {
  given().when(close()).then(t, [started()]);
  given(started()).when(close()).then(t, [], 'under way: the same close');
  given(...twoReported(0n, 0n), sealed(report(2, 0n)), { type: 'close_completed', data: { closedAt: 5 } }).when(close()).then(t, [], 'closed: nothing');
  const ended: HotCloseEvent[] = [started(), { type: 'close_refused', data: { ...step(), subAccounts: 3, refusal: { code: 'account_balance_not_zero', detail: '' } } }, finished(0), finished(1), finished(2), { type: 'close_ended', data: { closeNo: 1 } }];
  given(...ended).when(close()).then(t, [started(3, 2)], 'after a refused close: a new one, numbered 2');
});

t.test('a complete round decides, in this order: holds → refused; moves in flight → wait; total not zero → refused; parts holding money → settle; else close', async (t) => {
  given(...twoReported(0n, 0n, { holds: 1 })).when(reported(report(2, 0n, { siblingNet: -5n }))).emits(t, ['part_sealed', 'close_refused'], '1. a hold refuses first');
  given(...twoReported(10n, 0n, { siblingNet: -5n })).when(reported(report(2, 0n))).then(t, [sealed(report(2, 0n)), { type: 'moves_awaited', data: { recheckAt: 100 + recheckMs } }], '2. nets not summing to zero: a move is in flight');
  const notZero = given(...twoReported(10n, 0n)).when(reported(report(2, 0n)));
  notZero.emits(t, ['part_sealed', 'close_refused']);
  t.equal(notZero.after.refusal?.code, 'account_balance_not_zero', '3. the total is not zero');
  t.equal(notZero.after.phase, 'unsealing', 'a refusal unseals every part');
  given(...twoReported(-30n, 20n)).when(reported(report(2, 10n))).then(t, [sealed(report(2, 10n)), { type: 'settlement_started', data: { ...step(), parts: [1, 2] } }], '4. offsetting parts move what they hold to part 0');
  given(...twoReported(0n, 0n)).when(reported(report(2, 0n))).then(t, [sealed(report(2, 0n)), { type: 'closing_started', data: { ...step(), parts: [1, 2] } }], '5. every part at zero: parts 1..n-1 close first');
});

t.test('a report that is stale (another close, another round, a part reported already) changes nothing', async (t) => {
  given(...twoReported(0n, 0n)).when(reported(report(2, 0n), 2)).then(t, [], 'another round');
  given(...twoReported(0n, 0n)).when(reported(report(2, 0n), 1, 7)).then(t, [], 'another close');
  given(...twoReported(0n, 0n)).when(reported(report(1, 0n))).then(t, [], 'part 1 again');
  given(started()).when(reported(report(0, 0n, { sealedBy: null }))).emits(t, ['close_refused'], 'a part this close did not seal: refused');
});

t.test('moves in flight: the wake starts the next round, not before it is due', async (t) => {
  const waiting = [...twoReported(10n, 0n, { siblingNet: -5n }), sealed(report(2, 0n)), { type: 'moves_awaited', data: { recheckAt: 150 } } as HotCloseEvent];
  given(...waiting).when({ type: 'recheck', data: { at: 149 } }).then(t, [], 'not yet');
  given(...waiting).when({ type: 'recheck', data: { at: 150 } }).then(t, [{ type: 'round_started', data: { ...step(2), subAccounts: 3 } }]);
});

t.test('settling, then a new round; closing: the others, then part 0, then closed', async (t) => {
  const settling = [...twoReported(-30n, 20n), sealed(report(2, 10n)), { type: 'settlement_started', data: { ...step(), parts: [1, 2] } } as HotCloseEvent];
  given(...settling).when(done(1, 'settled')).then(t, [finished(1)]);
  given(...settling).when(done(0, 'settled')).then(t, [], 'a part not waited for');
  given(...settling).when(done(1, 'closed')).then(t, [], 'another step');
  given(...settling, finished(1)).when(done(2, 'settled')).then(t, [finished(2), { type: 'round_started', data: { ...step(2), subAccounts: 3 } }], 'settled: read every part again');
  const closing = [...twoReported(0n, 0n), sealed(report(2, 0n)), { type: 'closing_started', data: { ...step(), parts: [1, 2] } } as HotCloseEvent];
  given(...closing, finished(1)).when(done(2, 'closed')).then(t, [finished(2), { type: 'closing_started', data: { ...step(), parts: [0] } }]);
  const last = given(...closing, finished(1), finished(2), { type: 'closing_started', data: { ...step(), parts: [0] } }).when(done(0, 'closed', 1, 77));
  last.then(t, [finished(0), { type: 'close_completed', data: { closedAt: 77 } }]);
  t.equal(last.after.phase, 'closed');
  t.equal(last.after.closedAt, 77);
});

t.test('a part refusing: while closing → a new round (money came back to it); while sealing or settling → refused; while unsealing → done', async (t) => {
  const closing = [...twoReported(0n, 0n), sealed(report(2, 0n)), { type: 'closing_started', data: { ...step(), parts: [1, 2] } } as HotCloseEvent];
  const refusal = (part: number, code: string, round = 1): HotCloseCommand => ({ type: 'part_refused', data: { closeNo: 1, round, part, code, detail: code } });
  given(...closing).when(refusal(2, 'account_balance_not_zero')).then(t, [{ type: 'round_started', data: { ...step(2), subAccounts: 3 } }]);
  given(...closing).when(refusal(2, 'account_balance_not_zero', 0)).then(t, [], 'stale');
  const sealing = given(started()).when(refusal(1, 'account_not_found'));
  t.equal(sealing.after.refusal?.code, 'account_not_found');
  const unsealing = [started(), { type: 'close_refused', data: { ...step(), subAccounts: 3, refusal: { code: 'account_not_found', detail: '' } } } as HotCloseEvent, finished(0), finished(1)];
  given(...unsealing).when(refusal(2, 'account_not_found')).then(t, [finished(2), { type: 'close_ended', data: { closeNo: 1 } }]);
});

t.test('only a hot account closes through the process: a plain one asked is a bug', async (t) => {
  t.throws(() => decide(initialState, close(1)), /only a hot account/);
});
