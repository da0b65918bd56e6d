import fc from 'fast-check';
import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import type { Journal } from '../../persistence/journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { FakeTime, settle } from '../helpers/fake-time.js';
import { tempDir } from '../helpers/ledger.js';
import { plain, runLedgerScenario, scenario, type Command, type Layout } from '../helpers/ledger-scenario.js';

/** Until nothing moves: timers due now have run, the relay is empty, every actor is idle. */
async function drain(node: FundcoreNode, time: FakeTime): Promise<void> {
  for (let round = 0; round < 5_000; round++) {
    await settle();
    if (time.hasDue()) {
      time.advance(0);
      continue;
    }
    const busy = node.system.anyBusy();
    if (!busy && node.system.relay.backlog === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('the node did not come to rest');
}

/** One embedded node on `journal`. */
async function runScenario(journal: Journal, commands: Command[], snapshotEveryEvents: number, layout: Layout = plain): Promise<void> {
  const time = new FakeTime();
  const node = FundcoreNode.start({ journal, clock: time, timers: time, limits: { snapshotEveryEvents }, accountLimits: { bufferFlushCreditsMax: 3, bufferFlushIntervalMs: 0 } });
  const world = { ledger: node.ledger, journal, time, drain: () => drain(node, time), inspect: (id: string) => node.system.inspect(id), stop: () => node.stop() };
  await runLedgerScenario(world, commands, layout);
}

t.test('property: random ledger traffic matches the model, keeps money whole, and replays to the live state (memory journal)', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async (commands) => runScenario(new MemoryJournal(), commands, 4)),
    { numRuns: 200 },
  );
});

t.test('property: the same on the LMDB journal, snapshots every 3 events', async (t) => {
  const dir = tempDir(t);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (commands) => runScenario(new LmdbJournal({ path: `${dir}/run-${run++}` }), commands, 3)),
    { numRuns: 12 },
  );
});

t.test('property: hot accounts (2..8 sub-accounts) give the same answers and balances as plain ones', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 8 }), async (commands, partsA, partsB) =>
      runScenario(new MemoryJournal(), commands, 4, { parts: { bank: 1, a: partsA, b: partsB }, buffered: new Set() }),
    ),
    { numRuns: 150 },
  );
});

t.test('property: a non-real-time (buffering) account gives the same answers and balances as a plain one', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, fc.integer({ min: 1, max: 4 }), async (commands, partsB) =>
      runScenario(new MemoryJournal(), commands, 4, { parts: { bank: 1, a: 1, b: partsB }, buffered: new Set(['b']) }),
    ),
    { numRuns: 100 },
  );
});
