import { Kvm } from '@nats-io/kv';
import t from 'tap';
import { accountActorId, type AccountMessage } from '../../actors/account/messages.js';
import { LedgerService } from '../../actors/ledger/ledger-service.js';
import { gatewayBus } from '../../cluster/nats-bus.js';
import { leaseKey } from '../../cluster/leases.js';
import { commandSubject, partitionOfActor } from '../../cluster/partitions.js';
import { encode } from '../../cluster/wire.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { accountIdsWhere, openAccounts } from '../helpers/cluster-load.js';
import { getJson, nodeEnv, postJson, startClusterProcess, waitFor } from '../helpers/cluster-process.js';
import { tempDir, transfer } from '../helpers/ledger.js';
import { startNats, uniqueName } from '../helpers/nats-server.js';

const partitionCount = 8;
const partitions = [0, 1, 2, 3, 4, 5, 6, 7];

t.test('a node paused past its lease TTL stops serving on resume before writing anything', async (t) => {
  const nats = await startNats(t);
  const cluster = uniqueName();
  const dir = tempDir(t);
  const node = await startClusterProcess(t, 'node-main', nodeEnv(nats.url, cluster, `${dir}/a`, 'node-a', partitionCount), ['--partitions', '0-7']);
  const gateway = await startClusterProcess(t, 'gateway-main', { NATS_URL: nats.url, FUNDCORE_CLUSTER: cluster, PARTITION_COUNT: String(partitionCount) });
  const banks = accountIdsWhere('bank', 1, partitionCount, () => true);
  const wallets = accountIdsWhere('w', 3, partitionCount, () => true);
  await openAccounts(gateway.url, banks, wallets);
  for (let i = 0; i < 10; i++) t.equal((await postJson(`${gateway.url}/v1/transfers`, { id: `before-${i}`, debit: banks[0], credit: wallets[i % 3], amount: '1.00' })).status, 201);
  // Holds: some will be voided by commands queued during the pause, some expire during it
  // (their wake-up timers fire on resume, before anything else can tell the node its lease is gone).
  for (let i = 0; i < 5; i++) t.equal((await postJson(`${gateway.url}/v1/transfers`, { id: `hold-${i}`, debit: banks[0], credit: wallets[0], amount: '1.00', pending: true })).status, 201);
  for (let i = 0; i < 5; i++) {
    const reply = await postJson(`${gateway.url}/v1/transfers`, { id: `expiring-${i}`, debit: banks[0], credit: wallets[0], amount: '1.00', pending: true, timeoutMs: 1_500 });
    t.equal(reply.status, 201);
  }
  await waitFor('credits landed', async () => (await getJson(`${node.url}/health`)).body.relay.backlog === 0);
  await waitFor('the journal in the log stream', async () => (await getJson(`${node.url}/health`)).body.stream.unpublished === 0);
  const before = (await getJson(`${node.url}/health`)).body;
  const mailboxes = before.mailboxes as { queued: number; deepest: number };
  t.ok(Number.isInteger(mailboxes.queued) && Number.isInteger(mailboxes.deepest) && mailboxes.deepest <= mailboxes.queued, `/health: mailboxes (${mailboxes.queued} waiting, the deepest ${mailboxes.deepest})`);
  t.equal(before.stream.unpublished, 0, '/health: every journal entry published');
  const headBefore: number = before.journal.lastLogPosition;
  const epochsBefore: Record<string, number> = before.epochs;
  t.ok(headBefore > 0, `the node journaled up to log position ${headBefore}`);

  node.pause();
  // Commands sent while it is paused queue up in its socket, to be read on resume.
  const nc = await nats.connect('pause-test');
  const ledger = new LedgerService(gatewayBus({ nc, subjectPrefix: cluster, partitionCount, askTimeoutMs: 400, routing: { routeDeadlineMs: 200 } }), () => false);
  // Asks straight to the debit account, as a gateway or a relay sends them once an id is claimed.
  const ask = (message: AccountMessage) => {
    const actorId = accountActorId(banks[0] as string);
    const command = encode({ op: 'actor_ask', actorId, message, timeoutMs: 400 });
    return nc.request(commandSubject(cluster, partitionOfActor(actorId, partitionCount)), command, { timeout: 500 }).catch((error: Error) => error);
  };
  const content = (i: number) => ({ debit: banks[0] as string, credit: wallets[i % 3] as string, amount: 100n, pending: false, timeoutMs: null, memo: null });
  const queued: Promise<unknown>[] = Array.from({ length: 20 }, (_, i) => ask({ type: 'create_transfer', data: { id: `during-${i}`, content: content(i), final: true } }));
  for (let i = 0; i < 5; i++) queued.push(ask({ type: 'void_pending', data: { transferId: `hold-${i}` } }));
  const kv = await new Kvm(nc).open(`${cluster}_leases`);
  await waitFor('its leases expired in NATS', async () => {
    for (const p of partitions) if ((await kv.get(leaseKey(p)))?.operation === 'PUT') return false;
    return true;
  });
  // Another holder takes the partitions meanwhile, as a second node would, and renews them.
  const intruder = encode({ nodeId: 'intruder', host: 'test', pid: 0, acquiredAt: new Date().toISOString() });
  const revisions = new Map<number, number>();
  for (const p of partitions) revisions.set(p, await kv.create(leaseKey(p), intruder));
  let renewing = Promise.resolve();
  const renewal = setInterval(() => {
    renewing = (async () => {
      for (const [p, revision] of revisions) revisions.set(p, await kv.update(leaseKey(p), intruder, revision));
    })();
  }, 300);
  t.ok((await Promise.all(queued)).every((r) => r instanceof Error), 'nothing answered while paused');

  node.resume();
  await waitFor('the resumed node reports its partitions not served', async () => (await getJson(`${node.url}/health`)).body.notServing.length === partitions.length);
  const resumed = (await getJson(`${node.url}/health`)).body;
  t.equal(resumed.journal.lastLogPosition, headBefore, 'it wrote nothing after the pause');
  t.match(node.output(), /"msg":"stopped serving partition"/, 'its log says it stopped serving');
  await t.rejects(ledger.createTransfer(transfer('probe', banks[0] as string, wallets[0] as string, '1.00')), { code: 'partition_unavailable' }, 'clients are told partition_unavailable');
  t.equal((await getJson(`${node.url}/health`)).body.journal.lastLogPosition, headBefore, 'still nothing written');

  // The other holder goes away: the node acquires again, in a new epoch, and serves.
  clearInterval(renewal);
  await renewing;
  for (const p of partitions) await kv.delete(leaseKey(p));
  await waitFor('it serves again', async () => (await getJson(`${node.url}/health`)).body.notServing.length === 0);
  const after = (await getJson(`${node.url}/health`)).body;
  for (const p of partitions) t.ok(after.epochs[p] > (epochsBefore[p] ?? 0), `partition ${p}: a new epoch`);
  t.equal((await postJson(`${gateway.url}/v1/transfers`, { id: 'after', debit: banks[0], credit: wallets[0], amount: '1.00' })).status, 201);
  await waitFor('credits landed', async () => (await getJson(`${node.url}/health`)).body.relay.backlog === 0);
  await node.stop();

  // The journal itself: nothing between the pause and the new epoch, the new writes under the new epochs.
  const journal = new LmdbJournal({ path: `${dir}/a/journal` });
  t.teardown(() => journal.close());
  const log = [...journal.readLog(1)];
  const oldEpochs = new Set(Object.values(epochsBefore));
  const newEpochs = new Set(Object.values(after.epochs as Record<string, number>));
  t.ok(log.filter((e) => e.position <= headBefore).every((e) => e.epoch !== null && oldEpochs.has(e.epoch)), 'before the pause: the old epochs');
  t.ok(log.filter((e) => e.position > headBefore).every((e) => e.epoch !== null && newEpochs.has(e.epoch)), 'after it: only the new epochs');
  t.ok(log.some((e) => e.position > headBefore), 'and the new writes are there');
});
