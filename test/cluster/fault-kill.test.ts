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
  // Its relay resumes the outbox while the node is being built: those deliveries wait for it instead of failing.
  t.notMatch(nodeA.output(), /relay delivery failed unexpectedly/, 'no delivery failed for want of the node at restart');
  await waitFor('traffic after the restart', () => load.sent() >= sentWhileDown + 150);
  await load.stop();

  const unavailable = load.outcomes.filter((o) => o.seen.some((s) => s === '503 partition_unavailable'));
  t.ok(unavailable.length > 0, `${unavailable.length} commands were answered 503 partition_unavailable while A was down`);
  await resolveUnknowns(gateway.url, load.outcomes);
  await verifyBooks(t, gateway.url, load.outcomes, banks, wallets);
});

t.test('a request already delivered to a node that then dies answers 503 partition_unavailable within the lease TTL, not at the ask timeout', async (t) => {
  const nats = await startNats(t);
  const cluster = uniqueName();
  const dir = tempDir(t);
  const leaseTtlMs = Number(nodeEnv(nats.url, cluster, dir, 'x', partitionCount).LEASE_TTL_MS);
  const nodeA = await startClusterProcess(t, 'node-main', nodeEnv(nats.url, cluster, `${dir}/a`, 'node-a', partitionCount), ['--partitions', '0-7']);
  await startClusterProcess(t, 'node-main', nodeEnv(nats.url, cluster, `${dir}/b`, 'node-b', partitionCount), ['--partitions', '8-15']);
  const gateway = await startClusterProcess(t, 'gateway-main', { NATS_URL: nats.url, FUNDCORE_CLUSTER: cluster, PARTITION_COUNT: String(partitionCount) });
  const banks = [...accountIdsWhere('bank-a', 1, partitionCount, onA), ...accountIdsWhere('bank-b', 1, partitionCount, (p) => !onA(p))];
  await openAccounts(gateway.url, banks, []);
  await waitFor('the gateway has seen the leases renewed', async () => (await getJson(`${gateway.url}/v1/accounts/${banks[0]}`)).status === 200);

  // Stopped, A still holds its subscription: the request is delivered to it and never answered; then A dies.
  nodeA.pause();
  const sentAt = performance.now();
  const inFlight = getJson(`${gateway.url}/v1/accounts/${banks[0]}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await nodeA.kill();
  const answer = await inFlight;
  const elapsedMs = performance.now() - sentAt;
  t.same([answer.status, answer.body.error?.code], [503, 'partition_unavailable'], 'the in-flight request ends partition_unavailable');
  // Generous: the TTL plus slack for a loaded machine — far below the 11 s the request used to wait.
  t.ok(elapsedMs < leaseTtlMs + 3_000, `answered after ${Math.round(elapsedMs)} ms (lease TTL ${leaseTtlMs} ms)`);
  t.equal((await getJson(`${gateway.url}/v1/accounts/${banks[1]}`)).status, 200, "node B's partitions are served meanwhile");
});
