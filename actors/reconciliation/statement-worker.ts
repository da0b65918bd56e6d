/**
 * The entry of a statement worker thread (statement-workers.ts starts it): reads, parses and
 * matches statements off the node's event loop. Loaded as .ts under the tests' TypeScript
 * loader (a worker inherits the process's --import flags) and as .js from dist/.
 */
import { parentPort } from 'node:worker_threads';
import { portChannel, serveStatementJobs } from './statement-work.js';

if (parentPort === null) throw new Error('statement-worker is the entry of a worker thread, not a module to import');
void serveStatementJobs(portChannel(parentPort));
