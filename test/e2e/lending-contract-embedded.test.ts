import t from 'tap';
import { startSimulatedPlatform, e2eKeys } from '../helpers/e2e.js';
import { eventually } from '../helpers/callback-receiver.js';
import { contractLending, contractPoolShards, contractStartDate, lendingContract } from './lending-contract.js';

t.test('the lending contract, embedded (npm start: one node owning every partition)', async (t) => {
  const { http, sim } = await startSimulatedPlatform(t, { seed: 11, behaviour: { delayMinMs: 1, delayMaxMs: 5 }, startDate: contractStartDate, poolShards: contractPoolShards, lending: contractLending });
  await lendingContract(t, {
    http,
    opsKey: e2eKeys.opsKey,
    sim,
    quiet: () => eventually(async () => (await http.get('/health')).body.relay.backlog === 0, 20_000),
  });
});
