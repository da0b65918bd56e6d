import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import t, { type Test } from 'tap';
import { FundcoreNode, type NodeOptions } from '../../../actors/node.js';
import { configFromEnv } from '../../../gateway/config.js';
import { lowerThisThreadPriority, niceMax, readSideNiceDefault } from '../../../persistence/projections/thread-priority.js';
import { WorkerReadSide } from '../../../persistence/projections/worker-read-side.js';
import { tempDir } from '../../helpers/ledger.js';

/** The nice value of every thread of this process, by the kernel (field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nices.set(Number(tid), Number(fields[16]));
  }
  return nices;
}

async function startedNode(t: Test, extra: Partial<NodeOptions>): Promise<FundcoreNode> {
  const node = FundcoreNode.start({ dataDir: tempDir(t, 'fundcore-priority-'), projectionIntervalMs: 3_600_000, ...extra });
  t.teardown(() => node.stop());
  // The worker says its priority before anything else, so once a catch-up is answered it has.
  await node.projections.catchUp();
  return node;
}

const linux = process.platform === 'linux';

t.test('given a node with its read side in a worker, when the worker starts, then it runs 10 nice steps below the node and the node does not move', { skip: !linux && 'per-thread priority is Linux only' }, async (t) => {
  const base = getPriority(process.pid);
  const node = await startedNode(t, {});
  t.ok(node.projections instanceof WorkerReadSide);
  const outcome = (node.projections as WorkerReadSide).threadPriority();
  const expected = Math.min(niceMax, base + readSideNiceDefault);
  t.same(outcome, { applied: true, nice: expected }, 'the worker says it lowered its priority');
  const nices = threadNices();
  t.equal(nices.get(process.pid), base, 'the node\'s thread keeps its priority');
  t.ok([...nices.values()].includes(expected), 'the kernel has a thread of this process at the worker\'s nice value');
});

t.test('given readSideThreadNice 0, when the worker starts, then it keeps the node\'s priority', { skip: !linux && 'per-thread priority is Linux only' }, async (t) => {
  const base = getPriority(process.pid);
  const node = await startedNode(t, { readSideThreadNice: 0 });
  t.same((node.projections as WorkerReadSide).threadPriority(), { applied: true, nice: base });
});

t.test('given nice steps out of range, when asked to lower, then nothing changes and the outcome says why', async (t) => {
  const before = getPriority(0);
  for (const steps of [-1, 20, 1.5, Number.NaN]) {
    const outcome = lowerThisThreadPriority(steps);
    t.equal(outcome.applied, false, `${steps} refused`);
    if (!outcome.applied) t.match(outcome.reason, /nice steps must be 0\.\.19/);
  }
  t.equal(getPriority(0), before, 'this thread\'s priority is unchanged');
});

t.test('FUNDCORE_READ_SIDE_NICE: unset leaves the default, 0..19 is taken, anything else refuses to start', async (t) => {
  t.equal(configFromEnv({}).readSideNice, undefined);
  t.equal(configFromEnv({ FUNDCORE_READ_SIDE_NICE: '0' }).readSideNice, 0);
  t.equal(configFromEnv({ FUNDCORE_READ_SIDE_NICE: '19' }).readSideNice, 19);
  t.throws(() => configFromEnv({ FUNDCORE_READ_SIDE_NICE: '20' }), /FUNDCORE_READ_SIDE_NICE must be an integer in 0\.\.19/);
  t.throws(() => configFromEnv({ FUNDCORE_READ_SIDE_NICE: 'low' }), /FUNDCORE_READ_SIDE_NICE/);
});
