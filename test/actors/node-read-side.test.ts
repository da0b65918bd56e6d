import t from 'tap';
import { FundcoreNode } from '../../actors/node.js';
import { LocalReadSide } from '../../persistence/projections/read-side.js';
import { WorkerReadSide } from '../../persistence/projections/worker-read-side.js';
import { FakeTime } from '../helpers/fake-time.js';
import { memoryNode, openAccount, quiescent, tempDir, transfer } from '../helpers/ledger.js';

t.test('given a node whose actors passivate after 1 s idle, when its read side has followed some accounts', async (t) => {
  const time = new FakeTime();
  const node = memoryNode(t, { clock: time, timers: time, limits: { idleBeforePassivationMs: 1_000 }, projectionIntervalMs: 0 });
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  const paid = await node.ledger.createTransfer(transfer('t1', 'bank', 'w1', '10.00'));
  t.ok(paid.ok);
  await quiescent(node);
  const readSide = node.projections;
  if (!(readSide instanceof LocalReadSide)) throw new Error('a node on an in-memory journal reads in its own thread');
  await readSide.catchUp();
  const followed = readSide.runner.cachedStates;

  t.test('then it keeps their states while they are in use, by the node\'s clock', async (t) => {
    t.ok(followed >= 2, `the states of the accounts it followed are cached (${followed})`);
    time.advance(999);
    await readSide.catchUp();
    t.equal(readSide.runner.cachedStates, followed);
  });
  t.test('then once idle for the node\'s passivation time, its next step lets them go', async (t) => {
    time.advance(1);
    await readSide.catchUp();
    t.equal(readSide.runner.cachedStates, 0);
  });
});

t.test('given a node on disk whose actors passivate after 1 s idle, when nothing is asked or journaled for that long', async (t) => {
  const time = new FakeTime();
  const dir = tempDir(t, 'fundcore-read-side-rest-');
  const node = FundcoreNode.start({ dataDir: dir, clock: time, timers: time, limits: { idleBeforePassivationMs: 1_000 }, projectionIntervalMs: 3_600_000 });
  t.teardown(() => node.stop());
  const side = node.projections;
  if (!(side instanceof WorkerReadSide)) throw new Error('a node with a journal on disk reads in a worker thread');
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w1');
  t.ok((await node.ledger.createTransfer(transfer('t1', 'bank', 'w1', '10.00'))).ok);
  await quiescent(node);
  await side.catchUp();

  t.test('then its read-side worker runs while anything was journaled within the idle time', async (t) => {
    time.advance(1_000);
    t.equal(side.isResting, false, 'the first look sees what was journaled since the start');
    time.advance(999);
    t.equal(side.isResting, false);
    t.equal(side.startedWorkers, 1);
  });
  t.test('then a whole idle time later it ends, having applied everything', async (t) => {
    time.advance(1);
    t.equal(side.isResting, true);
    await side.rested();
    t.equal(side.position(), node.journal.lastLogPosition());
  });
  t.test('then a query starts another, which reads what the first applied and what came since', async (t) => {
    t.ok((await node.ledger.createTransfer(transfer('t2', 'bank', 'w1', '5.00'))).ok);
    await quiescent(node);
    await side.catchUp();
    t.equal(side.isResting, false);
    t.equal(side.startedWorkers, 2);
    t.same(node.queries.transfers({}, undefined, 10).items.map((row) => row.id).sort(), ['t1', 't2']);
  });
  t.test('then, resting again, an entry journaled wakes it with nothing asked', async (t) => {
    time.advance(2_000);
    t.equal(side.isResting, true);
    // Ended first: a worker still ending applies what it finds on its way out, t3 included, and then nothing is ahead.
    await side.rested();
    t.ok((await node.ledger.createTransfer(transfer('t3', 'bank', 'w1', '1.00'))).ok);
    await quiescent(node);
    time.advance(1_000);
    t.equal(side.isResting, false, 'the next look saw the journal ahead of the read models');
    await side.catchUp();
    t.equal(side.startedWorkers, 3, 'the query found the worker the entry started');
    t.equal(side.position(), node.journal.lastLogPosition());
  });
  t.test('then a node stopped while its worker rests stops cleanly, its read models whole', async (t) => {
    time.advance(2_000);
    t.equal(side.isResting, true);
    await node.stop();
    const again = FundcoreNode.start({ dataDir: dir, projectionIntervalMs: 3_600_000 });
    t.teardown(() => again.stop());
    t.same(again.queries.transfers({}, undefined, 10).items.map((row) => row.id).sort(), ['t1', 't2', 't3'], 'what the read models hold before any catch-up');
  });
});
