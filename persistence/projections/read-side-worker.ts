/**
 * The entry of the read-side worker thread (worker-read-side.ts starts it): the read models
 * follow the node's journal here, off the node's event loop, where deciding and journaling
 * happen. It opens the same LMDB environment (lmdb-js shares one environment between the
 * threads of a process; this thread only reads it) and its own connection to the read models'
 * SQLite file (WAL: the node's thread reads while this one writes). Loaded as .ts under the
 * tests' TypeScript loader and as .js from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runArchivePlan, type ArchivePlan } from '../archive/archive-plan.js';
import { LmdbJournal } from '../lmdb-journal.js';
import { allProjectors } from './projectors.js';
import type { FromReadSideWorker, ReadSideWorkerData, ToReadSideWorker } from './read-side-protocol.js';
import { ReadModel } from './read-model.js';
import { journalProjectionRunner } from './read-side.js';
import { defaultProjectionLimits } from './runner.js';
import { lowerThisThreadPriority } from './thread-priority.js';

if (parentPort === null) throw new Error('read-side-worker is the entry of a worker thread, not a module to import');
const port = parentPort;
const data = workerData as ReadSideWorkerData;
// Before any work: the read models follow; deciding and journaling come first for the CPU.
port.postMessage({ type: 'priority', outcome: lowerThisThreadPriority(data.threadNice) } satisfies FromReadSideWorker);
const journal = new LmdbJournal({ path: data.journalPath, noSync: data.journalNoSync, readOnly: true });
const model = new ReadModel(data.readModelPath, allProjectors);
const runner = journalProjectionRunner(journal, model, data.partitionCount, { ...defaultProjectionLimits, cachedStateIdleMs: data.cachedStateIdleMs });
const send = (message: FromReadSideWorker) => port.postMessage(message);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Applies what the log holds now, at most `entriesMax` entries. The snapshot is renewed
 * first: one taken earlier in this turn (by a step or another query) may predate a write
 * whose acknowledgement the asker has seen — reading it would break read your writes.
 */
function catchUp(entriesMax: number): void {
  journal.refreshReads();
  runner.catchUp(entriesMax);
}

const step = setInterval(() => {
  try {
    catchUp(data.stepEntriesMax);
  } catch (error) {
    send({ type: 'step_failed', message: messageOf(error) });
  }
}, data.stepMs > 0 ? data.stepMs : 2 ** 31 - 1);

port.on('message', (message: ToReadSideWorker) => {
  if (message.type === 'stop') return void stop();
  if (message.type === 'archive') return archive(message.id, message.plan);
  try {
    catchUp(message.full ? Number.POSITIVE_INFINITY : data.queryEntriesMax);
    send({ type: 'caught_up', id: message.id, position: model.position() });
  } catch (error) {
    send({ type: 'catch_up_failed', id: message.id, message: messageOf(error) });
  }
});

/** One run at a time; its steps leave room for the catch-ups queries ask for. */
let archiving: Promise<void> = Promise.resolve();

function archive(id: number, plan: ArchivePlan): void {
  archiving = archiving.then(async () => {
    try {
      catchUp(Number.POSITIVE_INFINITY);
      send({ type: 'archived', id, outcome: await runArchivePlan(model, plan) });
    } catch (error) {
      send({ type: 'catch_up_failed', id, message: messageOf(error) });
    }
  });
}

async function stop(): Promise<void> {
  clearInterval(step);
  await archiving;
  try {
    catchUp(Number.POSITIVE_INFINITY);
  } catch (error) {
    send({ type: 'step_failed', message: messageOf(error) });
  }
  model.close();
  await journal.close();
  send({ type: 'stopped' });
  port.close();
}
