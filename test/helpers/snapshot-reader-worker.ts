/**
 * A worker that reads a journal's last log position twice within one task, around a write
 * the main thread makes meanwhile (it blocks on shared memory until told the write is
 * durable): once as it is, once after refreshReads. Loaded as .ts under the tests' loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LmdbJournal } from '../../persistence/lmdb-journal.js';

const { path, signal } = workerData as { path: string; signal: SharedArrayBuffer };
const flags = new Int32Array(signal);
const journal = new LmdbJournal({ path, readOnly: true });
parentPort?.once('message', () => {
  const before = journal.lastLogPosition();
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  Atomics.wait(flags, 1, 0, 10_000);
  const sameTask = journal.lastLogPosition();
  journal.refreshReads();
  const refreshed = journal.lastLogPosition();
  void journal.close().then(() => parentPort?.postMessage({ before, sameTask, refreshed }));
});
