import t from 'tap';
import { ClusterNode, clusterNames } from '../../cluster/cluster-node.js';
import { clusterGateway } from '../../cluster/cluster-gateway.js';
import { bankCallbackPath } from '../../gateway/auth.js';
import { openPlatformDepositoryAccounts } from '../../gateway/platform-bank.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { eventually } from '../helpers/callback-receiver.js';
import { range, testLeaseLimits } from '../helpers/cluster.js';
import { bankClientOf, e2eBankSecret, e2eKeys, e2eLending, startBankSimulator } from '../helpers/e2e.js';
import { HttpClient } from '../helpers/http-client.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';
import { contractLending, contractPoolShards, contractStartDate, lendingContract } from '../e2e/lending-contract.js';

const nats = await startNats(t);

t.test('the lending contract, on a 3-node cluster behind its gateway: the same expectations as embedded', async (t) => {
  const sim = await startBankSimulator(t, { seed: 11, behaviour: { delayMinMs: 1, delayMaxMs: 5 } });
  const names = clusterNames(uniqueName());
  const partitionCount = 12;
  const lending = e2eLending({ poolShards: contractPoolShards, lending: contractLending });
  const businessClock = { mode: 'sim', startDate: contractStartDate } as const;
  const banks = [0, 1, 2].map(() => bankClientOf(sim));
  const nodes = await Promise.all(
    [range(0, 4), range(4, 8), range(8, 12)].map(async (partitions, i) =>
      ClusterNode.start({
        nc: await nats.connect(`node-${i}`),
        names,
        partitionCount,
        partitions,
        nodeId: `node-${i}`,
        journal: new MemoryJournal(),
        leaseLimits: testLeaseLimits,
        lending,
        businessClock,
        bank: banks[i] as (typeof banks)[number],
      }),
    ),
  );
  t.teardown(async () => {
    for (const node of nodes) await node.stop().catch(() => {});
  });
  const gateway = await clusterGateway({
    nc: await nats.connect('gateway'),
    names,
    partitionCount,
    keys: e2eKeys,
    bankSecret: e2eBankSecret,
    lending,
    businessClock,
    routeDeadlineMs: 3_000,
    health: () => ({ status: 'ok', role: 'gateway' }),
  });
  t.teardown(() => gateway.stop());
  const address = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  for (const bank of banks) bank.setNotifyUrl(`${address}${bankCallbackPath}`);
  await openPlatformDepositoryAccounts(gateway.bank);
  await Promise.all(nodes.map((node) => node.lendingReady));

  await lendingContract(t, {
    http: new HttpClient(address, e2eKeys.apiKey),
    opsKey: e2eKeys.opsKey,
    sim,
    quiet: () => eventually(() => nodes.every((node) => node.health().relay.backlog === 0), 20_000),
  });
});
