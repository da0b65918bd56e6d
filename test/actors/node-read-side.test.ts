import t from 'tap';
import { LocalReadSide } from '../../persistence/projections/read-side.js';
import { FakeTime } from '../helpers/fake-time.js';
import { memoryNode, openAccount, quiescent, transfer } from '../helpers/ledger.js';

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
