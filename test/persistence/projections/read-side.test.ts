import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { catchesUpAgain } from '../../helpers/read-sides.js';
import { FundcoreNode, type NodeOptions } from '../../../actors/node.js';
import { LmdbJournal } from '../../../persistence/lmdb-journal.js';
import type { JournalReader } from '../../../persistence/journal.js';
import { MemoryJournal } from '../../../persistence/memory-journal.js';
import { allProjectors } from '../../../persistence/projections/projectors.js';
import { ReadModel } from '../../../persistence/projections/read-model.js';
import { LocalReadSide } from '../../../persistence/projections/read-side.js';
import { WorkerReadSide } from '../../../persistence/projections/worker-read-side.js';
import { openAccount, quiescent, tempDir, transfer } from '../../helpers/ledger.js';
import { helperModuleUrl } from '../../helpers/repo.js';
import { FakeTime } from '../../helpers/fake-time.js';

/** One contract, every read side a node can have: in its thread (journal in memory, or on disk) and in a worker thread. */
const kinds = {
  'in the node\'s thread, journal in memory': { disk: false, options: (): Partial<NodeOptions> => ({ journal: new MemoryJournal() }) },
  'in the node\'s thread, journal on disk': { disk: true, options: (): Partial<NodeOptions> => ({ readSideInThread: true }) },
  'in a worker thread, journal on disk': { disk: true, options: (): Partial<NodeOptions> => ({}) },
} as const;

async function transfers(node: FundcoreNode, from: number, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) => node.ledger.createTransfer(transfer(`t${from + i}`, 'bank', `w${(from + i) % 3}`, '1.00'))));
}

function transferRows(node: FundcoreNode): number {
  return node.queries.transfers({}, undefined, 500).items.length;
}

for (const [name, kind] of Object.entries(kinds)) {
  t.test(`read side ${name}`, async (t: Test) => {
    const dir = tempDir(t, 'fundcore-read-side-');
    // A long step: what the read models hold is what catchUp applied, not a timer.
    const start = (extra: Partial<NodeOptions> = {}) => FundcoreNode.start({ dataDir: dir, projectionIntervalMs: 3_600_000, ...kind.options(), ...extra });
    const node = start();
    t.equal(node.projections instanceof WorkerReadSide, name.includes('worker'), 'the kind of read side the node chose');
    await openAccount(node, 'bank', 'bank_settlement', true);
    for (const w of ['w0', 'w1', 'w2']) await openAccount(node, w);

    await t.test('given acknowledged transfers, when a query catches up, then it sees every one of them', async (t) => {
      await transfers(node, 0, 40);
      await node.projections.catchUp();
      t.equal(transferRows(node), 40);
      await quiescent(node);
      await node.projections.catchUpFully();
      t.equal(node.projections.position(), node.journal.lastLogPosition(), 'the whole log applied');
      t.equal(node.projections.lag(), 0);
    });

    await t.test('given more transfers, when the node stops, then the read models hold them: stop applies what is left', async (t) => {
      await transfers(node, 40, 10);
      await quiescent(node);
      const last = node.journal.lastLogPosition();
      await node.stop();
      if (!kind.disk) return void t.pass('a read model in memory goes with its node');
      const reopened = new Database(join(dir, 'read-models.db'), { readonly: true });
      reopened.defaultSafeIntegers(true);
      t.teardown(() => reopened.close());
      t.equal(Number((reopened.prepare("select value from projection_meta where key = 'position'").get() as { value: bigint }).value), last);
      t.equal(Number((reopened.prepare('select count(*) as n from transfers').get() as { n: bigint }).n), 50);
    });

    if (!kind.disk) return;
    await t.test('given a restart on the same directory, when more transfers come, then nothing is projected twice or skipped', async (t) => {
      const again = start();
      t.teardown(() => again.stop());
      await transfers(again, 50, 10);
      await again.projections.catchUp();
      t.equal(transferRows(again), 60);
    });
  });
}

t.test('a worker that dies fails the waiting query with read_model_behind and is started again; the read models go on where they were', async (t) => {
  const dir = tempDir(t, 'fundcore-read-side-dies-');
  const flag = join(dir, 'die-once');
  writeFileSync(flag, '');
  process.env.FUNDCORE_TEST_READ_SIDE_DIE_ONCE = flag;
  t.teardown(() => void delete process.env.FUNDCORE_TEST_READ_SIDE_DIE_ONCE);
  const { journal, node } = await journalWithATransfer(t, dir);
  const path = join(dir, 'read-models.db');
  const model = new ReadModel(path, allProjectors);
  const side = new WorkerReadSide({
    model,
    readModelPath: path,
    journal,
    journalPath: journal.path,
    journalNoSync: false,
    partitionCount: 256,
    stepMs: 0,
    stepEntriesMax: 1_000,
    workerUrl: helperModuleUrl('dying-read-side-worker'),
  });
  t.teardown(async () => {
    await side.stop();
    model.close();
  });
  await t.rejects(side.catchUp(), { code: 'read_model_behind' }, 'the ask the worker died on');
  await t.rejects(side.catchUp(), { code: 'read_model_behind' }, 'asked while no worker runs: refused at once, not left waiting');
  t.ok(await catchesUpAgain(side), 'another worker answers');
  t.equal(model.position(), journal.lastLogPosition(), 'and has applied the whole log');
  const local = new LocalReadSide(new ReadModel(':memory:', allProjectors), journal, 256);
  await local.catchUpFully();
  t.equal(Number((model.db.prepare('select count(*) as n from legs').get() as { n: bigint }).n), Number((local.model.db.prepare('select count(*) as n from legs').get() as { n: bigint }).n), 'the same rows as a read side that never failed');
  local.model.close();
});

t.test('given a resting policy, when the rest check cannot read the journal, then it logs and looks again; nothing is thrown into the process', async (t) => {
  const dir = tempDir(t, 'fundcore-read-side-rest-fails-');
  const { journal, node } = await journalWithATransfer(t, dir);
  await quiescent(node);
  const time = new FakeTime();
  const errors: string[] = [];
  const logger = { info() {}, warn() {}, error: (_: object, message: string) => void errors.push(message) };
  let failing = false;
  const reader = { lastLogPosition: () => (failing ? raise(new Error('journal busy')) : journal.lastLogPosition()) } as unknown as JournalReader;
  const path = join(dir, 'read-models.db');
  const model = new ReadModel(path, allProjectors);
  const side = new WorkerReadSide({ model, readModelPath: path, journal: reader, journalPath: journal.path, journalNoSync: false, partitionCount: 256, stepMs: 0, stepEntriesMax: 1_000, restAfterIdleMs: 1_000, clock: time, timers: time, logger });
  t.teardown(async () => {
    await side.stop();
    model.close();
  });
  await side.catchUpFully();
  failing = true;
  t.doesNotThrow(() => time.advance(2_000), 'the check at each second fails, inside its timer');
  t.equal(errors.length, 2);
  t.match(errors[0], /could not tell whether it may rest/);
  t.equal(side.isResting, false, 'a check that could not read decides nothing');
  failing = false;
  time.advance(1_000);
  t.equal(side.isResting, true, 'the next check that reads decides as usual');
  await side.rested();
  t.ok(await catchesUpAgain(side), 'and a query starts the worker again');
});

function raise(error: Error): never {
  throw error;
}

/** A journal on disk in `dir` with one transfer, written by a node whose own read models live elsewhere (node.db). */
async function journalWithATransfer(t: Test, dir: string): Promise<{ journal: LmdbJournal; node: FundcoreNode }> {
  const journal = new LmdbJournal({ path: join(dir, 'journal') });
  const node = FundcoreNode.start({ journal, readModelPath: join(dir, 'node.db'), projectionIntervalMs: 3_600_000 });
  t.teardown(async () => {
    await node.stop();
    await journal.close();
  });
  await openAccount(node, 'bank', 'bank_settlement', true);
  await openAccount(node, 'w0');
  await node.ledger.createTransfer(transfer('t1', 'bank', 'w0', '1.00'));
  return { journal, node };
}
