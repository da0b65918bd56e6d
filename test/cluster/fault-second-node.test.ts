import t from 'tap';
import { accountIdsWhere, openAccounts } from '../helpers/cluster-load.js';
import { getJson, nodeEnv, postJson, startClusterProcess, waitFor } from '../helpers/cluster-process.js';
import { tempDir } from '../helpers/ledger.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';

const partitionCount = 16;

t.test('a second node claiming the same partitions is refused by the lease and serves nothing', async (t) => {
  const nats = await startNats(t);
  const cluster = uniqueName();
  const dir = tempDir(t);
  const nodeA = await startClusterProcess(t, 'node-main', nodeEnv(nats.url, cluster, `${dir}/a`, 'node-a', partitionCount), ['--partitions', '0-15']);
  const gateway = await startClusterProcess(t, 'gateway-main', { NATS_URL: nats.url, FUNDCORE_CLUSTER: cluster, PARTITION_COUNT: String(partitionCount) });
  const intruder = await startClusterProcess(t, 'node-main', nodeEnv(nats.url, cluster, `${dir}/c`, 'node-c', partitionCount), ['--partitions', '0-15']);

  const health = (await getJson(`${intruder.url}/health`)).body;
  t.equal(health.serving, '', 'the second node serves no partition');
  t.equal(health.notServing.length, 16);
  t.ok(
    health.notServing.every((p: { reason: string }) => p.reason.startsWith('lease held by node node-a')),
    'each refused because node-a holds the lease',
  );
  t.equal(health.status, 'degraded');
  t.match(intruder.output(), /"reason":"lease held by node node-a/, 'and says so in its log');

  // Traffic keeps going to node A only; the second node writes nothing, even after a few renewals.
  const banks = accountIdsWhere('bank', 2, partitionCount, () => true);
  const wallets = accountIdsWhere('w', 4, partitionCount, () => true);
  await openAccounts(gateway.url, banks, wallets);
  for (let i = 0; i < 20; i++) {
    const reply = await postJson(`${gateway.url}/v1/transfers`, { id: `x${i}`, debit: banks[i % 2], credit: wallets[i % 4], amount: '1.00' });
    t.equal(reply.status, 201);
  }
  await waitFor('node A renewed its leases a few times', async () => (await getJson(`${nodeA.url}/health`)).body.notServing.length === 0);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const after = (await getJson(`${intruder.url}/health`)).body;
  t.same([after.serving, after.journal.lastLogPosition, after.actors.activations], ['', null, 0], 'the second node still serves nothing and has journaled nothing');
  t.equal((await getJson(`${nodeA.url}/health`)).body.serving, '0-15', 'node A keeps serving every partition');
});
