import { writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { deviceWrittenKiB } from '../../bench/lib/device-writes.js';
import { journalCostWindow, perPayment, perTransfer } from '../../bench/lib/journal-cost.js';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';
import { MemoryJournal } from '../../persistence/memory-journal.js';
import { tempDir } from '../helpers/ledger.js';

const append = (journal: LmdbJournal | MemoryJournal, actorId: string, expectedSeq: number) => journal.append({ actorId, expectedSeq, events: [{ type: 'x' }], indexWrites: [] }).durable;

t.test('over an LMDB journal: appends and commits per operation, named per transfer and per payment', async (t) => {
  const dir = tempDir(t);
  const journal = new LmdbJournal({ path: join(dir, 'journal') });
  t.teardown(() => journal.close());
  const commitsBefore = journal.commitsSoFar();
  const window = journalCostWindow(journal, dir);
  // 4 appends for 8 operations, then their hash links (commits of their own).
  await Promise.all([append(journal, 'a', 0), append(journal, 'b', 0)]);
  await Promise.all([append(journal, 'a', 1), append(journal, 'b', 1)]);
  await journal.linksWritten();
  const commits = journal.commitsSoFar() - commitsBefore;
  const cost = window(8);
  t.equal(cost.appendsPerOp, 0.5);
  t.equal(cost.opsPerCommit, Math.round((8 / commits) * 10) / 10, `8 operations over ${commits} commits`);
  const named = perTransfer(cost);
  t.equal(named.appendsPerTransfer, 0.5);
  t.equal(named.transfersPerCommit, cost.opsPerCommit);
  t.same(Object.keys(perPayment(cost)).filter((key) => !key.startsWith('device')), ['appendsPerPayment', 'paymentsPerCommit']);
});

t.test('over the in-memory journal: appends only, no commits to count', async (t) => {
  const journal = new MemoryJournal();
  const window = journalCostWindow(journal, tempDir(t));
  await append(journal, 'a', 0);
  const cost = window(2);
  t.equal(cost.appendsPerOp, 0.5);
  t.equal(cost.opsPerCommit, null);
  t.equal(cost.deviceKiBPerCommit, null);
  t.same(perTransfer(cost), { appendsPerTransfer: 0.5, ...(cost.deviceKiBPerOp === null ? {} : { deviceKiBPerTransfer: cost.deviceKiBPerOp }) });
});

t.test('deviceWrittenKiB: a block device\'s written KiB, which grows by at least what was written and synced', async (t) => {
  const dir = tempDir(t);
  const before = deviceWrittenKiB(dir);
  if (before === null) {
    t.equal(process.platform === 'linux' ? null : before, null, 'not known here (off Linux, or no block device under the path)');
    return;
  }
  const file = join(dir, 'blob');
  writeFileSync(file, Buffer.alloc(4 * 1024 * 1024, 1));
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  const after = deviceWrittenKiB(dir) as number;
  t.ok(after - before >= 4 * 1024, `grew by ${after - before} KiB after 4,096 KiB written and synced`);
});

t.test('deviceWrittenKiB: null for a path that does not exist', async (t) => {
  t.equal(deviceWrittenKiB(join(tempDir(t), 'missing')), null);
});
