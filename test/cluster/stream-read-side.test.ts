import { getPriority } from 'node:os';
import t, { type Test } from 'tap';
import { ClusterNode, type ClusterNames } from '../../cluster/cluster-node.js';
import type { Journal } from '../../persistence/journal.js';
import { StreamReadSide } from '../../cluster/stream-read-side.js';
import { allProjectors } from '../../persistence/projections/projectors.js';
import { ReadModel } from '../../persistence/projections/read-model.js';
import { compareReadModels, rebuildReadModel } from '../../persistence/projections/rebuild.js';
import type { LedgerApi } from '../../actors/ledger/ledger-api.js';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { StreamWorkerReadSide } from '../../cluster/stream-worker-read-side.js';
import { helperModuleUrl } from '../helpers/repo.js';
import { catchesUpAgain } from '../helpers/read-sides.js';
import { range, startTestCluster, testLeaseLimits } from '../helpers/cluster.js';
import { startNats } from '../helpers/nats-server.js';
import { tempDir } from '../helpers/ledger.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { ensureLogStream, logStreamNameOf } from '../../cluster/log-stream.js';
import { decode } from '../../cluster/wire.js';

const nats = await startNats(t);

/** Accounts on several partitions, one hot; transfers every way, some pending then posted, voided or reversed. */
async function traffic(ledger: LedgerApi, tag: string): Promise<void> {
  const open = (id: string, extra: object = {}) => ledger.openAccount({ id: `${tag}${id}`, kind: 'investor_wallet', currency: 'CNY', overdraft: false, ...extra });
  await ledger.openAccount({ id: `${tag}bank`, kind: 'bank_settlement', currency: 'CNY', overdraft: true });
  for (const id of ['a', 'b', 'c', 'd']) await open(id);
  await open('hot', { subAccounts: 4 });
  const ids = ['a', 'b', 'c', 'd', 'hot'];
  for (const [n, to] of ids.entries()) await ledger.createTransfer({ id: `${tag}fund-${n}`, debit: `${tag}bank`, credit: `${tag}${to}`, amount: '500.00', pending: false, timeoutMs: null, memo: null });
  for (let n = 0; n < 30; n++) {
    const [from, to] = [ids[n % 5] as string, ids[(n * 3 + 1) % 5] as string];
    if (from === to) continue;
    const id = `${tag}t${n}`;
    await ledger.createTransfer({ id, debit: `${tag}${from}`, credit: `${tag}${to}`, amount: `${(n % 7) + 1}.25`, pending: n % 4 === 1 || n % 4 === 2, timeoutMs: null, memo: null });
    if (n % 4 === 1) await ledger.postPending(id, null);
    if (n % 4 === 2) await ledger.voidPending(id);
    if (n % 4 === 3) await ledger.reverseTransfer(id, null);
  }
}

async function quiet(nodes: readonly ClusterNode[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (nodes.some((node) => node.system.relay.stats().backlog > 0 || node.publisher.lag() > 0)) {
    if (Date.now() > deadline) throw new Error('the cluster did not settle');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The stream read side keeps states beside its rows, and numbers the log by stream message; the rest must be equal. */
const sameModels = (a: Database.Database, b: Database.Database) =>
  compareReadModels(a, b, ['position']).filter((line) => !line.startsWith('table projection_states') && !line.startsWith('table projection_meta'));

/** A gateway's read side on the cluster's stream, caught up, stopped with the test. */
async function readSideOf(t: Test, names: ClusterNames): Promise<{ model: ReadModel; side: StreamReadSide }> {
  const model = new ReadModel(':memory:', allProjectors);
  const side = await StreamReadSide.start({ nc: await nats.connect('reader'), names, model, partitionCount: 8 });
  t.teardown(async () => {
    await side.stop();
    model.close();
  });
  await side.catchUpFully();
  return { model, side };
}

/** The read models rebuilt from a node's journal, as embedded mode would have them. */
function rebuiltFrom(t: Test, node: ClusterNode, dir = tempDir(t, 'fundcore-stream-')): Database.Database {
  const path = join(dir, 'rebuilt.db');
  rebuildReadModel(node.node.journal, path, 8);
  const rebuilt = new Database(path, { readonly: true });
  rebuilt.defaultSafeIntegers(true);
  t.teardown(() => rebuilt.close());
  return rebuilt;
}

t.test('given one node owning every partition, when its log is read from the stream, then the read models equal a rebuild from its journal', async (t) => {
  const cluster = await startTestCluster(t, nats, { partitionCount: 8, split: [range(0, 8)] });
  const node = cluster.nodes[0] as ClusterNode;
  await traffic(cluster.ledger, 'x');
  await quiet(cluster.nodes);
  const { model, side } = await readSideOf(t, cluster.names);
  const rebuilt = rebuiltFrom(t, node);
  t.same(sameModels(model.db, rebuilt), [], 'stream read side = rebuild from the journal, but for the numbering of positions');

  // The publisher forgets where it got to (a crash before its cursor was kept): it publishes everything again.
  node.node.journal.putMeta('cluster.logPublished', 0);
  await node.stop();
  const restarted = await ClusterNode.start({ nc: await nats.connect('node-again'), names: cluster.names, partitionCount: 8, partitions: range(0, 8), nodeId: 'node-0', journal: cluster.journals[0] as Journal, leaseLimits: testLeaseLimits });
  t.teardown(() => restarted.stop());
  await restarted.lendingReady;
  await quiet([restarted]);
  await side.catchUpFully();
  t.same(sameModels(model.db, rebuilt), [], 'republished entries change nothing (dropped by the stream or by the actor seq)');
});

t.test('given a node on a journal on disk, when its log is published, then each entry\'s events travel as the journal\'s own bytes, and the read models equal a rebuild', async (t) => {
  const journal = new LmdbJournal({ path: join(tempDir(t, 'fundcore-stream-lmdb-'), 'journal'), partitionCount: 8 });
  const cluster = await startTestCluster(t, nats, { partitionCount: 8, split: [range(0, 8)], journals: [journal] });
  const node = cluster.nodes[0] as ClusterNode;
  await traffic(cluster.ledger, 'z');
  await quiet(cluster.nodes);
  const { model } = await readSideOf(t, cluster.names);
  t.same(sameModels(model.db, rebuiltFrom(t, node)), [], 'stream read side = rebuild from the journal');
  const jsm = await ensureLogStream(cluster.gatewayConnection, cluster.names);
  const stored = await jsm.streams.getMessage(logStreamNameOf(cluster.names), { seq: 1 });
  if (stored === null) throw new Error('the stream holds no first message');
  const message = decode<{ entries: Uint8Array[]; events?: Uint8Array[] }>(stored.data);
  const entry = decode<{ actorId: string; firstSeq: number; events?: unknown }>(message.entries[0] as Uint8Array);
  t.equal(entry.events, undefined, 'the entry itself carries no events');
  t.same(Buffer.from(message.events?.[0] ?? []), journal.appendedEventBytes(entry.actorId, entry.firstSeq), 'its events are the bytes the journal stored');
});

t.test('given two nodes, when traffic crosses them, then the gateway read side sees every account as the ledger does, and reads its own writes', async (t) => {
  const cluster = await startTestCluster(t, nats, { partitionCount: 8 });
  const model = new ReadModel(':memory:', allProjectors);
  const side = await StreamReadSide.start({ nc: await nats.connect('reader'), names: cluster.names, model, partitionCount: 8 });
  t.teardown(async () => {
    await side.stop();
    model.close();
  });
  await traffic(cluster.ledger, 'y');
  // No wait for the relay: a query after an acknowledged transfer sees it.
  await cluster.ledger.createTransfer({ id: 'y-last', debit: 'ybank', credit: 'ya', amount: '1.00', pending: false, timeoutMs: null, memo: null });
  await side.catchUp();
  const legs = model.db.prepare("select count(*) as n from legs where transfer_id = 'y-last' and account = 'ybank'").get() as { n: bigint };
  t.equal(legs.n, 1n, 'the debit leg of the last acknowledged transfer is in the read models');
  await quiet(cluster.nodes);
  await side.catchUpFully();
  for (const id of ['ybank', 'ya', 'yb', 'yc', 'yd', 'yhot']) {
    const account = await cluster.ledger.getAccount(id);
    if (!account.ok) throw new Error(`${id}: ${account.code}`);
    const row = model.db.prepare("select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as balance from legs where account = ?").get(id) as { balance: bigint };
    t.equal(row.balance, account.value.creditsPosted - account.value.debitsPosted, `${id}: legs in the read models = the ledger's balance`);
  }
  const transit = model.db.prepare("select coalesce(sum(case when side = 'credit' then amount else -amount end), 0) as balance from legs where account = '~transit'").get() as { balance: bigint };
  t.equal(transit.balance, 0n, 'nothing in transit once the relay is quiet');
});

t.test('given a gateway whose read models are kept in a file, when it restarts after more traffic, then it resumes where it stood and equals a rebuild', async (t) => {
  const cluster = await startTestCluster(t, nats, { partitionCount: 8, split: [range(0, 8)] });
  const node = cluster.nodes[0] as ClusterNode;
  const dir = tempDir(t, 'fundcore-stream-');
  const open = async () => {
    const model = new ReadModel(join(dir, 'gateway-read-models.db'), allProjectors);
    const side = await StreamReadSide.start({ nc: await nats.connect('reader'), names: cluster.names, model, partitionCount: 8, limits: { batchEntriesMax: 7 } });
    return { model, side };
  };
  await traffic(cluster.ledger, 'r');
  await quiet(cluster.nodes);
  const first = await open();
  await first.side.catchUpFully();
  const stoodAt = first.model.position();
  await first.side.stop();
  first.model.close();
  await traffic(cluster.ledger, 's');
  await quiet(cluster.nodes);
  const second = await open();
  t.teardown(async () => {
    await second.side.stop();
    second.model.close();
  });
  t.equal(second.model.position(), stoodAt, 'it starts from the position it had reached');
  await second.side.catchUpFully();
  t.ok(second.model.position() > stoodAt, 'and goes on from there');
  t.same(sameModels(second.model.db, rebuiltFrom(t, node, dir)), [], 'nothing skipped, nothing applied twice (applied in small batches, split across messages)');
});

t.test('given publishes that fail — one stored though its acknowledgement is lost, one not stored — while traffic goes on, when the rounds are published again, then nothing is lost or applied twice', async (t) => {
  let failures = 0;
  const cluster = await startTestCluster(t, nats, {
    partitionCount: 8,
    split: [range(0, 8)],
    node: {
      logPublishClient: (real) => ({
        publish: async (subject, data, options) => {
          // Once traffic runs: every 5th publish fails, every other one of those after the stream stored it.
          const n = ++failures;
          if (n > 40 && n % 5 === 0 && n < 140) {
            if (n % 10 === 0) await real.publish(subject, data, options);
            throw new Error(`injected publish failure ${n}`);
          }
          return real.publish(subject, data, options);
        },
      }),
    },
  });
  const node = cluster.nodes[0] as ClusterNode;
  await traffic(cluster.ledger, 'f');
  await traffic(cluster.ledger, 'g');
  await quiet(cluster.nodes);
  t.ok(failures > 140, `the publisher went through the failures (${failures} publishes)`);
  const { model } = await readSideOf(t, cluster.names);
  t.same(sameModels(model.db, rebuiltFrom(t, node)), [], 'the read models equal a rebuild of the journal');
});

t.test('given the read side in a worker thread, when the worker dies, then the waiting query is refused read_model_behind, another worker starts and the read models equal the in-thread read side', async (t) => {
  const cluster = await startTestCluster(t, nats, { partitionCount: 8, split: [range(0, 8)] });
  await traffic(cluster.ledger, 'w-');
  await quiet(cluster.nodes);
  const dir = tempDir(t);
  const path = join(dir, 'read-models.db');
  const flag = join(dir, 'die-once');
  writeFileSync(flag, '');
  process.env.FUNDCORE_TEST_READ_SIDE_DIE_ONCE = flag;
  t.teardown(() => delete process.env.FUNDCORE_TEST_READ_SIDE_DIE_ONCE);
  const model = new ReadModel(path, allProjectors);
  const side = new StreamWorkerReadSide({
    model,
    natsServers: cluster.gatewayConnection.getServer(),
    names: cluster.names,
    readModelPath: path,
    partitionCount: 8,
    limits: {},
    logLevel: 'silent',
    workerUrl: helperModuleUrl('dying-read-side-worker'),
  });
  t.teardown(async () => {
    await side.stop();
    model.close();
  });
  await t.rejects(side.catchUpFully(), { code: 'read_model_behind' }, 'the ask the worker died on');
  t.ok(await catchesUpAgain(side, true), 'another worker answers');
  const inThread = await readSideOf(t, cluster.names);
  t.same(sameModels(model.db, inThread.model.db), [], 'the same rows as the read side in the thread');
  t.ok(Number((model.db.prepare('select count(*) as n from legs').get() as { n: bigint }).n) > 0, 'and they hold the traffic');
});

t.test('given a gateway\'s read side in its worker thread, when the worker starts, then it runs the nice steps asked below the gateway\'s thread and still follows the stream', { skip: process.platform !== 'linux' && 'per-thread priority is Linux only' }, async (t) => {
  const cluster = await startTestCluster(t, nats, { partitionCount: 8, split: [range(0, 8)] });
  await traffic(cluster.ledger, 'p-');
  await quiet(cluster.nodes);
  const path = join(tempDir(t), 'read-models.db');
  const model = new ReadModel(path, allProjectors);
  const side = new StreamWorkerReadSide({ model, natsServers: cluster.gatewayConnection.getServer(), names: cluster.names, readModelPath: path, partitionCount: 8, limits: {}, logLevel: 'silent', threadNice: 3 });
  t.teardown(async () => {
    await side.stop();
    model.close();
  });
  await side.catchUpFully();
  t.same(side.threadPriority(), { applied: true, nice: Math.min(19, getPriority(process.pid) + 3) });
  t.ok(Number((model.db.prepare("select count(*) as n from legs where transfer_id like 'p-%'").get() as { n: bigint }).n) > 0, 'the traffic reached its read models');
});
