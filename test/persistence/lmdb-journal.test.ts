import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { open } from 'lmdb';
import t from 'tap';
import { LmdbJournal, msgpackArrayLengthOf } from '../../persistence/lmdb-journal.js';
import type { Journal } from '../../persistence/journal.js';
import { journalContract } from './journal-contract.js';
import { tempDir } from '../helpers/ledger.js';
import { helperModuleUrl } from '../helpers/repo.js';

const paths = new WeakMap<Journal, string>();

journalContract(t, {
  open: async () => {
    const path = t.testdirName + '-' + Math.random().toString(36).slice(2);
    const journal = new LmdbJournal({ path });
    paths.set(journal, path);
    return journal;
  },
  reopen: async (journal: Journal) => {
    const path = paths.get(journal) ?? '';
    await journal.close();
    const reopened = new LmdbJournal({ path });
    paths.set(reopened, path);
    return reopened;
  },
});

t.test('the head is read from the last record\'s array header: records of 1, 15, 16, 65,536 and 70,000 events', async (t) => {
  const journal = new LmdbJournal({ path: join(tempDir(t, 'fundcore-journal-head-'), 'journal') });
  t.teardown(() => journal.close());
  let seq = 0;
  for (const count of [1, 15, 16, 65_536, 70_000]) {
    const events = Array.from({ length: count }, (_, i) => ({ type: 'thing_happened', data: { i, amount: 10n ** 20n } }));
    const result = await journal.append({ actorId: 'big:1', expectedSeq: seq, events, indexWrites: [] }).durable;
    seq += count;
    t.equal(result.lastSeq, seq);
    t.equal(journal.headSeq('big:1'), seq, `after a record of ${count}`);
  }
  await t.rejects(journal.append({ actorId: 'big:1', expectedSeq: seq - 1, events: [{ type: 'x' }], indexWrites: [] }).durable, { name: 'JournalConflictError' }, 'behind the head: refused');
  await t.rejects(journal.append({ actorId: 'big:1', expectedSeq: seq + 1, events: [{ type: 'x' }], indexWrites: [] }).durable, { name: 'JournalConflictError' }, 'ahead of the head (a gap): refused');
});

t.test('msgpack array headers: fixarray, array 16, array 32; anything else is not one', async (t) => {
  t.equal(msgpackArrayLengthOf(Uint8Array.of(0x90)), 0);
  t.equal(msgpackArrayLengthOf(Uint8Array.of(0x9f)), 15);
  t.equal(msgpackArrayLengthOf(Uint8Array.of(0xdc, 0x01, 0x00)), 256);
  t.equal(msgpackArrayLengthOf(Uint8Array.of(0xdd, 0x80, 0x00, 0x00, 0x01)), 2 ** 31 + 1);
  t.equal(msgpackArrayLengthOf(Uint8Array.of(0x81)), null, 'a map');
  t.equal(msgpackArrayLengthOf(Uint8Array.of(0xdc, 0x01)), null, 'a truncated header');
  t.equal(msgpackArrayLengthOf(new Uint8Array(0)), null);
});

t.test('a thread that reads what another commits sees it within the same task only after refreshReads', async (t) => {
  const path = join(tempDir(t, 'fundcore-journal-threads-'), 'journal');
  const journal = new LmdbJournal({ path });
  t.teardown(() => journal.close());
  await journal.append({ actorId: 'a:1', expectedSeq: 0, events: [{ type: 'x' }], indexWrites: [] }).durable;
  const signal = new SharedArrayBuffer(8);
  const flags = new Int32Array(signal);
  const worker = new Worker(helperModuleUrl('snapshot-reader-worker'), { workerData: { path, signal } });
  const answered = new Promise<{ before: number; sameTask: number; refreshed: number }>((resolve) => worker.once('message', resolve));
  worker.postMessage('go');
  while (Atomics.load(flags, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await journal.append({ actorId: 'a:1', expectedSeq: 1, events: [{ type: 'x' }], indexWrites: [] }).durable;
  Atomics.store(flags, 1, 1);
  Atomics.notify(flags, 1);
  const seen = await answered;
  await worker.terminate();
  t.equal(seen.before, 1);
  t.equal(seen.sameTask, 1, 'the snapshot the task began with: the write is not there');
  t.equal(seen.refreshed, 2, 'after refreshReads it is');
});

t.test('appends land as a prefix of what was issued: one issued after an append that did not land does not land either', async (t) => {
  const path = join(tempDir(t, 'fundcore-journal-landing-'), 'journal');
  const journal = new LmdbJournal({ path });
  t.teardown(() => journal.close());
  await journal.append({ actorId: 'a:1', expectedSeq: 0, events: [{ type: 'x' }], indexWrites: [] }).durable;
  const other = open({ path });
  t.teardown(() => other.close());
  // Issued first: its write will find its key taken (written below, before the commit starts).
  const first = journal.append({ actorId: 'a:2', expectedSeq: 0, events: [{ type: 'x' }], indexWrites: [{ index: 'transfer_owners', key: 'T1', value: 'W1' }] });
  other.openDB({ name: 'events' }).putSync(['a:2', 1], [{ type: 'written behind its back' }]);
  // Issued after it, in the same turn and transaction: its own write would find nothing in its way.
  const second = journal.append({ actorId: 'a:3', expectedSeq: 0, events: [{ type: 'y' }], indexWrites: [{ index: 'transfers', key: 'T1', value: 'debit' }] });
  t.equal(second.logPosition, (first.logPosition as number) + 1);
  await t.rejects(first.durable, { name: 'JournalConflictError' });
  await t.rejects(second.durable, { name: 'JournalConflictError' }, 'did not land: the append before it did not');
  t.equal(journal.headSeq('a:3'), 0, 'nothing of it is on disk');
  t.equal(journal.getIndex('transfers', 'T1'), undefined, 'nor its index writes');
  t.equal(journal.getIndex('transfer_owners', 'T1'), undefined);
  const third = journal.append({ actorId: 'a:3', expectedSeq: 0, events: [{ type: 'z' }], indexWrites: [] });
  t.equal(third.logPosition, (second.logPosition as number) + 1, 'positions are not given out twice');
  await third.durable;
  t.same([...journal.readLog(1)].map(({ position, actorId }) => [position, actorId]), [[1, 'a:1'], [third.logPosition, 'a:3']], 'taken again once the others settled, after the last entry on disk');
  t.same([...journal.readEvents('a:3', 1)].map(({ event }) => event), [{ type: 'z' }]);
});

t.test('commitsSoFar counts the environment\'s commits: appends add to it, reads do not', async (t) => {
  const journal = new LmdbJournal({ path: tempDir(t) });
  t.teardown(() => journal.close());
  const before = journal.commitsSoFar();
  await journal.append({ actorId: 'acct:a', expectedSeq: 0, events: [{ type: 'x' }], indexWrites: [] }).durable;
  t.ok(journal.commitsSoFar() > before, 'an append is a commit');
  // The append's hash link is written in a commit after it: wait for it before counting reads.
  await journal.linksWritten();
  const settled = journal.commitsSoFar();
  t.same([...journal.readEvents('acct:a', 1)].map(({ seq }) => seq), [1]);
  t.equal(journal.getIndex('transfers', 'none'), undefined);
  t.equal(journal.commitsSoFar(), settled, 'reading commits nothing');
});
