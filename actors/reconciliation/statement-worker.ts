/**
 * The entry of a statement worker thread (statement-workers.ts starts it): parses and matches
 * statements off the node's event loop. Loaded as .ts under the tests' TypeScript loader (the
 * worker inherits the process's --import flags) and as .js from dist/.
 */
import { parentPort } from 'node:worker_threads';
import type { NodeChannel } from './statement-work.js';
import { serveStatementJobs } from './statement-work.js';
import type { ToWorker } from './statement-job-protocol.js';

if (parentPort === null) throw new Error('statement-worker is the entry of a worker thread, not a module to import');
const port = parentPort;
const inbox: ToWorker[] = [];
let waiting: ((message: ToWorker) => void) | null = null;
port.on('message', (message: ToWorker) => {
  if (waiting === null) inbox.push(message);
  else {
    const deliver = waiting;
    waiting = null;
    deliver(message);
  }
});
const channel: NodeChannel = {
  post: (message, handOver = []) => port.postMessage(message, [...handOver]),
  next: () => {
    const queued = inbox.shift();
    return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => (waiting = resolve));
  },
};
void serveStatementJobs(channel);
