import { Kvm } from '@nats-io/kv';
import t from 'tap';
import { leaseBucketOptions, leaseKey, LeaseManager } from '../../cluster/leases.js';
import { testLeaseLimits } from '../helpers/cluster.js';
import { waitFor } from '../helpers/cluster-process.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';

const nats = await startNats(t);

async function buckets() {
  const kvm = new Kvm(await nats.connect());
  const name = uniqueName();
  return { leases: await kvm.create(`${name}_leases`, leaseBucketOptions(testLeaseLimits)), homes: await kvm.create(`${name}_homes`, { history: 1 }) };
}

function manager(kv: Awaited<ReturnType<typeof buckets>>, nodeId: string, partitions: number[], now?: () => number) {
  const changes: [number, boolean][] = [];
  const leases = new LeaseManager({ ...kv, nodeId, partitions, limits: testLeaseLimits, logger: { info() {}, warn() {}, error() {} }, onChange: (p, serving) => changes.push([p, serving]), ...(now ? { now } : {}) });
  return { leases, changes };
}

t.test('acquired with create; the revision is the epoch; a second node is refused while it is held', async (t) => {
  const kv = await buckets();
  const a = manager(kv, 'a', [0, 1]);
  await a.leases.start();
  t.teardown(() => a.leases.stop());
  t.same(a.leases.serving(), [0, 1]);
  const check = a.leases.check(0);
  t.ok(check.ok && check.epoch === (await kv.leases.get(leaseKey(0)))?.revision, 'epoch = the revision of the create');
  const b = manager(kv, 'b', [1, 2]);
  await b.leases.start();
  t.teardown(() => b.leases.stop());
  t.same(b.leases.serving(), [2], 'partition 1 is held by a');
  const refused = b.leases.check(1);
  t.match(!refused.ok && refused.reason, /lease held by node a/);
});

t.test('a lease not renewed in time is not valid, on the holder’s own monotonic clock, before NATS lets anyone else in', async (t) => {
  const kv = await buckets();
  let offsetMs = 0;
  const a = manager(kv, 'a', [0], () => performance.now() + offsetMs);
  await a.leases.start();
  t.teardown(() => a.leases.stop());
  t.ok(a.leases.isServing(0));
  offsetMs = testLeaseLimits.leaseTtlMs - testLeaseLimits.leaseSafetyMarginMs + 1;
  t.notOk(a.leases.isServing(0), 'past TTL − margin since the last renewal was sent: not valid');
  t.same(a.changes.at(-1), [0, false], 'and it stopped serving');
  t.ok((await kv.leases.get(leaseKey(0)))?.operation === 'PUT', 'while the key still stands in NATS');
});

t.test('a restarted node takes its own lease back at once, in a new epoch; another node must wait', async (t) => {
  const kv = await buckets();
  const first = manager(kv, 'a', [0]);
  await first.leases.start();
  const epoch1 = first.leases.check(0);
  await first.leases.stop();
  const again = manager(kv, 'a', [0]);
  await again.leases.start();
  t.teardown(() => again.leases.stop());
  const epoch2 = again.leases.check(0);
  t.ok(epoch1.ok && epoch2.ok && epoch2.epoch > epoch1.epoch, 'serving again, a higher epoch');
});

t.test('a partition homed on another node is not served even when its lease is free', async (t) => {
  const kv = await buckets();
  const a = manager(kv, 'a', [0]);
  await a.leases.start();
  await a.leases.stop();
  await kv.leases.delete(leaseKey(0));
  const b = manager(kv, 'b', [0]);
  await b.leases.start();
  t.teardown(() => b.leases.stop());
  const refused = b.leases.check(0);
  t.match(!refused.ok && refused.reason, /homed on node a/);
  t.not((await kv.leases.get(leaseKey(0)))?.operation, 'PUT', 'and it gave the lease back');
});

t.test('a renewal that landed though its answer was lost (given up as a timeout) does not end the term: the next renewal, refused for its revision, finds the key still its own', async (t) => {
  const kv = await buckets();
  let loseNextAnswer = false;
  // The real bucket, except that one update's answer is lost after the write landed.
  const leases = new Proxy(kv.leases, {
    get(target, property, receiver) {
      if (property !== 'update') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<typeof target.update>) => {
        const revision = await target.update(...args);
        if (!loseNextAnswer) return revision;
        loseNextAnswer = false;
        throw new Error('TIMEOUT');
      };
    },
  });
  const a = manager({ ...kv, leases }, 'a', [0]);
  await a.leases.start();
  t.teardown(() => a.leases.stop());
  const epoch = a.leases.check(0);
  loseNextAnswer = true;
  const revisionBefore = (await kv.leases.get(leaseKey(0)))?.revision ?? 0;
  // The lost answer, the renewal refused for its stale revision, then renewals under the key's revision
  await waitFor('renewals past the refused one', async () => ((await kv.leases.get(leaseKey(0)))?.revision ?? 0) > revisionBefore + 2);
  t.equal(loseNextAnswer, false, 'an answer was lost');
  t.same(a.changes, [[0, true]], 'never stopped serving');
  t.same(a.leases.check(0), epoch, 'the same term (epoch)');

  // Another node's write ends the term as before
  await kv.leases.put(leaseKey(0), new TextEncoder().encode('someone else'));
  await waitFor('the term ends', () => a.changes.length > 1);
  t.same(a.changes.at(-1), [0, false], 'a key another wrote: the term is over');
});
