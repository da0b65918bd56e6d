/**
 * The entry of a statement worker thread (statement-workers.ts starts it): reads, parses and
 * matches statements off the node's event loop. Loaded as .ts under the tests' TypeScript
 * loader (a worker inherits the process's --import flags) and as .js from dist/.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { portChannel, serveStatementJobs } from './statement-work.js';

/**
 * The worker's own scheduling priority (nice): a statement is batch work, the event loop's
 * requests are not, so when the cores are busy the event loop goes first. On Linux a thread's
 * priority is its own (setpriority on the calling thread); elsewhere it would lower the whole
 * process, so it is left alone there.
 */
const workerNiceness = 10;

if (parentPort === null) throw new Error('statement-worker is the entry of a worker thread, not a module to import');
if (process.platform === 'linux') {
  try {
    setPriority(0, workerNiceness);
  } catch {
    // Not allowed here (a locked-down container): the worker runs at the node's priority.
  }
}
void serveStatementJobs(portChannel(parentPort));
