import t from 'tap';
import { accountIdsWhere, openAccounts, resolveUnknowns, startLoad, verifyBooks } from '../helpers/cluster-load.js';
import { getJson, nodeEnv, startClusterProcess, waitFor } from '../helpers/cluster-process.js';
import { tempDir } from '../helpers/ledger.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';

const partitionCount = 16;
const onA = (p: number) => p < 8;

t.test('kill -9 one node under load: its partitions answer 503 until it restarts, then serve again; nothing acknowledged is lost', async (t) => {
  const nats = await startNats(t);
  const cluster = uniqueName();
  const dir = tempDir(t);
  const envA = nodeEnv(nats.url, cluster, `${dir}/a`, 'node-a', partitionCount);
  let nodeA = await startClusterProcess(t, 'node-main', envA, ['--partitions', '0-7']);
  await startClusterProcess(t, 'node-main', nodeEnv(nats.url, cluster, `${dir}/b`, 'node-b', partitionCount), ['--partitions', '8-15']);
  const gateway = await startClusterProcess(t, 'gateway-main', { NATS_URL: nats.url, FUNDCORE_CLUSTER: cluster, PARTITION_COUNT: String(partitionCount), ROUTE_DEADLINE_MS: '500' });
  const banks = [...accountIdsWhere('bank-a', 1, partitionCount, onA), ...accountIdsWhere('bank-b', 1, partitionCount, (p) => !onA(p))];
  const wallets = [...accountIdsWhere('wa', 3, partitionCount, onA), ...accountIdsWhere('wb', 3, partitionCount, (p) => !onA(p))];
  await openAccounts(gateway.url, banks, wallets);

  const load = startLoad(gateway.url, banks, wallets, 8, 400);
  await waitFor('some traffic before the kill', () => load.sent() >= 100);
  await nodeA.kill();
  // A's partitions: 503 partition_unavailable (the gateway retried within its deadline first).
  const probe = await getJson(`${gateway.url}/v1/accounts/${banks[0]}`);
  t.same([probe.status, probe.body.error?.code], [503, 'partition_unavailable'], "a read of node A's account while A is down");
  const onB = await getJson(`${gateway.url}/v1/accounts/${banks[1]}`);
  t.equal(onB.status, 200, "node B's accounts are served meanwhile");
  const sentWhileDown = load.sent();
  await waitFor('traffic while A is down', () => load.sent() >= sentWhileDown + 50);

  nodeA = await startClusterProcess(t, 'node-main', envA, ['--partitions', '0-7']);
  await waitFor("node A serves again (it took its own leases back)", async () => (await getJson(`${gateway.url}/v1/accounts/${banks[0]}`)).status === 200);
  const health = await getJson(`${nodeA.url}/health`);
  t.same([health.body.serving, health.body.notServing], ['0-7', []], 'the restarted node serves all its partitions');
  await waitFor('traffic after the restart', () => load.sent() >= sentWhileDown + 150);
  await load.stop();

  const unavailable = load.outcomes.filter((o) => o.seen.some((s) => s === '503 partition_unavailable'));
  t.ok(unavailable.length > 0, `${unavailable.length} commands were answered 503 partition_unavailable while A was down`);
  await resolveUnknowns(gateway.url, load.outcomes);
  await verifyBooks(t, gateway.url, load.outcomes, banks, wallets);
});
