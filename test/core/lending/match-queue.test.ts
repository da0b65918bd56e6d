import fc from 'fast-check';
import t from 'tap';
import { availableOfCapital, type Capital, type CapitalSource } from '../../../core/lending/capital.js';
import { decidePool } from '../../../core/lending/pool/decide-pool.js';
import { evolvePool } from '../../../core/lending/pool/evolve-pool.js';
import { dropGoneFromFront, enqueueCapital, queuedCapitalIds, type MatchQueues } from '../../../core/lending/pool/match-queue.js';
import { assertPoolShard } from '../../../core/lending/pool/pool-invariants.js';
import { initialPoolShardState, withPoolIndexes, type PoolCommand, type PoolShardState } from '../../../core/lending/pool/pool.js';
import { isRejection } from '../../../core/rejection.js';
import { capital, capitalContent } from './fixtures.js';

t.test('a source\'s queue is in creation-day order, then arrival; a capital created on an earlier day that arrives late goes before', async (t) => {
  const queues: MatchQueues = new Map();
  enqueueCapital(queues, capital('c1', 1, { createdOn: '2030-01-02' }));
  enqueueCapital(queues, capital('c2', 2, { createdOn: '2030-01-03' }));
  enqueueCapital(queues, capital('c3', 3, { createdOn: '2030-01-02' }));
  enqueueCapital(queues, capital('late', 4, { createdOn: '2030-01-01' }));
  enqueueCapital(queues, capital('other', 5, { source: 'repayment_reinvest' }));
  t.same([...queuedCapitalIds(queues, 'new')], ['late', 'c1', 'c3', 'c2']);
  t.same([...queuedCapitalIds(queues, 'repayment_reinvest')], ['other']);
  dropGoneFromFront(queues, 'new', (id) => id === 'late' || id === 'c1' || id === 'c2');
  t.same([...queuedCapitalIds(queues, 'new')], ['c3', 'c2'], 'only the front leaves: c2 waits behind c3, still there');
  t.same(queues.get('new')?.days, ['2030-01-02', '2030-01-03'], 'an emptied day is dropped');
});

const sources: readonly CapitalSource[] = ['new', 'repayment_reinvest'];
const days = ['2030-01-01', '2030-01-02', '2030-01-03'];

type Step =
  | { kind: 'add'; principal: number; source: number; day: number; matures: boolean }
  | { kind: 'reserve'; amount: number; source: number; piecesMax: number }
  | { kind: 'settle'; pick: number; confirm: boolean }
  | { kind: 'pull_back'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), principal: fc.integer({ min: 1, max: 500 }), source: fc.nat(1), day: fc.nat(2), matures: fc.boolean() }),
  fc.record({ kind: fc.constant('reserve' as const), amount: fc.integer({ min: 1, max: 900 }), source: fc.nat(1), piecesMax: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), confirm: fc.boolean() }),
  fc.record({ kind: fc.constant('pull_back' as const), pick: fc.nat() }),
);

/** The rule as written, by brute force: every capital of the source, normal, available, not maturing by `on`, sorted. */
function referencePieces(state: PoolShardState, source: CapitalSource, amount: bigint, piecesMax: number, on: string): [string, bigint][] {
  const candidates = [...state.capitals.values()]
    .filter((c) => c.source === source && c.status === 'normal' && c.investRepayDate > on && availableOfCapital(c) > 0n)
    .sort((a, b) => (a.createdOn === b.createdOn ? a.arrival - b.arrival : a.createdOn < b.createdOn ? -1 : 1));
  const pieces: [string, bigint][] = [];
  let left = amount;
  for (const c of candidates) {
    if (left === 0n || pieces.length >= piecesMax) break;
    const take = availableOfCapital(c) < left ? availableOfCapital(c) : left;
    pieces.push([c.id, take]);
    left -= take;
  }
  return pieces;
}

function commandOf(state: PoolShardState, s: Step, n: number): PoolCommand | null {
  const loans = [...state.reservations.keys()];
  switch (s.kind) {
    case 'add': {
      const content = capitalContent(`cap-${n}`, { principal: BigInt(s.principal), source: sources[s.source] as CapitalSource, createdOn: days[s.day] as string, investmentId: `inv-${n % 3}`, investRepayDate: s.matures ? '2030-01-02' : '2031-01-01' });
      return { type: 'add_capital', data: { capital: content, shard: 0 } };
    }
    case 'reserve':
      return { type: 'reserve', data: { loanId: `L${n}`, requestNo: 1, source: sources[s.source] as CapitalSource, amount: BigInt(s.amount), on: '2030-01-02', piecesMax: s.piecesMax, recorded: null } };
    case 'settle': {
      const loanId = loans[s.pick % Math.max(loans.length, 1)];
      if (loanId === undefined) return null;
      return { type: s.confirm ? 'confirm_reservations' : 'release_reservations', data: { loanId, outcome: null } };
    }
    case 'pull_back':
      return { type: 'pull_back_investment', data: { investmentId: `inv-${s.pick % 3}`, investor: 'alice', redemptionId: `r${n}`, round: 1, recorded: null } };
  }
}

t.test('property: matching from the queues, evolved in place, reserves exactly what the rule by brute force would; a shard rebuilt from its capitals decides the same', async (t) => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const state = initialPoolShardState(0);
      steps.forEach((s, n) => {
        const command = commandOf(state, s, n);
        if (command === null) return;
        if (command.type === 'reserve') {
          const expected = referencePieces(state, command.data.source, command.data.amount, command.data.piecesMax, command.data.on);
          const rebuilt = decidePool(withPoolIndexes(structuredClone(state)), command);
          const decision = decidePool(state, command);
          if (isRejection(decision) || isRejection(rebuilt)) throw new Error('reserve never refuses');
          const pieces = decision[0]?.type === 'reservation_answered' ? decision[0].data.pieces.map((p): [string, bigint] => [p.capitalId, p.amount]) : [];
          if (JSON.stringify(pieces, (_, v) => (typeof v === 'bigint' ? String(v) : v)) !== JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? String(v) : v))) throw new Error(`queue ${JSON.stringify(pieces, (_, v) => String(v))} ≠ rule`);
          if (JSON.stringify(rebuilt, (_, v) => String(v)) !== JSON.stringify(decision, (_, v) => String(v))) throw new Error('a rebuilt shard decides otherwise');
          decision.forEach((event) => evolvePool(state, event));
        } else {
          const decision = decidePool(state, command);
          if (!isRejection(decision)) decision.forEach((event) => evolvePool(state, event));
        }
        assertPoolShard(state);
      });
    }),
    { numRuns: 300 },
  );
  t.pass('300 random shard histories');
});

t.test('an event costs the same whatever the shard holds: adding a capital changes the one map entry, not a copy', async (t) => {
  const state = initialPoolShardState(0);
  const capitals = state.capitals;
  for (let i = 0; i < 1_000; i++) evolvePool(state, { type: 'capital_added', data: { capital: capital(`c${i}`, i + 1) as Capital } });
  t.equal(state.capitals, capitals, 'the same map, updated in place');
  t.equal(state.capitals.size, 1_000);
});

t.test('given many loans holding capitals in full and not yet approved, then the queue holds none of those: the next reservation reads only what it takes; a release puts them back in their place', async (t) => {
  const state = initialPoolShardState(0);
  const apply = (command: PoolCommand) => {
    const decision = decidePool(state, command);
    if (isRejection(decision)) throw new Error(decision.code);
    decision.forEach((event) => evolvePool(state, event));
    return decision;
  };
  for (let i = 1; i <= 1_000; i++) apply({ type: 'add_capital', data: { capital: capitalContent(`c${i}`, { principal: 100n }), shard: 0 } });
  const reserve = (loanId: string) => apply({ type: 'reserve', data: { loanId, requestNo: 1, source: 'new', amount: 500n, on: '2030-01-02', piecesMax: 10, recorded: null } });
  for (let loan = 1; loan <= 100; loan++) reserve(`L${loan}`);
  const queued = [...queuedCapitalIds(state.matchQueues, 'new')];
  t.equal(queued.length, 500, 'the 500 capitals held in full by 100 matching loans left the queue');
  t.equal(queued[0], 'c501', 'the next reservation starts at the first capital free');
  apply({ type: 'release_reservations', data: { loanId: 'L2', outcome: null } });
  t.same([...queuedCapitalIds(state.matchQueues, 'new')].slice(0, 6), ['c6', 'c7', 'c8', 'c9', 'c10', 'c501'], 'released capitals are back in arrival order, ahead of the younger ones');
  const next = reserve('L101');
  t.same(next[0]?.type === 'reservation_answered' ? next[0].data.pieces.map((p) => p.capitalId) : [], ['c6', 'c7', 'c8', 'c9', 'c10'], 'oldest first again');
  apply({ type: 'release_reservations', data: { loanId: 'L101', outcome: null } });
  apply({ type: 'confirm_reservations', data: { loanId: 'L1', outcome: null } });
  t.equal([...queuedCapitalIds(state.matchQueues, 'new')][0], 'c6', 'released twice, queued once');
  t.equal([...queuedCapitalIds(state.matchQueues, 'new')].filter((id) => id === 'c6').length, 1);
  assertPoolShard(state);
});
