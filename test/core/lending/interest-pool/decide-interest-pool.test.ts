import fc from 'fast-check';
import t from 'tap';
import { decideInterestPool } from '../../../../core/lending/interest-pool/decide-interest-pool.js';
import { assertInterestPool, evolveInterestPool } from '../../../../core/lending/interest-pool/evolve-interest-pool.js';
import { flowOfEvent, initialInterestPoolState, type InterestFlow, type InterestPoolCommand, type InterestPoolEvent, type InterestPoolState, type ReinvestRule } from '../../../../core/lending/interest-pool/interest-pool.js';
import { isRejection } from '../../../../core/rejection.js';
import { deciderOf } from '../given.js';

const given = deciderOf(decideInterestPool, evolveInterestPool, initialInterestPoolState);
const rule: ReinvestRule = { thresholdMinor: 100_00n, poolShards: 4 };
const on = '2030-02-01';
const anchor = { investmentId: 'i1', investRepayDate: '2031-01-01' };

const credit = (flowId: string, amount: bigint, patch: Partial<Extract<InterestPoolCommand, { type: 'credit_interest' }>['data']> = {}): InterestPoolCommand => ({
  type: 'credit_interest',
  data: { investor: 'alice', flowId, kind: 'repayment', amount, ref: `ref-${flowId}`, source: anchor, on, at: 1, rule, knownFlowSeq: null, ...patch },
});
const use = (flowId: string, amount: bigint, knownFlowSeq: number | null = null): InterestPoolCommand => ({
  type: 'use_for_redemption',
  data: { investor: 'alice', flowId, amount, ref: 'red-1', on, at: 2, knownFlowSeq },
});

/** A credit or use as the actor makes it: whether its flow id is known comes from the flow-id index. */
function withKnownFlow(command: InterestPoolCommand, index: ReadonlyMap<string, number>): InterestPoolCommand {
  if (command.type === 'credit_interest') return { ...command, data: { ...command.data, knownFlowSeq: index.get(command.data.flowId) ?? null } };
  if (command.type === 'use_for_redemption') return { ...command, data: { ...command.data, knownFlowSeq: index.get(command.data.flowId) ?? null } };
  return command;
}

/** The commands decided and their events applied, the way the actor would; the flows as the events recorded them. */
function run(commands: readonly InterestPoolCommand[]): { state: InterestPoolState; events: InterestPoolEvent[]; flows: InterestFlow[] } {
  let state = initialInterestPoolState;
  const events: InterestPoolEvent[] = [];
  const flows: InterestFlow[] = [];
  const index = new Map<string, number>();
  for (const command of commands) {
    const decision = decideInterestPool(state, withKnownFlow(command, index));
    if (isRejection(decision)) continue;
    events.push(...decision);
    for (const event of decision) {
      const flow = flowOfEvent(event);
      if (flow !== null) (flows.push(flow), index.set(flow.flowId, flow.seq));
    }
    state = decision.reduce(evolveInterestPool, state);
  }
  return { state, events, flows };
}

t.test('credit_interest: precedence — amount, then duplicate, then credit', async (t) => {
  given().when(credit('f1', 0n)).rejects(t, 'interest_amount_invalid', '1. a zero amount');
  const first = run([credit('f1', 50_00n)]);
  t.same(first.events.map((e) => e.type), ['interest_credited'], 'below the threshold: credited, not reinvested');
  t.equal(first.state.balance, 50_00n);
  t.same(decideInterestPool(first.state, credit('f1', 50_00n, { knownFlowSeq: 1 })), [], '2. the same flow again (its id in the index) is a duplicate');
  t.same(run([credit('f1', 50_00n), credit('f1', 50_00n)]).state.balance, 50_00n, 'credited once');
  t.equal((decideInterestPool(first.state, credit('f1', 0n, { knownFlowSeq: 1 })) as { code: string }).code, 'interest_amount_invalid', 'the amount is checked before the duplicate');
});

t.test('flows carry the seed codes 11 / 12 / 13 / 14 / 21 / 22', async (t) => {
  const { state, flows } = run([
    credit('f11', 10_00n),
    credit('f12', 10_00n, { kind: 'compensation' }),
    credit('f13', 10_00n, { kind: 'interest_capital_pullback', source: null }),
    credit('f14', 10_00n, { kind: 'interest_claim_pullback', source: null }),
    use('f22', 5_00n),
    credit('f11b', 80_00n),
  ]);
  t.same(
    flows.map((f) => [f.code, f.amount]),
    [[11, 10_00n], [12, 10_00n], [13, 10_00n], [14, 10_00n], [22, -5_00n], [11, 80_00n], [21, -115_00n]],
  );
  t.equal(state.balance, 0n, 'the reinvestment took the whole pool');
  t.equal(state.flowCount, 7, 'the pool counts its flows; the flows are in the events');
  assertInterestPool(state);
});

t.test('reinvest rule: switch on, at least the threshold, more than the expected interest, an anchor not yet matured', async (t) => {
  const reached = run([credit('f1', 99_99n), credit('f2', 1n)]);
  t.same(reached.events.map((e) => e.type), ['interest_credited', 'interest_credited', 'interest_reinvested'], 'exactly 100.00 reinvests');
  const reinvested = reached.events[2] as Extract<InterestPoolEvent, { type: 'interest_reinvested' }>;
  t.match(reinvested.data.capital, { id: 'ir.alice.1', investor: 'alice', principal: 100_00n, property: 'interest', source: 'interest_reinvest', investmentId: 'i1', investRepayDate: '2031-01-01', createdOn: on });
  t.ok(reinvested.data.shard >= 0 && reinvested.data.shard < 4, 'the capital names its shard');

  const off = run([{ type: 'set_reinvest_switch', data: { investor: 'alice', on: false, at: 1 } }, credit('f1', 200_00n)]);
  t.same(off.events.map((e) => e.type), ['reinvest_switched', 'interest_credited'], 'switch off: no reinvestment');
  t.same(decideInterestPool(off.state, { type: 'set_reinvest_switch', data: { investor: 'alice', on: false, at: 2 } }), [], 'the same switch again changes nothing');
  const back = run([{ type: 'set_reinvest_switch', data: { investor: 'alice', on: false, at: 1 } }, credit('f1', 200_00n), { type: 'set_reinvest_switch', data: { investor: 'alice', on: true, at: 2 } }]);
  t.equal(back.state.balance, 200_00n, 'switching back on does not reinvest by itself');
  const check = (expectedInterest: bigint) => decideInterestPool(back.state, { type: 'check_reinvest', data: { investor: 'alice', expectedInterest, on, at: 3, rule } });
  t.match(check(50_00n), [{ type: 'interest_reinvested', data: { capital: { principal: 150_00n } } }], 'a redemption callback keeps the expected interest in the pool');
  t.same(check(200_00n), [], 'not more than the expected interest: nothing');
  const matured = run([credit('f1', 200_00n, { source: { investmentId: 'i0', investRepayDate: on } })]);
  t.same(matured.events.map((e) => e.type), ['interest_credited'], 'an anchor maturing today cannot take interest capital');
  const pullback = run([credit('f1', 200_00n, { kind: 'interest_claim_pullback' })]);
  t.same(pullback.events.map((e) => e.type), ['interest_credited'], 'pull-backs (13/14) never trigger a reinvestment');
});

t.test('the anchor is the latest-maturing investment heard of', async (t) => {
  const { state } = run([
    credit('f1', 1_00n, { source: { investmentId: 'i2', investRepayDate: '2032-01-01' } }),
    credit('f2', 1_00n, { source: { investmentId: 'i1', investRepayDate: '2031-01-01' } }),
    credit('f3', 1_00n, { source: null }),
  ]);
  t.same(state.anchor, { investmentId: 'i2', investRepayDate: '2032-01-01' });
});

t.test('use_for_redemption: precedence — amount, duplicate, insufficient', async (t) => {
  const { state } = run([credit('f1', 50_00n)]);
  t.equal((decideInterestPool(state, use('u1', 0n)) as { code: string }).code, 'interest_amount_invalid', '1.');
  const used = decideInterestPool(state, use('u1', 20_00n));
  t.match(used, [{ type: 'interest_used', data: { flow: { code: 22, amount: -20_00n, balanceAfter: 30_00n } } }]);
  const after = (used as InterestPoolEvent[]).reduce(evolveInterestPool, state);
  t.same(decideInterestPool(after, use('u1', 20_00n, 2)), [], '2. the same use again (its id in the index) is a duplicate');
  t.equal((decideInterestPool(after, use('u2', 30_01n)) as { code: string }).code, 'interest_pool_insufficient', '3.');
});

const commandArb: fc.Arbitrary<InterestPoolCommand> = fc.oneof(
  fc.record({ id: fc.integer({ min: 1, max: 30 }), amount: fc.bigInt({ min: 0n, max: 300_00n }), kind: fc.constantFrom('repayment', 'compensation', 'interest_capital_pullback', 'interest_claim_pullback') as fc.Arbitrary<'repayment'> }).map(
    ({ id, amount, kind }) => credit(`f${id}`, amount, { kind }),
  ),
  fc.record({ id: fc.integer({ min: 1, max: 10 }), amount: fc.bigInt({ min: 0n, max: 300_00n }) }).map(({ id, amount }) => use(`u${id}`, amount)),
  fc.boolean().map((value): InterestPoolCommand => ({ type: 'set_reinvest_switch', data: { investor: 'alice', on: value, at: 1 } })),
  fc.bigInt({ min: 0n, max: 300_00n }).map((expectedInterest): InterestPoolCommand => ({ type: 'check_reinvest', data: { investor: 'alice', expectedInterest, on, at: 1, rule } })),
);

t.test('property: money in = balance + money out, flows sum to the balance, never negative, every flow id once', async () => {
  fc.assert(
    fc.property(fc.array(commandArb, { maxLength: 60 }), (commands) => {
      const { state, events, flows } = run(commands);
      assertInterestPool(state);
      const reinvested = events.flatMap((e) => (e.type === 'interest_reinvested' ? [e.data.capital.principal] : [])).reduce((a, b) => a + b, 0n);
      const used = events.flatMap((e) => (e.type === 'interest_used' ? [-e.data.flow.amount] : [])).reduce((a, b) => a + b, 0n);
      let running = 0n;
      for (const [i, flow] of flows.entries()) {
        running += flow.amount;
        if (flow.seq !== i + 1 || flow.balanceAfter !== running || running < 0n) return false;
      }
      return (
        state.credited === state.balance + reinvested + used &&
        running === state.balance &&
        state.flowCount === flows.length &&
        new Set(flows.map((f) => f.flowId)).size === flows.length
      );
    }),
  );
});

t.test('given two redemptions of one investor holding reinvest off, when the first ends, then the pool still does not reinvest; when the last ends, it does', async (t) => {
  const hold = (type: 'hold_reinvest' | 'release_reinvest', holder: string): InterestPoolCommand => ({ type, data: { investor: 'alice', holder, at: 1 } });
  const check: InterestPoolCommand = { type: 'check_reinvest', data: { investor: 'alice', expectedInterest: 0n, on, at: 3, rule } };
  const both = run([hold('hold_reinvest', 'rdm-a'), hold('hold_reinvest', 'rdm-b'), credit('f1', 200_00n)]);
  t.same(both.events.map((e) => e.type), ['reinvest_held', 'reinvest_held', 'interest_credited'], 'held: credited, not reinvested');
  t.same(decideInterestPool(both.state, hold('hold_reinvest', 'rdm-a')), [], 'the same hold again: nothing');
  t.same(decideInterestPool(both.state, hold('release_reinvest', 'rdm-x')), [], 'a release by no holder: nothing');
  const first = run([hold('hold_reinvest', 'rdm-a'), hold('hold_reinvest', 'rdm-b'), credit('f1', 200_00n), hold('release_reinvest', 'rdm-a'), check]);
  t.same(first.events.map((e) => e.type).slice(3), ['reinvest_released'], 'one redemption still holds it: the check reinvests nothing');
  t.same(first.state.reinvestHolds, ['rdm-b']);
  t.equal(first.state.reinvestOn, true, 'the switch as set is untouched by holds');
  const last = run([hold('hold_reinvest', 'rdm-a'), hold('hold_reinvest', 'rdm-b'), credit('f1', 200_00n), hold('release_reinvest', 'rdm-a'), hold('release_reinvest', 'rdm-b'), check]);
  t.same(last.events.map((e) => e.type).slice(3), ['reinvest_released', 'reinvest_released', 'interest_reinvested'], 'the last release lets the check reinvest');
  const switchedOff = run([{ type: 'set_reinvest_switch', data: { investor: 'alice', on: false, at: 1 } }, hold('hold_reinvest', 'rdm-a'), credit('f1', 200_00n), hold('release_reinvest', 'rdm-a'), check]);
  t.same(switchedOff.events.map((e) => e.type).slice(-1), ['reinvest_released'], 'a redemption ending never turns on a switch the investor turned off');
  const legacy: InterestPoolState = { ...initialInterestPoolState, investor: 'alice' };
  delete (legacy as { reinvestHolds?: unknown }).reinvestHolds;
  t.same(decideInterestPool(legacy, hold('release_reinvest', 'rdm-a')), [], 'a state written before holds existed reads as holding none');
});

t.test('seed 000 at redemption: reinvest only beyond the capital\'s expected interest, and only a rest of at least the threshold', async (t) => {
  const { state } = run([{ type: 'set_reinvest_switch', data: { investor: 'alice', on: false, at: 1 } }, credit('f1', 200_00n), { type: 'set_reinvest_switch', data: { investor: 'alice', on: true, at: 2 } }]);
  const check = (expectedInterest: bigint) => decideInterestPool(state, { type: 'check_reinvest', data: { investor: 'alice', expectedInterest, on, at: 3, rule } });
  t.match(check(60_00n), [{ type: 'interest_reinvested', data: { capital: { principal: 140_00n } } }], '200.00 − 60.00 expected: 140.00 reinvested');
  t.same(check(150_00n), [], '200.00 − 150.00 leaves 50.00, under the 100.00 threshold: nothing');
  t.match(check(100_00n), [{ type: 'interest_reinvested', data: { capital: { principal: 100_00n } } }], 'a rest of exactly the threshold reinvests');
});

t.test('given a flow that breaks the pool, when evolved, then it is a violation (a bug, never state)', async (t) => {
  const flow = (patch: Partial<InterestFlow>): InterestPoolEvent => ({
    type: 'interest_used',
    data: { investor: 'alice', flow: { seq: 1, flowId: 'f1', kind: 'redemption', code: 'redemption', amount: 10n, balanceAfter: 10n, ref: 'r', on, at: 1, ...patch } as InterestFlow },
  });
  t.doesNotThrow(() => evolveInterestPool(initialInterestPoolState, flow({})), 'a flow that follows the pool');
  t.throws(() => evolveInterestPool(initialInterestPoolState, flow({ seq: 2 })), { name: 'InvariantViolation', message: 'interest flows of alice are numbered in order' });
  t.throws(() => evolveInterestPool(initialInterestPoolState, flow({ balanceAfter: 11n })), { message: 'flow f1 follows the balance' });
  t.throws(() => evolveInterestPool(initialInterestPoolState, flow({ amount: -1n, balanceAfter: -1n })), { message: 'the interest pool of alice never goes below zero' });
});
