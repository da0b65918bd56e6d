import t from 'tap';
import { accountIdsWhere, openAccounts, resolveUnknowns, startLoad, verifyBooks } from '../helpers/cluster-load.js';
import { getJson, nodeEnv, startClusterProcess, waitFor } from '../helpers/cluster-process.js';
import { tempDir } from '../helpers/ledger.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';

const partitionCount = 16;
const onA = (p: number) => p < 8;

t.test('restart nats-server mid-load: clients reconnect; no acknowledged command lost or applied twice', async (t) => {
  const nats = await startNats(t);
  if (!nats.owned) {
    t.comment('skipped: NATS_URL is set, and this test restarts its own nats-server');
    return;
  }
  const cluster = uniqueName();
  const dir = tempDir(t);
  // Production's lease settings (node-main's defaults: valid 4.75 s, renewed every second): what a restart must not cost.
  const leases = { LEASE_TTL_MS: '5000', LEASE_RENEW_MS: '1000', LEASE_MARGIN_MS: '250' };
  const nodeA = await startClusterProcess(t, 'node-main', { ...nodeEnv(nats.url, cluster, `${dir}/a`, 'node-a', partitionCount), ...leases }, ['--partitions', '0-7']);
  const nodeB = await startClusterProcess(t, 'node-main', { ...nodeEnv(nats.url, cluster, `${dir}/b`, 'node-b', partitionCount), ...leases }, ['--partitions', '8-15']);
  const gateway = await startClusterProcess(t, 'gateway-main', { NATS_URL: nats.url, FUNDCORE_CLUSTER: cluster, PARTITION_COUNT: String(partitionCount), ROUTE_DEADLINE_MS: '500' });
  const banks = [...accountIdsWhere('bank-a', 1, partitionCount, onA), ...accountIdsWhere('bank-b', 1, partitionCount, (p) => !onA(p))];
  const wallets = [...accountIdsWhere('wa', 3, partitionCount, onA), ...accountIdsWhere('wb', 3, partitionCount, (p) => !onA(p))];
  await openAccounts(gateway.url, banks, wallets);

  const load = startLoad(gateway.url, banks, wallets, 8, 400);
  await waitFor('some traffic before the restart', () => load.sent() >= 100);
  await nats.restart(300);
  const sentAfter = load.sent();
  await waitFor('traffic flows again after the restart', () => load.outcomes.slice(sentAfter).filter((o) => o.state === 'acked').length >= 100, 30_000);
  await load.stop();

  for (const node of [nodeA, nodeB]) {
    await waitFor('the node serves all its partitions again', async () => (await getJson(`${node.url}/health`)).body.notServing.length === 0);
  }
  t.match(gateway.output(), /"nats":"reconnect"/, 'the gateway reconnected');
  t.match(nodeA.output(), /"nats":"reconnect"/, 'node A reconnected');
  for (const [name, node] of [['A', nodeA], ['B', nodeB]] as const) {
    t.notMatch(node.output(), /stopped serving partition/, `node ${name} kept its partitions through a 300 ms restart (its renewals lost in it were sent again)`);
  }
  const failedDuring = load.outcomes.filter((o) => o.seen.some((s) => !s.startsWith('201')));
  t.comment(`${failedDuring.length} of ${load.outcomes.length} commands needed a retry`);
  await resolveUnknowns(gateway.url, load.outcomes);
  await verifyBooks(t, gateway.url, load.outcomes, banks, wallets);
});
