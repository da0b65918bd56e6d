import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import t from 'tap';
import { FundcoreNode } from '../../../actors/node.js';
import { formatAmount } from '../../../core/money/amount.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel } from '../../../persistence/projections/read-model.js';
import { compareReadModels, rebuildReadModel } from '../../../persistence/projections/rebuild.js';
import { defaultProjectionLimits, ProjectionRunner } from '../../../persistence/projections/runner.js';
import { JournalLogFeed, type LogFeed } from '../../../persistence/projections/log-feed.js';
import { JournalReplayStates, StoredStates } from '../../../persistence/projections/projection-states.js';
import { partitionCountDefault } from '../../../core/ledger/partition.js';
import { quiescent, tempDir, transfer } from '../../helpers/ledger.js';

const traffic = fc.array(
  fc.record({ debit: fc.constantFrom('bank', 'a', 'b', 'hot'), credit: fc.constantFrom('a', 'b', 'hot'), minor: fc.bigInt({ min: 1n, max: 9_999n }), then: fc.constantFrom('none', 'post', 'void', 'reverse') }),
  { minLength: 1, maxLength: 25 },
);

/** A feed that delivers every entry twice, and the last one of the previous step again. */
function redelivering(feed: LogFeed): LogFeed {
  return {
    entriesAfter(position, max) {
      const again = position > 0 ? feed.entriesAfter(position - 1, 1) : [];
      return [...again, ...feed.entriesAfter(position, max).flatMap((entry) => [entry, entry])];
    },
    lastPosition: () => feed.lastPosition(),
  };
}

async function closeFirstDay(node: FundcoreNode): Promise<void> {
  await quiescent(node);
  await node.clock.change({ advanceDays: 1 });
  const closed = await node.eod.close('2033-04-01');
  if (!closed.ok) throw new Error(`${closed.code}: ${closed.detail}`);
}

async function nodeWithTraffic(moves: readonly { debit: string; credit: string; minor: bigint; then: string }[]): Promise<FundcoreNode> {
  const node = await FundcoreNode.boot({ journal: new MemoryJournal(), businessClock: { mode: 'sim', startDate: '2033-04-01' }, projectionIntervalMs: 1 });
  await node.ledger.openAccount({ id: 'bank', kind: 'bank_settlement', currency: 'CNY', overdraft: true });
  await node.ledger.openAccount({ id: 'a', kind: 'investor_wallet', currency: 'CNY', overdraft: false });
  await node.ledger.openAccount({ id: 'b', kind: 'investor_wallet', currency: 'CNY', overdraft: false, bufferCredits: true });
  await node.ledger.openAccount({ id: 'hot', kind: 'investor_wallet', currency: 'CNY', overdraft: false, subAccounts: 4 });
  for (const [n, move] of moves.entries()) {
    // Halfway, the day is closed: its cuts, lending parts, balances and report are rebuilt too.
    if (n === Math.floor(moves.length / 2)) await closeFirstDay(node);
    if (move.debit === move.credit) continue;
    const id = `t${n}`;
    await node.ledger.createTransfer(transfer(id, move.debit, move.credit, formatAmount(move.minor, 'CNY'), { pending: move.then === 'post' || move.then === 'void' }));
    if (move.then === 'post') await node.ledger.postPending(id, null);
    if (move.then === 'void') await node.ledger.voidPending(id);
    if (move.then === 'reverse') await node.ledger.reverseTransfer(id, null);
  }
  await quiescent(node);
  return node;
}

t.test('the read models the node keeps live equal a rebuild from the journal, however the live ones were stepped', async (t) => {
  const dir = tempDir(t, 'fundcore-rebuild-unit-');
  let run = 0;
  await fc.assert(
    fc.asyncProperty(traffic, fc.integer({ min: 1, max: 7 }), async (moves, step) => {
      const node = await nodeWithTraffic(moves);
      try {
        // Stepped: a second read model fed a few entries at a time, as the node's timer does.
        const stepped = new ReadModel(':memory:', allProjectors);
        const limits = { ...defaultProjectionLimits, entriesPerTransactionMax: step, cachedStatesMax: 2 };
        const runner = new ProjectionRunner(new JournalLogFeed(node.journal), stepped, allProjectors, new JournalReplayStates(node.journal, 2), partitionCountDefault, limits);
        while (runner.catchUp(step) > 0);
        // As a cluster's read side: no journal beside it, the states kept in its own database,
        // and every entry delivered twice (a feed delivers at least once).
        const stored = new ReadModel(':memory:', allProjectors);
        const twice = new ProjectionRunner(redelivering(new JournalLogFeed(node.journal)), stored, allProjectors, new StoredStates(stored.db, 2), partitionCountDefault, limits);
        while (twice.lag() > 0) twice.catchUp(step);
        await node.projections.catchUpFully();
        const path = join(dir, `rebuilt-${run++}.db`);
        const rebuilt = rebuildReadModel(node.journal, path);
        t.equal(rebuilt.position, node.journal.lastLogPosition());
        const db = new Database(path, { readonly: true });
        db.defaultSafeIntegers(true);
        try {
          t.same(compareReadModels(node.readModel.db, db), [], 'live = rebuilt');
          t.same(compareReadModels(stepped.db, db), [], 'stepped with a tiny state cache = rebuilt');
          stored.db.exec('drop table projection_states');
          t.same(compareReadModels(stored.db, db), [], 'states kept in the read database, every entry twice = rebuilt');
        } finally {
          db.close();
          stepped.close();
          stored.close();
        }
      } finally {
        await node.stop();
      }
    }),
    { numRuns: 20 },
  );
});

t.test('the comparison sees a changed row, a missing row and an extra table', async (t) => {
  const node = await nodeWithTraffic([{ debit: 'bank', credit: 'a', minor: 500n, then: 'none' }]);
  t.teardown(() => node.stop());
  const path = join(tempDir(t, 'fundcore-rebuild-unit-'), 'rebuilt.db');
  rebuildReadModel(node.journal, path);
  await node.projections.catchUpFully();
  const db = new Database(path);
  db.defaultSafeIntegers(true);
  t.teardown(() => db.close());
  t.same(compareReadModels(node.readModel.db, db), []);
  db.prepare("update legs set amount = amount + 1 where account = 'a'").run();
  t.match(compareReadModels(node.readModel.db, db), [/^table legs: only in the first/, /^table legs: only in the second/]);
  db.prepare("delete from legs where account = 'a'").run();
  t.match(compareReadModels(node.readModel.db, db), [/^table legs: \d+ rows against \d+/, /only in the first/]);
  db.exec('create table extra (x integer)');
  t.ok(compareReadModels(node.readModel.db, db).includes('table extra: only in the second'));
});
